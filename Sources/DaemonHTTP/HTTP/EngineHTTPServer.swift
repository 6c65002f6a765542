#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import EngineAPI
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

public struct EngineHTTPServerConfiguration: Sendable {
  /// Goes into the `Server` header: `Docker/<version> (linux)`.
  public var serverVersion: String
  public var experimental: Bool
  /// Bodies of non-streaming routes (JSON) larger than this are refused.
  public var maxBufferedBodySize: Int

  public init(serverVersion: String = "27.3.1-berth", experimental: Bool = false, maxBufferedBodySize: Int = 16 << 20) {
    self.serverVersion = serverVersion
    self.experimental = experimental
    self.maxBufferedBodySize = maxBufferedBodySize
  }
}

/// The Docker Engine API over HTTP/1.1, on unix sockets and/or TCP, served from the engine's area backends.
public final class EngineHTTPServer: Sendable {
  private let router: Router
  private let group: any EventLoopGroup
  private let listeners = NIOLockedValueBox<[any Channel]>([])

  public init(
    backends: EngineBackends, configuration: EngineHTTPServerConfiguration = EngineHTTPServerConfiguration(),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.router = Router(backends: backends, configuration: configuration)
    self.group = group
  }

  /// With `tls`, every connection starts with a TLS handshake; HTTP runs inside it.
  private func bootstrap(tls: NIOSSLContext? = nil) -> ServerBootstrap {
    let router = self.router
    return ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.allowRemoteHalfClosure, value: true)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
          let encoder = HTTPResponseEncoder()
          let handler = HTTPServerHandler(router: router, decoder: decoder, encoder: encoder)
          if let tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
            try channel.pipeline.syncOperations.addHandler(RaggedEOFHandler())
          }
          try channel.pipeline.syncOperations.addHandler(decoder)
          try channel.pipeline.syncOperations.addHandler(encoder)
          try channel.pipeline.syncOperations.addHandler(handler)
        }
      }
  }

  /// Listens on a unix socket (replacing a stale socket file), with `mode` and optionally a group.
  public func listen(unixSocket path: String, mode: UInt32 = 0o660, groupID: UInt32? = nil) async throws {
    let channel = try await bootstrap().bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
    listeners.withLockedValue { $0.append(channel) }
    if chmod(path, mode_t(mode)) != 0 {
      throw EngineError.internal("chmod \(path): errno \(errno)")
    }
    if let groupID, chown(path, uid_t.max, gid_t(groupID)) != 0 {
      throw EngineError.internal("chown \(path) to group \(groupID): errno \(errno)")
    }
  }

  /// Listens on TCP, over TLS when `tls` is given; returns the bound port (useful with port 0).
  @discardableResult
  public func listen(host: String, port: Int, tls: EngineServerTLS? = nil) async throws -> Int {
    let channel = try await bootstrap(tls: tls?.context).bind(host: host, port: port).get()
    listeners.withLockedValue { $0.append(channel) }
    return channel.localAddress?.port ?? port
  }

  /// Stops listening (open connections finish on their own).
  public func close() async {
    let channels = listeners.withLockedValue { l in
      defer { l = [] }
      return l
    }
    for channel in channels { try? await channel.close().get() }
  }
}
