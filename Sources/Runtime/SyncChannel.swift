import JSONCoding
import Glibc
import LinuxOS

/// One step of the parent ↔ init handshake.
public struct SyncMessage: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable {
    /// init → parent: I unshared a user namespace; write my uid/gid maps.
    case writeIDMaps
    /// parent → init: maps written (or any other request done).
    case done
    /// parent → stage-1 init: the cgroup exists; enter it (`CgroupSelfPlacement`).
    case cgroupReady
    /// stage-1 init → parent: the container process's pid (host view).
    case childPID
    /// container process → parent: I put myself into my cgroup.
    case selfPlaced
    /// parent → container process: createRuntime hooks done; set up the rootfs
    /// (sent only when it waits for it: `InitConfig.waitsForProceed`).
    case proceed
    /// container process → parent: created, blocked on the exec fifo (or, for exec, about to exec).
    case ready
    /// either side: something failed; `message` says what.
    case failure
  }

  public var kind: Kind
  public var pid: Int32?
  public var message: String?

  public init(_ kind: Kind, pid: Int32? = nil, message: String? = nil) {
    self.kind = kind
    self.pid = pid
    self.message = message
  }
}

/// Length-prefixed frames over a unix stream socket: JSON, except the init's config
/// (`InitConfig+Binary`).
public struct SyncChannel {
  public let fd: Int32
  public init(fd: Int32) { self.fd = fd }

  public func send<T: Encodable>(_ value: T) throws {
    try sendFrame(try JSON.encode(value))
  }

  public func receive<T: Decodable>(_ type: T.Type) throws -> T {
    try JSON.decode(T.self, from: try receiveFrame())
  }

  func sendFrame(_ body: [UInt8]) throws {
    guard let length = UInt32(exactly: body.count) else { throw RuntimeError("sync message too large") }
    let header: [UInt8] = [
      UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff),
    ]
    try FD.write(fd, header + body)
  }

  func receiveFrame() throws -> [UInt8] {
    let header = try readExactly(4)
    let length = header.reduce(0) { ($0 << 8) | Int($1) }
    guard length <= 64 << 20 else { throw RuntimeError("sync message too large: \(length) bytes") }
    return try readExactly(length)
  }

  /// Receives a message and turns a `failure` from the other side into a thrown error.
  public func expect(_ kind: SyncMessage.Kind) throws -> SyncMessage {
    let message = try receive(SyncMessage.self)
    if message.kind == .failure { throw RuntimeError(message.message ?? "container init failed") }
    guard message.kind == kind else {
      throw RuntimeError("container init protocol: expected \(kind.rawValue), got \(message.kind.rawValue)")
    }
    return message
  }

  private func readExactly(_ count: Int) throws -> [UInt8] {
    var bytes: [UInt8] = []
    while bytes.count < count {
      let chunk = try FD.read(fd, max: count - bytes.count)
      if chunk.isEmpty { throw RuntimeError("container init exited before it finished setting up") }
      bytes += chunk
    }
    return bytes
  }
}
