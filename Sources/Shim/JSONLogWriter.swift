import Glibc
import LinuxOS

/// Docker's json-file log driver: one JSON entry per line of output, rotated by size.
///
/// Output is split at newlines; a line without one is held back until it ends, grows
/// past `maxLineBuffer` bytes, or the stream is flushed at exit (docker's partial lines).
/// After a write leaves the file at `maxSize` bytes or more it is rotated: with
/// `maxFiles` 1 it is truncated, else `log` → `log.1` → … → `log.<maxFiles-1>`.
final class JSONLogWriter {
  static let maxLineBuffer = 16 * 1024
  let path: String
  let maxSize: Int64
  let maxFiles: Int
  private var fd: Int32
  private var size: Int64
  private var pending: [ShimStream: [UInt8]] = [:]

  init(path: String, maxSize: Int64, maxFiles: Int) throws {
    self.path = path
    self.maxSize = maxSize
    self.maxFiles = max(1, maxFiles)
    try Files.makeDirectories(Files.parent(of: path))
    fd = try FD.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
    var st = stat()
    size = fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
  }

  deinit { FD.close(fd) }

  /// Logs a chunk of a stream's output.
  func write(_ stream: ShimStream, _ bytes: [UInt8]) {
    var buffer = pending[stream, default: []]
    buffer += bytes
    var start = 0
    let time = LogTimestamp.now()
    while let newline = buffer[start...].firstIndex(of: 0x0a) {
      emit(stream, buffer[start...newline], time: time)
      start = newline + 1
    }
    buffer.removeFirst(start)
    if buffer.count >= Self.maxLineBuffer {
      emit(stream, buffer[...], time: time)
      buffer = []
    }
    pending[stream] = buffer.isEmpty ? nil : buffer
  }

  /// Writes out partial lines (at exit).
  func flush() {
    let time = LogTimestamp.now()
    for stream in [ShimStream.stdout, .stderr] {
      if let buffer = pending[stream], !buffer.isEmpty { emit(stream, buffer[...], time: time) }
    }
    pending = [:]
  }

  private func emit(_ stream: ShimStream, _ line: ArraySlice<UInt8>, time: String) {
    let entry = JSONLogLine.encode(line, stream: stream == .stdout ? "stdout" : "stderr", time: time)
    do {
      try FD.write(fd, entry)
      size += Int64(entry.count)
    } catch {
      printError("berth-shim: writing \(path): \(error)")
      return
    }
    if maxSize > 0 && size >= maxSize { rotate() }
  }

  private func rotate() {
    if maxFiles <= 1 {
      if ftruncate(fd, 0) == 0 { size = 0 }
      return
    }
    for index in stride(from: maxFiles - 2, through: 1, by: -1) {
      rename("\(path).\(index)", "\(path).\(index + 1)")
    }
    guard rename(path, "\(path).1") == 0 else {
      printError("berth-shim: rotating \(path): \(String(cString: strerror(errno)))")
      return
    }
    do {
      let fresh = try FD.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
      FD.close(fd)
      fd = fresh
      size = 0
    } catch {
      printError("berth-shim: reopening \(path): \(error)")
    }
  }
}
