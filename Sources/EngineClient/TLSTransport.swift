import Glibc
import LinuxOS

/// TLS (1.2 or newer) over a connected TCP socket, on the system OpenSSL: verifies the
/// daemon's certificate and name, presents the client certificate.
public final class TLSTransport: ByteTransport {
  private let lib: LibSSL
  private let socket: SocketTransport
  private let context: OpaquePointer
  private let ssl: OpaquePointer
  private var closed = false

  public var fd: Int32 { socket.fd }

  /// Runs the handshake on `socket` for a daemon reached as `serverName`.
  public init(socket: SocketTransport, serverName: String, options: TLSOptions) throws {
    let lib = try LibSSL.shared.get()
    lib.ERR_clear_error()
    guard let context = lib.SSL_CTX_new(lib.TLS_client_method()) else {
      throw EngineClientError.tls(lib.errorQueueText() ?? "cannot create a TLS context")
    }
    do {
      try Self.configure(lib, context, options)
    } catch {
      lib.SSL_CTX_free(context)
      throw error
    }
    guard let ssl = lib.SSL_new(context) else {
      lib.SSL_CTX_free(context)
      throw EngineClientError.tls(lib.errorQueueText() ?? "cannot create a TLS session")
    }
    self.lib = lib
    self.socket = socket
    self.context = context
    self.ssl = ssl
    try handshake(serverName: serverName, verify: options.verify)
  }

  deinit {
    close()
    lib.SSL_free(ssl)
    lib.SSL_CTX_free(context)
  }

  /// Protocol floor, trust anchors and client identity.
  private static func configure(_ lib: LibSSL, _ context: OpaquePointer, _ options: TLSOptions) throws {
    _ = lib.SSL_CTX_ctrl(context, LibSSL.ctrlSetMinProtoVersion, LibSSL.tls12Version, nil)
    // A daemon that closes without close_notify ends the stream (as Go's client treats it).
    _ = lib.SSL_CTX_set_options(context, LibSSL.opIgnoreUnexpectedEOF)
    lib.SSL_CTX_set_verify(context, options.verify ? LibSSL.verifyPeer : LibSSL.verifyNone, nil)
    if let ca = options.caFile, options.verify, lib.SSL_CTX_load_verify_locations(context, ca, nil) != 1 {
      throw EngineClientError.tls(
        "could not read CA certificate \"\(ca)\": \(lib.errorQueueText() ?? "invalid PEM")")
    }
    switch (options.certFile, options.keyFile) {
    case (nil, nil): break
    case (let cert?, nil), (nil, let cert?):
      throw EngineClientError.tls("could not load X509 key pair for \(cert): both a certificate and a key are needed")
    case (let cert?, let key?):
      if lib.SSL_CTX_use_certificate_chain_file(context, cert) != 1 {
        throw EngineClientError.tls(
          "could not load X509 key pair: cannot read \(cert): \(lib.errorQueueText() ?? "invalid PEM")")
      }
      if lib.SSL_CTX_use_PrivateKey_file(context, key, LibSSL.filetypePEM) != 1
        || lib.SSL_CTX_check_private_key(context) != 1
      {
        throw EngineClientError.tls(
          "could not load X509 key pair: \(key): \(lib.errorQueueText() ?? "private key does not match")")
      }
    }
  }

  private func handshake(serverName: String, verify: Bool) throws {
    guard lib.SSL_set_fd(ssl, socket.fd) == 1 else {
      throw EngineClientError.tls(lib.errorQueueText() ?? "cannot attach the socket")
    }
    let isIP = Self.isIPAddress(serverName)
    // SNI carries names only, never addresses (RFC 6066), as Go's client does.
    if !isIP {
      _ = serverName.withCString {
        lib.SSL_ctrl(
          ssl, LibSSL.ctrlSetTLSExtHostname, LibSSL.tlsExtNametypeHostName, UnsafeMutableRawPointer(mutating: $0))
      }
    }
    if verify {
      let param = lib.SSL_get0_param(ssl)
      let ok =
        isIP
        ? lib.X509_VERIFY_PARAM_set1_ip_asc(param, serverName) : lib.X509_VERIFY_PARAM_set1_host(param, serverName, 0)
      guard ok == 1 else { throw EngineClientError.tls("cannot verify against the name \(serverName)") }
    }
    let rc = lib.SSL_connect(ssl)
    guard rc == 1 else {
      let verifyResult = lib.SSL_get_verify_result(ssl)
      if verify && verifyResult != LibSSL.verifyOK {
        lib.ERR_clear_error()
        let reason = Self.verifyFailure(lib, verifyResult, serverName: serverName)
        throw EngineClientError.protocolError("tls: failed to verify certificate: x509: \(reason)")
      }
      throw EngineClientError.protocolError("tls: handshake failed: \(failure(rc, during: "handshake"))")
    }
  }

