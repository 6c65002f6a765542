import JSONCoding
import Glibc
import LinuxOS

/// runc-style logging to `--log`, as text or JSON lines (`--log-format json`);
/// containerd reads the last error from this file when a command fails.
public final class RuntimeLog: @unchecked Sendable {
  public static let shared = RuntimeLog()
  var fd: Int32 = -1
  var json = false

  public func configure(path: String?, json: Bool) {
    self.json = json
    guard let path, !path.isEmpty else { return }
    fd = (try? FD.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o644)) ?? -1
  }

  public func error(_ message: String) { write(level: "error", message) }
  public func warning(_ message: String) { write(level: "warning", message) }

  func write(level: String, _ message: String) {
    guard fd >= 0 else {
      if level != "error" { printError("berth-runtime: \(level): \(message)") }
      return
    }
    let time = Timestamps.rfc3339Nano()
    let line: String
    if json {
      let entry = ["level": level, "msg": message, "time": time]
      let bytes = (try? JSON.encode(entry)) ?? []
      line = String(decoding: bytes, as: UTF8.self) + "\n"
    } else {
      line = "time=\"\(time)\" level=\(level) msg=\"\(message)\"\n"
    }
    try? FD.write(fd, line)
  }
}
