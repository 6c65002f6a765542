// berthd on TCP, as dockerd with --tlsverify: the real docker CLI and curl with a client
// certificate signed by --tlscacert get in; without one, or with one from another CA, the
// handshake fails; tcp:// without --tlsverify is refused at start.
import Daemon
import Foundation
import Testing

@Suite(.serialized) struct TLSTests {
  static var missing: String? {
    if let m = TestBerthd.missing { return m }
    if let m = TestCertificates.missing { return m }
    if !FileManager.default.isExecutableFile(atPath: curl) { return "needs \(curl)" }
    return nil
  }

  static let curl = "/usr/bin/curl"

  /// A berthd listening on its private socket and on TLS at 127.0.0.1:`port`, and its PKI.
  struct Setup {
    let daemon: TestBerthd
    let certs: TestCertificates
    let port: Int
    var host: String { "tcp://127.0.0.1:\(port)" }

    init(tag: String) throws {
      certs = try TestCertificates(dir: Integration.tempDir(tag + "-pki"), name: "Berth test")
      port = try TLSTests.freePort()
      daemon = TestBerthd(
        tag: tag,
        extraArguments: [
          "-H", "tcp://127.0.0.1:\(port)", "--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.serverCert,
          "--tlskey", certs.serverKey,
        ])
      do {
        try daemon.start()
        try TLSTests.waitForListener(port: port)
      } catch {
        cleanUp()
        throw error
      }
    }

    /// The docker CLI over TLS with a client certificate and key.
    @discardableResult
    func docker(cert: String, key: String, _ args: [String], stdin: Data? = nil) throws -> (Int32, String) {
      try daemon.docker(
        ["--tlsverify", "--tlscacert", certs.ca, "--tlscert", cert, "--tlskey", key, "-H", host] + args, stdin: stdin)
    }

    func cleanUp() {
      daemon.cleanUp()
      try? FileManager.default.removeItem(atPath: certs.dir)
    }
  }

  @Test(.enabled(if: TLSTests.missing == nil, "needs root, busybox, docker, openssl, curl and the built binaries"))
  func dockerCLIWithClientCertificate() throws {
    let s = try Setup(tag: "tls-ok")
    defer { s.cleanUp() }
    let (cert, key) = (s.certs.clientCert, s.certs.clientKey)

    var (rc, out) = try s.docker(cert: cert, key: key, ["version"])
    #expect(rc == 0 && out.contains("Server: Berth Engine"), "docker version over TLS: \(out)")
    try s.daemon.importBusybox()
    (rc, out) = try s.docker(cert: cert, key: key, ["run", "--rm", "busybox", "echo", "hi"])
    #expect(rc == 0 && out == "hi\n", "docker run over TLS: \(rc) \(out)")
    // A hijacked stream whose client half-closes inside TLS when stdin ends.
    (rc, out) = try s.docker(cert: cert, key: key, ["run", "-i", "--rm", "busybox", "cat"], stdin: Data("in\n".utf8))
    #expect(rc == 0 && out == "in\n", "docker run -i over TLS: \(rc) \(out)")

    // curl with the client certificate, held to TLS 1.2: the oldest version berthd takes.
    (rc, out) = try Integration.run(
      [
        "/usr/bin/timeout", "20", Self.curl, "-sS", "--tls-max", "1.2", "--cacert", s.certs.ca, "--cert", cert, "--key",
        key, "https://127.0.0.1:\(s.port)/_ping",
      ])
    #expect(rc == 0 && out == "OK", "curl with a client certificate over TLS 1.2: \(rc) \(out)")
    #expect(s.daemon.waitForNoLeftovers().isEmpty, "\(s.daemon.leftovers())")
  }

