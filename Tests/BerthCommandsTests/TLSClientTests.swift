// The CLI over tcp:// with TLS, as the docker CLI: -H/--tls* flags and DOCKER_HOST,
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, against a real berthd with --tlsverify.
import EngineClient
import Foundation
import Glibc
import Testing

@Suite struct TLSClientParsing {
  @Test func tcpHosts() throws {
    #expect(try EngineHost(parsing: "tcp://10.0.0.1:2376").address == .tcp(host: "10.0.0.1", port: 2376))
    #expect(try EngineHost(parsing: "tcp://example.com/").address == .tcp(host: "example.com", port: 2375))
    let tls = TLSOptions(verify: true)
    #expect(try EngineHost(parsing: "tcp://example.com", tls: tls).address == .tcp(host: "example.com", port: 2376))
    #expect(try EngineHost(parsing: "tcp://:99").address == .tcp(host: "localhost", port: 99))
    let v6 = try EngineHost(parsing: "tcp://[::1]:2376")
    #expect(v6.address == .tcp(host: "::1", port: 2376) && v6.description == "tcp://[::1]:2376")
    #expect(v6.socketPath == nil)
    for bad in ["tcp://h:0", "tcp://h:70000", "tcp://h:x", "tcp://h:1/path", "tcp://[::1", "ssh://h", "http://h"] {
      #expect(throws: EngineClientError.self, "\(bad)") { try EngineHost(parsing: bad) }
    }
  }

  @Test func tlsFromEnvironmentAndFlags() throws {
    let dir = "/tmp/berth-tlsflags-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let env = ["DOCKER_HOST": "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": dir]

    // No client certificate in DOCKER_CERT_PATH: none is sent (the CA is still required).
    var host = try EngineHost.resolve(flag: nil, environment: env)
    #expect(host.address == .tcp(host: "127.0.0.1", port: 2376))
    #expect(host.tls == TLSOptions(verify: true, caFile: dir + "/ca.pem"))
    for name in ["cert.pem", "key.pem"] { FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: nil) }
    host = try EngineHost.resolve(flag: nil, environment: env)
    #expect(
      host.tls
        == TLSOptions(verify: true, caFile: dir + "/ca.pem", certFile: dir + "/cert.pem", keyFile: dir + "/key.pem"))

    // Flags win over the environment; --tlsverify=false leaves --tls-less plain TCP.
    host = try EngineHost.resolve(
      flag: "tcp://h:1", tlsFlags: TLSFlags(verify: true, caCert: "/c/ca", cert: "/c/cert", key: "/c/key"),
      environment: [:])
    #expect(host.tls == TLSOptions(verify: true, caFile: "/c/ca", certFile: "/c/cert", keyFile: "/c/key"))
    #expect(try EngineHost.resolve(flag: nil, tlsFlags: TLSFlags(verify: false), environment: env).tls == nil)
    // --tls: encrypted, the daemon not verified; the default directory is ~/.docker.
    host = try EngineHost.resolve(flag: "tcp://h:1", tlsFlags: TLSFlags(tls: true), environment: ["HOME": dir])
    #expect(host.tls == TLSOptions(verify: false, caFile: dir + "/.docker/ca.pem"))
    #expect(try EngineHost.resolve(flag: "tcp://h:1", environment: ["DOCKER_TLS": "1"]).tls?.verify == false)
    #expect(try EngineHost.resolve(flag: "tcp://h:1", environment: [:]).tls == nil)
  }

  @Test func cliErrors() throws {
    let refused = runCLI(["-H", "tcp://127.0.0.1:1", "version"], host: nil)
    #expect(refused.code == 1)
    #expect(refused.stderr.contains("Cannot connect to the berth daemon at tcp://127.0.0.1:1"), "\(refused.stderr)")
    let noCA = runCLI(
      ["-H", "tcp://127.0.0.1:1", "--tlsverify", "--tlscacert", "/nonexistent/ca.pem", "ps"], host: nil)
    #expect(noCA.code == 1)
    // The port is closed, so the connection fails before the files are read.
    #expect(noCA.stderr.contains("Cannot connect"), "\(noCA.stderr)")
    let bad = runCLI(["-H", "tcp://127.0.0.1:x", "ps"], host: nil)
    #expect(bad.code == 1 && bad.stderr.contains("invalid port"), "\(bad.stderr)")
  }
}

