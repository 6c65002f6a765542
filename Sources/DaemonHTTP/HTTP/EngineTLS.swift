// TLS for TCP listeners, as dockerd's --tlsverify: the server's certificate and key, and a
// CA that every client certificate must be signed by.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NIOCore
import NIOSSL

/// A TLS listener's set-up that requires client certificates, loaded from PEM files (so a
/// bad file stops berthd before it listens anywhere).
public struct EngineServerTLS: Sendable {
  let context: NIOSSLContext

  /// `caCertificate` signs the clients' certificates (--tlscacert); `certificate` and
  /// `privateKey` are the server's (--tlscert, --tlskey). TLS 1.2 or newer; a client
  /// certificate signed by the CA is required at the handshake (no hostname check:
  /// clients have none to match).
  public init(caCertificate: String, certificate: String, privateKey: String) throws {
    let chain = try Self.load("--tlscert", certificate) { try NIOSSLCertificate.fromPEMFile($0) }
    guard !chain.isEmpty else { throw EngineTLSError("--tlscert \(certificate) holds no PEM certificate") }
    let key = try Self.load("--tlskey", privateKey) { try NIOSSLPrivateKey(file: $0, format: .pem) }
    let roots = try Self.load("--tlscacert", caCertificate) { try NIOSSLCertificate.fromPEMFile($0) }
    guard !roots.isEmpty else { throw EngineTLSError("--tlscacert \(caCertificate) holds no PEM certificate") }
    var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key),
      trustRoots: .certificates(roots))
    configuration.minimumTLSVersion = .tlsv12
    // As Go's server (dockerd): clients pick their certificate by the CAs named here.
    configuration.sendCANameList = true
    do {
      context = try NIOSSLContext(configuration: configuration)
    } catch {
      throw EngineTLSError("TLS set-up with --tlscert \(certificate) and --tlskey \(privateKey) failed: \(error)")
    }
  }

  private static func load<T>(_ flag: String, _ path: String, _ body: (String) throws -> T) throws -> T {
    guard access(path, R_OK) == 0 else {
      throw EngineTLSError("cannot read \(flag) \(path): \(String(cString: strerror(errno)))")
    }
    do {
      return try body(path)
    } catch {
      throw EngineTLSError("cannot load \(flag) \(path) as PEM: \(error)")
    }
  }
}

public struct EngineTLSError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}

/// A client that closes TCP without TLS's close_notify is a half-close like any other
/// (docker's hijacked streams do it); the input-closed event that follows is handled as usual.
final class RaggedEOFHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if case NIOSSLError.uncleanShutdown = error { return }
    context.fireErrorCaught(error)
  }
}
