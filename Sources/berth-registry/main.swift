// berth-registry: Berth's registry server (`berth registry serve` execs it).
//   berth-registry [serve [ADDR]] [--addr HOST:PORT] --root DIR [--htpasswd FILE]
//                  [--tls-cert PEM --tls-key PEM] [--proxy-remote-url http://HOST:PORT]
//                  [--token-realm URL --token-service NAME --token-key-file FILE [--token-issuer NAME]]
//                  [--gc-interval SECONDS] [--gc-grace SECONDS] [--disable-delete]
//   berth-registry gc --root DIR [--grace SECONDS]
import Foundation
import RegistryServer

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("berth-registry: \(message)\n".utf8))
  exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var command = "serve"
if let first = args.first, !first.hasPrefix("-") {
  command = first
  args.removeFirst()
}
var options: [String: String] = [:]
var flags: Set<String> = []
var positional: [String] = []
while !args.isEmpty {
  let a = args.removeFirst()
  if a == "--disable-delete" || a == "-h" || a == "--help" {
    flags.insert(a)
  } else if a.hasPrefix("--") {
    if let eq = a.firstIndex(of: "=") {
      options[String(a[..<eq])] = String(a[a.index(after: eq)...])
    } else {
      guard !args.isEmpty else { fail("\(a) needs a value") }
      options[a] = args.removeFirst()
    }
  } else {
    positional.append(a)
  }
}
if flags.contains("-h") || flags.contains("--help") {
  print(
    """
    usage: berth-registry [serve [ADDR]] --root DIR [--addr 127.0.0.1:5000] [--htpasswd FILE]
             [--tls-cert PEM --tls-key PEM] [--proxy-remote-url http://HOST:PORT]
             [--token-realm URL --token-service NAME --token-key-file FILE [--token-issuer NAME]]
             [--gc-interval SECONDS] [--gc-grace SECONDS] [--disable-delete]
           berth-registry gc --root DIR [--grace SECONDS]
    """)
  exit(0)
}
guard let root = options["--root"] else { fail("--root DIR is required") }

switch command {
case "gc":
  let grace = Int64(options["--grace"] ?? "3600") ?? 3600
  do {
    let report = try RegistryStorage(root: root).garbageCollect(gracePeriod: grace)
    print(
      "removed \(report.removedBlobs.count) blobs, \(report.removedUploads.count) stale uploads; \(report.keptBlobs) blobs kept"
    )
    for d in report.removedBlobs { print("removed \(d)") }
  } catch {
    fail("gc: \(error)")
  }
case "serve":
  let addr = positional.first ?? options["--addr"] ?? "127.0.0.1:5000"
  guard let colon = addr.lastIndex(of: ":"), let port = Int(addr[addr.index(after: colon)...]) else {
    fail("address \(addr): expected HOST:PORT")
  }
  var configuration = RegistryConfiguration(root: root, host: String(addr[..<colon]), port: port)
  configuration.htpasswdPath = options["--htpasswd"]
  configuration.tlsCertificatePath = options["--tls-cert"]
  configuration.tlsKeyPath = options["--tls-key"]
  if (configuration.tlsCertificatePath == nil) != (configuration.tlsKeyPath == nil) {
    fail("--tls-cert and --tls-key go together")
  }
  configuration.proxyRemoteURL = options["--proxy-remote-url"]
  configuration.proxyUsername = options["--proxy-username"]
  configuration.proxyPassword = options["--proxy-password"]
  configuration.deleteEnabled = !flags.contains("--disable-delete")
  configuration.gcInterval = options["--gc-interval"].flatMap { Int64($0) }
  if let grace = options["--gc-grace"].flatMap({ Int64($0) }) { configuration.gcGracePeriod = grace }
  if let realm = options["--token-realm"] {
    guard let service = options["--token-service"], let keyFile = options["--token-key-file"],
      let key = FileManager.default.contents(atPath: keyFile)
    else { fail("token auth needs --token-service and a readable --token-key-file") }
    configuration.tokenAuth = TokenAuthConfiguration(
      realm: realm, service: service, issuer: options["--token-issuer"], key: [UInt8](key))
  }
  do {
    let server = try RegistryServer(configuration: configuration)
    let bound = try await server.start()
    // Tests read this line to learn the port (with :0).
    FileHandle.standardOutput.write(Data("listening on \(configuration.host):\(bound)\n".utf8))
    try await server.run()
  } catch {
    fail("serve: \(error)")
  }
default:
  fail("unknown command \(command) (serve, gc)")
}
