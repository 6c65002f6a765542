// The container's resolver on 127.0.0.11:53 (what dockerd's embedded DNS is), run by the
// shim so that it answers for as long as the container lives, berthd restarts included.
// berthd binds the UDP socket inside the container's network namespace and hands it over;
// the names come from a table berthd rewrites as peers come and go; other names go to the
// upstream resolvers through a socket of the shim's own (the host's namespace).
import Glibc
import JSONCoding
import LinuxOS

final class DNSResponder {
  /// The socket on 127.0.0.11:53 in the container's namespace (non-blocking).
  let socket: Int32
  let tablePath: String
  /// A UDP socket in the host's namespace for forwarded queries; opened at the first one.
  private(set) var upstreamSocket: Int32 = -1
  private var table = DNSTable()
  /// The table file's change time and inode when it was read.
  private var tableVersion: (Int, Int, UInt64) = (0, 0, 0)
  private var pending: [UInt16: Forwarded] = [:]
  private var nextID = UInt16.random(in: 0...UInt16.max)

  struct Forwarded {
    var client: sockaddr_in
    var originalID: UInt16
    var deadline: UInt64
  }

  /// How long a forwarded query waits for its upstream (the client retries after its own timeout).
  static let forwardTimeout: UInt64 = 5_000_000_000

  init(socket: Int32, tablePath: String) throws {
    self.socket = socket
    self.tablePath = tablePath
    try ShimSocket.setNonBlocking(socket)
  }

  /// Reads and answers every query waiting on the container's socket.
  func serveQueries() {
    var buffer = [UInt8](repeating: 0, count: 1500)
    while true {
      var client = sockaddr_in()
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let n = withUnsafeMutablePointer(to: &client) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          recvfrom(socket, &buffer, buffer.count, 0, $0, &length)
        }
      }
      if n < 0 {
        if errno == EINTR { continue }
        return  // EAGAIN: drained
      }
      let bytes = Array(buffer[0..<n])
      guard let query = DNSQuery(bytes) else { continue }  // not a query: nothing to answer
      answer(query, raw: bytes, client: client)
    }
  }

  private func answer(_ query: DNSQuery, raw: [UInt8], client: sockaddr_in) {
    reloadTable()
    if let addresses = table.names[query.name], query.qclass == DNSQuery.classIN {
      let wanted = addresses.compactMap(IPText.bytes).filter {
        switch query.type {
        case DNSQuery.typeA: $0.count == 4
        case DNSQuery.typeAAAA: $0.count == 16
        default: false
        }
      }
      send(query.answer(addresses: wanted), to: client)
      return
    }
    guard forward(raw, query: query, client: client) else {
      send(query.answer(addresses: [], rcode: 2), to: client)
      return
    }
  }

  /// Sends the query on to the next upstream with an id of the resolver's own.
  private func forward(_ raw: [UInt8], query: DNSQuery, client: sockaddr_in) -> Bool {
    guard !table.upstreams.isEmpty, let upstream = openUpstream() else { return false }
    nextID &+= 1
    let id = nextID
    var outgoing = raw
    outgoing[0] = UInt8(id >> 8)
    outgoing[1] = UInt8(id & 0xFF)
    let server = table.upstreams[Int(id) % table.upstreams.count]
    guard var address = Self.address(server) else {
      printError("berth-shim: dns: upstream \(server) is not an IPv4 address[:port]")
      return false
    }
    let sent = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        sendto(upstream, outgoing, outgoing.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard sent == outgoing.count else { return false }
    expire()
    pending[id] = Forwarded(
      client: client, originalID: query.id, deadline: LogTimestamp.monotonicNanoseconds() + Self.forwardTimeout)
    return true
  }

  /// Relays the upstreams' answers back to the clients that asked.
  func relayAnswers() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while upstreamSocket >= 0 {
      let n = recv(upstreamSocket, &buffer, buffer.count, 0)
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      guard n >= 12 else { continue }
      let id = UInt16(buffer[0]) << 8 | UInt16(buffer[1])
      guard let waiting = pending.removeValue(forKey: id) else { continue }  // late or unknown
      var reply = Array(buffer[0..<n])
      reply[0] = UInt8(waiting.originalID >> 8)
      reply[1] = UInt8(waiting.originalID & 0xFF)
      send(reply, to: waiting.client)
    }
  }

  /// Forgets forwarded queries whose upstream never answered.
  func expire() {
    let now = LogTimestamp.monotonicNanoseconds()
    pending = pending.filter { $0.value.deadline > now }
  }

  private func send(_ bytes: [UInt8], to client: sockaddr_in) {
    var client = client
    let sent = withUnsafePointer(to: &client) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        sendto(socket, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if sent < 0 { printError("berth-shim: dns: sendto: \(String(cString: strerror(errno)))") }
  }

  private func openUpstream() -> Int32? {
    if upstreamSocket >= 0 { return upstreamSocket }
    let fd = Glibc.socket(
      AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard fd >= 0 else {
      printError("berth-shim: dns: socket: \(String(cString: strerror(errno)))")
      return nil
    }
    upstreamSocket = fd
    return fd
  }

  /// Rereads the table when berthd has replaced it (it writes a new file and renames it).
  private func reloadTable() {
    var st = stat()
    guard stat(tablePath, &st) == 0 else { return }
    let version = (st.st_ctim.tv_sec, st.st_ctim.tv_nsec, UInt64(st.st_ino))
    guard version != tableVersion else { return }
    do {
      table = try JSON.decode(DNSTable.self, from: try Files.read(tablePath))
      tableVersion = version
    } catch {
      printError("berth-shim: dns: reading \(tablePath): \(error)")
    }
  }

  /// "192.0.2.1" or "192.0.2.1:5353" as a socket address (port 53 by default).
  static func address(_ text: String) -> sockaddr_in? {
    let parts = text.split(separator: ":")
    guard parts.count == 1 || parts.count == 2, let ip = IPText.bytes(String(parts[0])), ip.count == 4 else {
      return nil
    }
    let port = parts.count == 2 ? UInt16(parts[1]) : 53
    guard let port else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = (UInt32(ip[0]) << 24 | UInt32(ip[1]) << 16 | UInt32(ip[2]) << 8 | UInt32(ip[3])).bigEndian
    return address
  }
}
