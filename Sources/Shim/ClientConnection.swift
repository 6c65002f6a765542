import LinuxOS

/// One client of the shim's socket, and what it is doing.
final class ClientConnection {
  enum Mode: Equatable {
    /// Reading requests.
    case control
    /// Streaming a process's output; raw input is that process's stdin when `stdin`.
    case attached(key: String, stdin: Bool, stdout: Bool, stderr: Bool)
    /// Waiting for a process to finish.
    case waiting(key: String)
  }

  /// A client that does not read its output is dropped past this many buffered bytes.
  static let maxBufferedOutput = 8 << 20

  let fd: Int32
  var mode = Mode.control
  /// Whether a hang-up (not a half-close) leaves the process's stdin open under stdinOnce.
  var keepsStdinOnHangUp = false
  var input: [UInt8] = []
  var output: [UInt8] = []
  var inputClosed = false
  var closeWhenFlushed = false

  init(fd: Int32) { self.fd = fd }

  func attachedKey() -> String? {
    if case .attached(let key, _, _, _) = mode { return key }
    return nil
  }

  func wants(_ stream: ShimStream, of key: String) -> Bool {
    guard case .attached(let attachedKey, _, let stdout, let stderr) = mode, attachedKey == key, !closeWhenFlushed
    else { return false }
    return stream == .stdout ? stdout : stderr
  }
}
