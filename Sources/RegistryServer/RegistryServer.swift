// Berth's registry server: the OCI distribution API over HTTP/1.1 (optionally TLS) on
// SwiftNIO. Each connection is served by one task reading requests in order; blocking
// disk work runs on NIO's thread pool.
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

public struct RegistryConfiguration: Sendable {
  /// Where blobs, repositories and uploads live.
  public var root: String
  public var host: String
  /// 0 picks a free port (`RegistryServer.start()` returns it).
  public var port: Int
  /// Basic auth against this htpasswd file (bcrypt lines).
  public var htpasswdPath: String?
  /// Bearer token auth (HS256 tokens from a token service sharing the key).
  public var tokenAuth: TokenAuthConfiguration?
  /// PEM certificate chain and private key: serve HTTPS.
  public var tlsCertificatePath: String?
  public var tlsKeyPath: String?
  /// Pull-through cache of this registry (`http://host:port`).
  public var proxyRemoteURL: String?
  public var proxyUsername: String?
  public var proxyPassword: String?
  /// When false, DELETE answers 405 UNSUPPORTED.
  public var deleteEnabled: Bool
  /// Seconds between online garbage collections; nil: none.
  public var gcInterval: Int64?
  /// Blobs committed or touched this recently survive a collection.
  public var gcGracePeriod: Int64
  /// Uploads untouched this long are removed by a collection.
  public var uploadExpiry: Int64

  public init(
    root: String, host: String = "127.0.0.1", port: Int = 5000, htpasswdPath: String? = nil,
    tokenAuth: TokenAuthConfiguration? = nil, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
    proxyRemoteURL: String? = nil, deleteEnabled: Bool = true, gcInterval: Int64? = nil,
    gcGracePeriod: Int64 = 3600, uploadExpiry: Int64 = 86_400
  ) {
    self.root = root
    self.host = host
    self.port = port
    self.htpasswdPath = htpasswdPath
    self.tokenAuth = tokenAuth
    self.tlsCertificatePath = tlsCertificatePath
    self.tlsKeyPath = tlsKeyPath
    self.proxyRemoteURL = proxyRemoteURL
    self.deleteEnabled = deleteEnabled
    self.gcInterval = gcInterval
    self.gcGracePeriod = gcGracePeriod
    self.uploadExpiry = uploadExpiry
  }
}

public final class RegistryServer: Sendable {
  public let configuration: RegistryConfiguration
  public let storage: RegistryStorage
  let handlers: RegistryHandlers
  let tls: NIOSSLContext?
  let group: any EventLoopGroup
  let pool: NIOThreadPool

  typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
  private struct Running {
    var listener: (any Channel)?
    var tasks: [Task<Void, Never>] = []
    var port: Int?
  }
  private let running = NIOLockedValueBox(Running())

  /// Whether `pool` was made here (and is shut down with the server).
  let ownsPool: Bool

