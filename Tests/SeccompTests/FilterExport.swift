import Foundation
import Seccomp

/// Writes a filter's BPF or PFC export to a temporary file and returns its bytes.
enum FilterExport {
  static func bpf(_ filter: CompiledSeccompFilter) throws -> Data {
    try capture { try filter.exportBPF(to: $0) }
  }

  static func pfc(_ filter: CompiledSeccompFilter) throws -> String {
    String(decoding: try capture { try filter.exportPFC(to: $0) }, as: UTF8.self)
  }

  private static func capture(_ write: (Int32) throws -> Void) throws -> Data {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("seccomp-export-\(UUID().uuidString)").path
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer {
      close(fd)
      unlink(path)
    }
    try write(fd)
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }
}