  /// Go's words for the common failures (what docker users know), else OpenSSL's.
  private static func verifyFailure(_ lib: LibSSL, _ result: Int, serverName: String) -> String {
    switch result {
    // UNABLE_TO_GET_ISSUER_CERT, DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN,
    // UNABLE_TO_GET_ISSUER_CERT_LOCALLY, UNABLE_TO_VERIFY_LEAF_SIGNATURE
    case 2, 18, 19, 20, 21: return "certificate signed by unknown authority"
    // HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH
    case 62, 64: return "certificate is not valid for \(serverName)"
    default: return lib.X509_verify_cert_error_string(result).map { String(cString: $0) } ?? "error \(result)"
    }
  }

  static func isIPAddress(_ name: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
  }

  /// Why an SSL_* call returned `rc`.
  private func failure(_ rc: Int32, during operation: String) -> String {
    let code = lib.SSL_get_error(ssl, rc)
    let savedErrno = errno
    if let text = lib.errorQueueText() { return text }
    if code == LibSSL.errorSyscall {
      return savedErrno == 0 ? "connection closed during \(operation)" : String(cString: strerror(savedErrno))
    }
    return "\(operation) failed (SSL error \(code))"
  }

  public var hasPendingData: Bool { lib.SSL_pending(ssl) > 0 }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      lib.ERR_clear_error()
      let n = lib.SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
      if n > 0 { return Int(n) }
      let code = lib.SSL_get_error(ssl, n)
      switch code {
      case LibSSL.errorZeroReturn: return 0
      case LibSSL.errorWantRead, LibSSL.errorWantWrite: continue
      case LibSSL.errorSyscall where errno == EINTR: continue
      case LibSSL.errorSyscall where errno == ECONNRESET:
        throw SystemError("recv", errno: ECONNRESET)
      case LibSSL.errorSyscall where errno == 0:
        return 0
      default:
        throw EngineClientError.protocolError("tls: read: \(failure(n, during: "read"))")
      }
    }
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws -> Int {
    guard !bytes.isEmpty else { return 0 }
    let guardPipe = SIGPIPEGuard()
    defer { guardPipe.end() }
    while true {
      lib.ERR_clear_error()
      let n = lib.SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
      if n > 0 { return Int(n) }
      let code = lib.SSL_get_error(ssl, n)
      switch code {
      case LibSSL.errorWantRead, LibSSL.errorWantWrite: continue
      case LibSSL.errorSyscall where errno == EINTR: continue
      case LibSSL.errorSyscall where errno == EPIPE || errno == ECONNRESET:
        throw SystemError("send", errno: errno)
      default:
        throw EngineClientError.protocolError("tls: write: \(failure(n, during: "write"))")
      }
    }
  }

  /// Sends close_notify: TLS's half-close (docker's CLI does the same when stdin ends);
  /// the daemon's output can still be read.
  public func shutdownWrite() {
    let guardPipe = SIGPIPEGuard()
    defer { guardPipe.end() }
    lib.ERR_clear_error()
    _ = lib.SSL_shutdown(ssl)
    lib.ERR_clear_error()
  }

  public func close() {
    if !closed {
      closed = true
      socket.close()
    }
  }
}

/// OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a daemon gone away would raise
/// SIGPIPE and kill the CLI. Blocks it on this thread around a write and swallows one
/// raised meanwhile, leaving the process's disposition (e.g. for stdout) alone.
struct SIGPIPEGuard {
  private var previous = sigset_t()

  init() {
    var set = Self.pipeSet()
    pthread_sigmask(SIG_BLOCK, &set, &previous)
  }

  func end() {
    var set = Self.pipeSet()
    var pending = sigset_t()
    var restore = previous
    sigpending(&pending)
    if sigismember(&pending, SIGPIPE) == 1 && sigismember(&restore, SIGPIPE) == 0 {
      var zero = timespec()
      _ = sigtimedwait(&set, nil, &zero)
    }
    pthread_sigmask(SIG_SETMASK, &restore, nil)
  }

  private static func pipeSet() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGPIPE)
    return set
  }
}
