// GET /containers/{id}/top: the container's pids from `berth-runtime ps --format json`,
// shown through the host's `ps` (default `-ef`) with docker's column parsing.
#if canImport(Glibc)
  import Glibc
#endif
import EngineAPI
import FoundationEssentials

extension ContainerArea {
  public func topContainer(id ref: String, psArgs: String?) async throws -> ContainerTopResponse {
    try await mapErrors {
      let r = try record(ref)
      guard r.state.isRunning else {
        throw EngineError.conflict("Container \(r.id) is not running")
      }
      let rt = try runtime(for: r)
      let id = r.id
      let args = (psArgs ?? "-ef").split(separator: " ").map(String.init)
      let (pidsJSON, psOutput) = try await BlockingPool.shared.run { () throws -> ([UInt8], String) in
        let pids = try rt.check(["ps", "--format", "json", id]).stdout
        let ps = try RuntimeCommand.capture(ContainerArea.psBinary, ["ps"] + args)
        guard ps.status == 0 else {
          throw EngineError.internal(
            "ps: \(String(decoding: ps.stderr, as: UTF8.self).trimmingSpaces())")
        }
        return (pids, String(decoding: ps.stdout, as: UTF8.self))
      }
      let pids = (try? JSONDecoder().decode([Int32].self, from: Data(pidsJSON))) ?? []
      return try Self.parsePS(psOutput, pids: Set(pids))
    }
  }

  static var psBinary: String {
    for p in ["/bin/ps", "/usr/bin/ps"] where access(p, X_OK) == 0 { return p }
    return "/bin/ps"
  }

  /// moby's parsePSOutput: titles from the header; a line belongs to the container when its
  /// PID column is one of `pids`; the last column takes the rest of the line.
  static func parsePS(_ output: String, pids: Set<Int32>) throws -> ContainerTopResponse {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    guard let header = lines.first else { return ContainerTopResponse(titles: [], processes: []) }
    let titles = header.split(separator: " ").map(String.init)
    guard let pidIndex = titles.firstIndex(of: "PID") else {
      throw EngineError.internal("Couldn't find PID field in ps output")
    }
    var processes: [[String]] = []
    for line in lines.dropFirst() where !line.isEmpty {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count > pidIndex, let pid = Int32(fields[pidIndex]), pids.contains(pid) else { continue }
      guard fields.count >= titles.count else { continue }
      var row = Array(fields[..<(titles.count - 1)])
      row.append(fields[(titles.count - 1)...].joined(separator: " "))
      processes.append(row)
    }
    return ContainerTopResponse(titles: titles, processes: processes)
  }
}
