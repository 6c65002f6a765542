import Glibc
import LinuxOS

/// An rtnetlink socket. It stays bound to the network namespace of the thread that opened
/// it, so a socket opened once inside a container's netns configures it from any thread.
/// Requests are serialized: one request and its reply at a time.
public final class NetlinkSocket: @unchecked Sendable {
  let fd: Int32
  private var sequence: UInt32 = 0
  private let lock = Lock()
  private var buffer = [UInt8](repeating: 0, count: 1 << 16)

  /// Opens a socket in the calling thread's network namespace.
  public init() throws {
    fd = try sys("socket", "AF_NETLINK") {
      socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }
    // Errors carry only the request's header (CAP_ACK) plus the kernel's text (EXT_ACK).
    var on: Int32 = 1
    for option: Int32 in [10, 11] {
      _ = setsockopt(fd, 270, option, &on, socklen_t(MemoryLayout<Int32>.size))  // best effort: older kernels
    }
  }

  deinit { FD.close(fd) }

  /// Sends a request that expects an ACK; throws the kernel's errno as a SystemError.
  func perform(_ request: NetlinkRequest, _ what: @autoclosure () -> String = "") throws {
    try lock.withLock {
      let seq = try send(request)
      while true {
        for message in try receive() where message.sequence == seq {
          if message.type == NLM.error {
            try Self.check(message, request, what())
            return
          }
        }
      }
    }
  }

  /// Sends a dump (or a get with NLM_F_ACK) and collects the reply messages.
  func dump(_ request: NetlinkRequest, _ what: @autoclosure () -> String = "") throws -> [NetlinkMessage] {
    try lock.withLock {
      let seq = try send(request)
      var out: [NetlinkMessage] = []
      while true {
        for message in try receive() where message.sequence == seq {
          switch message.type {
          case NLM.done: return out
          case NLM.error:
            // A plain get (with NLM_F_ACK) ends with an ACK instead of NLMSG_DONE.
            try Self.check(message, request, what())
            return out
          default: out.append(message)
          }
        }
      }
    }
  }

  private func send(_ request: NetlinkRequest) throws -> UInt32 {
    sequence &+= 1
    let bytes = request.finished(sequence: sequence)
    let sent = try sys("send", RT.name(request.type)) {
      bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }
    guard sent == bytes.count else { throw SystemError("send", errno: EMSGSIZE, RT.name(request.type)) }
    return sequence
  }

  private func receive() throws -> [NetlinkMessage] {
    let count = try sys("recv", "netlink") {
      buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    }
    return NetlinkMessage.split(buffer[0..<count])
  }

  /// An NLMSG_ERROR: 0 is the ACK; otherwise a negative errno and, with EXT_ACK, a message.
  private static func check(_ message: NetlinkMessage, _ request: NetlinkRequest, _ what: String) throws {
    let payload = message.payload
    guard payload.count >= 4 else { throw SystemError(RT.name(request.type), errno: EPROTO, what) }
    let code = Int32(bitPattern: Wire.u32(payload, payload.startIndex))
    if code == 0 { return }
    var detail = what
    // With CAP_ACK the echoed request is its 16-byte header only; TLVs follow when flagged.
    if message.flags & 0x200 != 0, payload.count > 20 {
      let attributes = NetlinkAttributes(payload.dropFirst(20))
      if let text = attributes.string(1), !text.isEmpty { detail += detail.isEmpty ? text : " (\(text))" }
    }
    throw SystemError(RT.name(request.type), errno: -code, detail)
  }
}
