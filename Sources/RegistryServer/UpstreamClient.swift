// A plain HTTP/1.1 client for the pull-through cache's upstream registry: one connection
// per request, the response body streamed to the caller.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

final class UpstreamClient: Sendable {
  let host: String
  let port: Int
  let authorization: String?
  let group: any EventLoopGroup

  typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

  init(url: String, username: String?, password: String?, group: any EventLoopGroup) throws {
    guard url.hasPrefix("http://") else {
      throw RegistryError(
        .internalServerError, "UNSUPPORTED", "the proxy's remote must be an http:// URL", detail: url)
    }
    let authority = url.dropFirst(7).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    let hostPort = authority.split(separator: ":")
    guard let first = hostPort.first else {
      throw RegistryError(.internalServerError, "UNSUPPORTED", "no host in the proxy's remote", detail: url)
    }
    host = String(first)
    port = hostPort.count > 1 ? Int(hostPort[1]) ?? 80 : 80
    if let username, let password {
      authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    } else {
      authorization = nil
    }
    self.group = group
  }

  /// The response head and a reader of its body.
  final class Response {
    let head: HTTPResponseHead
    private var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private var done = false

    init(head: HTTPResponseHead, iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) {
      self.head = head
      self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
      while !done {
        guard let part = try await iterator.next() else {
          throw RegistryError(.badGateway, "UNKNOWN", "the upstream registry closed the connection mid-body")
        }
        switch part {
        case .body(let b): return b
        case .end: done = true
        case .head: continue
        }
      }
      return nil
    }

    func collect(limit: Int) async throws -> [UInt8] {
      var out: [UInt8] = []
      while let b = try await next() {
        out += b.readableBytesView
        if out.count > limit {
          throw RegistryError(.badGateway, "SIZE_INVALID", "the upstream response is larger than \(limit) bytes")
        }
      }
      return out
    }
  }

  /// GET `path`; `body` reads the response while the connection is open.
  func get<R: Sendable>(_ path: String, headers: [(String, String)], _ body: (Response) async throws -> R)
    async throws -> R
  {
    let channel = try await ClientBootstrap(group: group).connect(host: host, port: port) { channel in
      channel.eventLoop.makeCompletedFuture {
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        return try Connection(wrappingChannelSynchronously: channel)
      }
    }
    return try await channel.executeThenClose { inbound, outbound in
      var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
      head.headers.add(name: "Host", value: "\(host):\(port)")
      head.headers.add(name: "Connection", value: "close")
      head.headers.add(name: "User-Agent", value: "berth-registry-proxy")
      if let authorization { head.headers.add(name: "Authorization", value: authorization) }
      for (k, v) in headers { head.headers.add(name: k, value: v) }
      try await outbound.write(.head(head))
      try await outbound.write(.end(nil))
      var iterator = inbound.makeAsyncIterator()
      guard case .head(let responseHead)? = try await iterator.next() else {
        throw RegistryError(.badGateway, "UNKNOWN", "the upstream registry sent no response")
      }
      return try await body(Response(head: responseHead, iterator: iterator))
    }
  }
}