  /// `pool`: where blocking disk work runs; by default a pool of the server's own, so a
  /// slow fsync or a GC holding its lock never stalls other users of NIO's shared pool.
  public init(
    configuration: RegistryConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    pool: NIOThreadPool? = nil
  ) throws {
    self.configuration = configuration
    self.group = group
    if let pool {
      self.pool = pool
      self.ownsPool = false
    } else {
      let own = NIOThreadPool(numberOfThreads: 8)
      own.start()
      self.pool = own
      self.ownsPool = true
    }
    let pool = self.pool
    let storage = try RegistryStorage(root: configuration.root)
    self.storage = storage
    var authenticator: (any RegistryAuthenticator)?
    if let path = configuration.htpasswdPath { authenticator = try HtpasswdAuthenticator(path: path) }
    if let token = configuration.tokenAuth { authenticator = TokenAuthenticator(token) }
    var proxy: ProxyCache?
    if let url = configuration.proxyRemoteURL {
      let upstream = try UpstreamClient(
        url: url, username: configuration.proxyUsername, password: configuration.proxyPassword, group: group)
      proxy = ProxyCache(upstream: upstream, storage: storage, pool: pool)
    }
    self.handlers = RegistryHandlers(
      storage: storage, pool: pool, authenticator: authenticator, proxy: proxy,
      deleteEnabled: configuration.deleteEnabled)
    if let cert = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
      let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
      let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
        certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
      self.tls = try NIOSSLContext(configuration: tlsConfiguration)
    } else {
      self.tls = nil
    }
  }

  /// The bound port once started.
  public var port: Int? { running.withLockedValue { $0.port } }

  /// Binds and starts accepting connections (and the periodic GC when configured).
  /// Returns the bound port.
  @discardableResult
  public func start() async throws -> Int {
    let tls = self.tls
    let listener = try await ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: configuration.host, port: configuration.port) { channel in
        channel.eventLoop.makeCompletedFuture {
          if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          return try Connection(wrappingChannelSynchronously: channel)
        }
      }
    let port = listener.channel.localAddress?.port ?? configuration.port
    let handlers = self.handlers
    let pool = self.pool
    let accept = Task {
      do {
        try await listener.executeThenClose { inbound in
          try await withThrowingDiscardingTaskGroup { group in
            for try await connection in inbound {
              group.addTask { await Self.serve(connection, handlers: handlers, pool: pool) }
            }
          }
        }
      } catch {
        registryLog("listener on port \(port) stopped: \(error)")
      }
    }
    var tasks = [accept]
    if let interval = configuration.gcInterval, interval > 0 {
      let storage = self.storage
      let grace = configuration.gcGracePeriod
      let expiry = configuration.uploadExpiry
      tasks.append(
        Task {
          while !Task.isCancelled {
            do {
              try await Task.sleep(for: .seconds(interval))
              let report = try await pool.runIfActive {
                try storage.garbageCollect(gracePeriod: grace, uploadExpiry: expiry)
              }
              if !report.removedBlobs.isEmpty || !report.removedUploads.isEmpty {
                registryLog(
                  "gc: removed \(report.removedBlobs.count) blobs, \(report.removedUploads.count) stale uploads")
              }
            } catch is CancellationError {
              return
            } catch {
              registryLog("gc failed: \(error)")
            }
          }
        })
    }
    running.withLockedValue {
      $0.listener = listener.channel
      $0.tasks = tasks
      $0.port = port
    }
    return port
  }

  /// Serves until the listener closes (for the executable); starts first if needed.
  public func run() async throws {
    if port == nil { try await start() }
    let tasks = running.withLockedValue { $0.tasks }
    for task in tasks { await task.value }
  }

  /// Stops accepting, ends every connection and the periodic GC.
  public func shutdown() async {
    let (listener, tasks) = running.withLockedValue { state in
      defer { state = Running() }
      return (state.listener, state.tasks)
    }
    do {
      try await listener?.close()
    } catch {
      registryLog("closing the listener: \(error)")
    }
    for task in tasks {
      task.cancel()
      await task.value
    }
    if ownsPool {
      do {
        try await pool.shutdownGracefully()
      } catch {
        registryLog("stopping the thread pool: \(error)")
      }
    }
  }

  static func serve(_ connection: Connection, handlers: RegistryHandlers, pool: NIOThreadPool) async {
    do {
      try await connection.executeThenClose { inbound, outbound in
        let parts = InboundParts(inbound.makeAsyncIterator())
        let writer = ResponseWriter(outbound: outbound, pool: pool)
        while let part = try await parts.next() {
          // Parts of a body already answered and drained cannot arrive; skip anything but a head.
          guard case .head(let head) = part else { continue }
          let request = RegistryRequest(head: head)
          let body = RequestBody(parts)
          if head.headers["Expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
          }
          var response: RegistryResponse
          do {
            response = try await handlers.handle(request, body)
          } catch let error as RegistryError {
            response = RegistryResponse(error: error, head: head.method == .HEAD)
          } catch {
            registryLog("\(head.method) \(head.uri): \(error)")
            response = RegistryResponse(error: .internalError(error), head: head.method == .HEAD)
          }
          var keepAlive = head.isKeepAlive
          if !body.finished {
            do {
              try await body.drain()
            } catch {
              keepAlive = false
            }
          }
          try await writer.send(response, keepAlive: keepAlive)
          if !keepAlive { break }
        }
      }
    } catch let error as ChannelError where error == .ioOnClosedChannel || error == .eof {
      // The client went away (mid-request or between requests): nothing to answer.
      return
    } catch is HTTPParserError {
      // Not HTTP (a TLS hello from a client probing https first): the pipeline's error
      // handler already answered 400 and closed.
      return
    } catch {
      registryLog("connection ended: \(error)")
    }
  }
}
