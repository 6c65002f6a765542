import JSONCoding
import Glibc
import LinuxOS

enum JSONOutput {
  static func print<T: Encodable>(_ value: T, pretty: Bool = true) throws {
    Swift.print(String(decoding: try JSON.encode(value, options: .init(pretty: pretty)), as: UTF8.self))
  }
}

/// Columns padded like Go's tabwriter with runc's settings (min width 12, padding 1).
enum Table {
  static func render(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count + 1, 12) }
    }
    return rows.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
      }.joined() + "\n"
    }.joined()
  }
}

enum Signals {
  static let names: [String: Int32] = [
    "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7, "FPE": 8,
    "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15,
    "STKFLT": 16, "CHLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22,
    "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27, "WINCH": 28, "IO": 29, "POLL": 29,
    "PWR": 30, "SYS": 31,
  ]

  /// "KILL", "SIGKILL", "9", or "RTMIN+3".
  static func parse(_ text: String) throws -> Int32 {
    if let n = Int32(text), n > 0, n < 65 { return n }
    var name = text.uppercased()
    if name.hasPrefix("SIG") { name.removeFirst(3) }
    if let n = names[name] { return n }
    if name.hasPrefix("RTMIN+"), let k = Int32(name.dropFirst(6)), k >= 0, 34 + k <= 64 { return 34 + k }
    throw UsageError("unknown signal \"\(text)\"")
  }
}

enum Subprocess {
  /// Runs a program and returns its stdout.
  static func output(_ path: String, _ arguments: [String]) throws -> String {
    let (readEnd, writeEnd) = try FD.pipe()
    let pid = try Processes.spawn(
      path, [path] + arguments, environment: ["PATH=/usr/bin:/bin"], fds: [-1, writeEnd, 2])
    FD.close(writeEnd)
    let bytes = try FD.readAll(readEnd)
    FD.close(readEnd)
    _ = try Processes.wait(pid)
    return String(decoding: bytes, as: UTF8.self)
  }
}