  @Test(.enabled(if: TLSTests.missing == nil, "needs root, busybox, docker, openssl, curl and the built binaries"))
  func clientsWithoutTheCAsCertificateAreRejected() throws {
    let s = try Setup(tag: "tls-reject")
    defer { s.cleanUp() }

    // No client certificate: DOCKER_CERT_PATH holds the CA only, so the CLI has none to send.
    let caOnly = s.certs.dir + "/ca-only"
    try FileManager.default.createDirectory(atPath: caOnly, withIntermediateDirectories: false)
    try FileManager.default.copyItem(atPath: s.certs.ca, toPath: caOnly + "/ca.pem")
    var env = s.daemon.environment
    env["DOCKER_CERT_PATH"] = caOnly
    var (rc, out) = try Integration.run(
      ["/usr/bin/timeout", "60", TestBerthd.dockerBinary, "--tlsverify", "-H", s.host, "version"], env: env)
    #expect(rc != 0 && Self.isHandshakeFailure(out), "docker without a client certificate: \(rc) \(out)")

    // A client certificate from another CA (the server's own CA still verifies the server).
    let otherDir = s.certs.dir + "/other"
    try FileManager.default.createDirectory(atPath: otherDir, withIntermediateDirectories: false)
    let other = try TestCertificates(dir: otherDir, name: "Other")
    (rc, out) = try s.docker(cert: other.clientCert, key: other.clientKey, ["version"])
    #expect(rc != 0 && Self.isHandshakeFailure(out), "docker with another CA's certificate: \(rc) \(out)")

    // curl trusting the server but without a certificate of its own.
    (rc, out) = try Integration.run(
      ["/usr/bin/timeout", "20", Self.curl, "-sS", "--cacert", s.certs.ca, "https://127.0.0.1:\(s.port)/_ping"])
    #expect(rc != 0 && !out.contains("OK") && !out.contains("Connection refused"), "curl without a certificate: \(out)")
    // curl with another CA's certificate, and curl held to TLS 1.1 (below berthd's minimum).
    let ping = "https://127.0.0.1:\(s.port)/_ping"
    (rc, out) = try Integration.run(
      [
        "/usr/bin/timeout", "20", Self.curl, "-sS", "--cacert", s.certs.ca, "--cert", other.clientCert, "--key",
        other.clientKey, ping,
      ])
    #expect(rc != 0 && out.contains("unknown ca"), "curl with another CA's certificate: \(rc) \(out)")
    (rc, out) = try Integration.run(
      [
        "/usr/bin/timeout", "20", Self.curl, "-sS", "--tlsv1.1", "--tls-max", "1.1", "--cacert", s.certs.ca, "--cert",
        s.certs.clientCert, "--key", s.certs.clientKey, ping,
      ])
    #expect(rc != 0 && !out.contains("OK"), "curl over TLS 1.1: \(rc) \(out)")
    // Plain HTTP on the TLS port gets no API either.
    (rc, out) = try Integration.run(["/usr/bin/timeout", "20", Self.curl, "-sS", "http://127.0.0.1:\(s.port)/_ping"])
    #expect(rc != 0 && !out.contains("OK"), "plain HTTP on the TLS port: \(rc) \(out)")
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func unreadableCertificateStopsBerthd() throws {
    let d = TestBerthd(
      tag: "tls-nocert",
      extraArguments: [
        "-H", "tcp://127.0.0.1:\(try Self.freePort())", "--tlsverify", "--tlscert", "/nonexistent/cert.pem",
      ])
    defer { d.cleanUp() }
    #expect(throws: IntegrationError.self) { try d.start() }
    #expect(d.logText.contains("cannot read --tlscert /nonexistent/cert.pem"), "\(d.logText)")
  }

  @Test(.enabled(if: Integration.binary("berthd") != nil, "needs the built berthd"))
  func tcpWithoutTLSVerifyIsRefused() throws {
    guard let berthd = Integration.binary("berthd") else { return }
    let dir = Integration.tempDir("tls-refuse")
    defer { Integration.destroy(dir) }
    let port = try Self.freePort()
    for tlsFlags in [[], ["--tls"], ["--tlsverify=false"]] {
      let (rc, out) = try Integration.run(
        [
          "/usr/bin/timeout", "20", berthd, "--data-root", dir + "/data", "--exec-root", dir + "/exec", "--bridge",
          "none",
        ]
          + ["-H", "unix://\(dir)/berth.sock", "-H", "tcp://127.0.0.1:\(port)"] + tlsFlags)
      #expect(rc == 1, "berthd \(tlsFlags) exited \(rc): \(out)")
      #expect(
        out.contains("refusing to listen on tcp://127.0.0.1:\(port) without --tlsverify"),
        "berthd \(tlsFlags): \(out)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/berth.sock"))
  }

  @Test func listenerParsing() throws {
    #expect(try DaemonListener(parsing: "unix:///run/b.sock") == .unix(path: "/run/b.sock"))
    #expect(try DaemonListener(parsing: "tcp://0.0.0.0:2376") == .tcp(host: "0.0.0.0", port: 2376))
    #expect(try DaemonListener(parsing: "tcp://:9999") == .tcp(host: "127.0.0.1", port: 9999))
    #expect(try DaemonListener(parsing: "tcp://[::1]:2376").description == "tcp://[::1]:2376")
    #expect(try DaemonListener(parsing: "tcp://10.0.0.1", defaultPort: 2375) == .tcp(host: "10.0.0.1", port: 2375))
    #expect(throws: DaemonError.self) { try DaemonListener(parsing: "tcp://h:99999") }
    #expect(throws: DaemonError.self) { try DaemonListener(parsing: "fd://") }
    let options = try DaemonOptions(parsing: [
      "-H", "tcp://127.0.0.1:2376", "--tlsverify", "--tlscacert=/c/ca.pem", "--tlscert", "/c/cert.pem",
      "--tlskey", "/c/key.pem",
    ])
    #expect(options.tls && options.tlsVerify)
    #expect(options.listeners == [.tcp(host: "127.0.0.1", port: 2376)])
    #expect([options.tlsCACert, options.tlsCert, options.tlsKey] == ["/c/ca.pem", "/c/cert.pem", "/c/key.pem"])
    #expect(throws: DaemonError.self) { try DaemonOptions(parsing: ["-H", "tcp://127.0.0.1:2376", "--tls"]) }
    #expect(throws: DaemonError.self) { try DaemonOptions(parsing: ["--tlsverify=maybe"]) }
  }

  // MARK: helpers

  /// Whether the docker CLI's error is the TLS handshake's (not a refused connection).
  static func isHandshakeFailure(_ out: String) -> Bool {
    let text = out.lowercased()
    return text.contains("tls") && !text.contains("connection refused")
  }

  /// A TCP port on 127.0.0.1 that nothing listens on: the kernel's pick for port 0.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw IntegrationError("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
        bind(fd, p, length) == 0 ? getsockname(fd, p, &length) : -1
      }
    }
    guard rc == 0 else { throw IntegrationError("bind/getsockname 127.0.0.1:0: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Waits until berthd accepts TCP connections on `port` (it binds after its unix socket).
  static func waitForListener(port: Int) throws {
    for _ in 0..<100 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw IntegrationError("socket: errno \(errno)") }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = UInt16(port).bigEndian
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      close(fd)
      if rc == 0 { return }
      usleep(50_000)
    }
    throw IntegrationError("nothing listens on 127.0.0.1:\(port)")
  }
}