/// A berthd with `-H tcp://127.0.0.1:PORT --tlsverify` and the CLI against it over TLS.
@Suite(.serialized, .enabled(if: berthdBinary() != nil && getuid() == 0 && TestPKI.available))
struct TLSClientEndToEnd {
  @Test func cliOverTLS() throws {
    guard let berthd = berthdBinary(), FileManager.default.isExecutableFile(atPath: "/bin/busybox") else { return }
    let dir = "/tmp/berth-tlscli-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let pki = try TestPKI(dir: dir + "/pki", name: "Berth test")
    let other = try TestPKI(dir: dir + "/other", name: "Other")
    let port = try freeTCPPort()
    let host = "tcp://127.0.0.1:\(port)"
    let unix = "unix://\(dir)/berth.sock"
    let cgroupParent = "/berth-test-tlscli-\(getpid())"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: berthd)
    process.arguments = [
      "--data-root", "\(dir)/data", "--exec-root", "\(dir)/exec", "--bridge", "none", "-H", unix, "-H", host,
      "--tlsverify",
      "--tlscacert", pki.ca, "--tlscert", pki.serverCert, "--tlskey", pki.serverKey, "--cgroup-parent", cgroupParent,
    ]
    FileManager.default.createFile(atPath: "\(dir)/berthd.log", contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: "\(dir)/berthd.log")
    process.standardError = FileHandle(forWritingAtPath: "\(dir)/berthd.log")
    try process.run()
    defer {
      for id in runCLI(["ps", "-aq"], host: unix).stdout.split(separator: "\n") {
        _ = runCLI(["rm", "-f", String(id)], host: unix)
      }
      process.terminate()
      process.waitUntilExit()
      unmountEverything(under: dir)
      try? FileManager.default.removeItem(atPath: dir)
      for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
        rmdir("/sys/fs/cgroup/\(hierarchy)\(cgroupParent)")
      }
    }
    let flags = [
      "-H", host, "--tlsverify", "--tlscacert", pki.ca, "--tlscert", pki.clientCert, "--tlskey", pki.clientKey,
    ]
    var up = false
    for _ in 0..<100 where !up {
      up = runCLI(flags + ["version"], host: nil).code == 0
      if !up { usleep(100_000) }
    }
    let log = (try? String(contentsOfFile: "\(dir)/berthd.log", encoding: .utf8)) ?? ""
    try #require(up, "berth version over TLS did not succeed within 10 s; berthd: \(log)")
    let version = runCLI(flags + ["version", "--format", "{{.Server.ApiVersion}}"], host: nil)
    #expect(version.code == 0 && version.stdout == "1.47\n", "\(version)")

    // busybox imported over TLS (a chunked request body).
    let rootfs = "\(dir)/rootfs"
    let make = Process()
    make.executableURL = URL(fileURLWithPath: "/bin/sh")
    make.arguments = [
      "-c", "scripts/make-busybox-rootfs.sh \(rootfs) >/dev/null && tar -C \(rootfs) -cf \(dir)/busybox.tar .",
    ]
    make.currentDirectoryURL = packageRoot()
    try make.run()
    make.waitUntilExit()
    try #require(make.terminationStatus == 0)
    let imported = runCLI(flags + ["import", "\(dir)/busybox.tar", "busybox:latest"], host: nil)
    #expect(imported.code == 0, "\(imported.stderr)")

    // The docker CLI's environment: DOCKER_CERT_PATH holds ca.pem, cert.pem and key.pem.
    let env = ["DOCKER_HOST": host, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": pki.dir]
    let run = runCLI(["run", "--rm", "busybox", "echo", "hi"], host: nil, environment: env)
    #expect(run.code == 0 && run.stdout == "hi\n", "\(run)")
    // stdin through a hijacked TLS stream, half-closed with close_notify at its end.
    let cat = runCLI(["run", "-i", "--rm", "busybox", "cat"], host: nil, stdin: "in\nput\n", environment: env)
    #expect(cat.code == 0 && cat.stdout == "in\nput\n", "\(cat)")
    let big = String(repeating: "0123456789abcdef", count: 64 * 1024)
    let wc = runCLI(["run", "-i", "--rm", "busybox", "wc", "-c"], host: nil, stdin: big, environment: env)
    #expect(wc.code == 0 && wc.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(big.utf8.count)", "\(wc)")
    let detached = runCLI(["run", "-d", "--name", "tls", "busybox", "sleep", "300"], host: nil, environment: env)
    #expect(detached.code == 0, "\(detached)")
    let exec = runCLI(["exec", "tls", "sh", "-c", "echo $((6 * 7)); exit 4"], host: nil, environment: env)
    #expect(exec.code == 4 && exec.stdout == "42\n", "\(exec)")
    let execIn = runCLI(["exec", "-i", "tls", "cat"], host: nil, stdin: "x\n", environment: env)
    #expect(execIn.code == 0 && execIn.stdout == "x\n", "\(execIn)")
    #expect(runCLI(["rm", "-f", "tls"], host: nil, environment: env).code == 0)

    // A daemon whose certificate comes from a CA the client does not trust.
    let untrusted = runCLI(
      ["-H", host, "--tlsverify", "--tlscacert", other.ca, "--tlscert", pki.clientCert, "--tlskey", pki.clientKey]
        + ["version"], host: nil)
    #expect(untrusted.code == 1, "\(untrusted)")
    #expect(
      untrusted.stderr.contains("tls: failed to verify certificate: x509: certificate signed by unknown authority"),
      "\(untrusted.stderr)")
    // The right CA, but the daemon reached by a name its certificate does not carry.
    var wrongName = env
    wrongName["DOCKER_HOST"] = "tcp://localhost:\(port)"
    let misnamed = runCLI(["version"], host: nil, environment: wrongName)
    #expect(misnamed.code == 1, "\(misnamed)")
    #expect(misnamed.stderr.contains("x509: certificate is not valid for localhost"), "\(misnamed.stderr)")
    // --tls trusts any daemon certificate (docker's semantics) but still presents the client's.
    let insecure = runCLI(
      ["-H", "tcp://localhost:\(port)", "--tls", "--tlscacert", other.ca, "--tlscert", pki.clientCert, "--tlskey"]
        + [pki.clientKey, "ps", "-q"], host: nil)
    #expect(insecure.code == 0, "\(insecure)")
    // A client certificate from another CA: the daemon ends the handshake.
    let stranger = runCLI(
      ["-H", host, "--tlsverify", "--tlscacert", pki.ca, "--tlscert", other.clientCert, "--tlskey", other.clientKey]
        + ["version"], host: nil)
    #expect(stranger.code == 1 && stranger.stderr.contains("error during connect"), "\(stranger)")
    // Plain HTTP to the TLS port gets no API.
    let plain = runCLI(["-H", host, "version"], host: nil)
    #expect(plain.code != 0, "\(plain)")
    #expect(runCLI(flags + ["rmi", "busybox"], host: nil).code == 0)
  }
}

/// A TCP port on 127.0.0.1 nothing listens on: the kernel's pick for port 0.
func freeTCPPort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw PKIError(description: "socket: errno \(errno)") }
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
  guard rc == 0 else { throw PKIError(description: "bind 127.0.0.1:0: errno \(errno)") }
  return Int(UInt16(bigEndian: address.sin_port))
}
