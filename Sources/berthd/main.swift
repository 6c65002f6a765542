// berthd: the Berth daemon (flags as dockerd's).
import Daemon
import DaemonHTTP
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

let options: DaemonOptions
// DaemonOptions refused tcp:// without --tlsverify, so a TCP listener is always TLS; its
// files are loaded before anything starts.
let tls: EngineServerTLS?
do {
  options = try DaemonOptions(parsing: Array(CommandLine.arguments.dropFirst()))
  tls =
    options.listeners.contains(where: \.isTCP)
    ? try EngineServerTLS(caCertificate: options.tlsCACert, certificate: options.tlsCert, privateKey: options.tlsKey)
    : nil
} catch {
  printError("berthd: \(error)")
  exit(1)
}
exit(
  await DaemonMain.run(options) { engine in
    let server = EngineHTTPServer(backends: engine.backends)
    for listener in options.listeners {
      switch listener {
      case .unix(let path): try await server.listen(unixSocket: path)
      case .tcp(let host, let port): try await server.listen(host: host, port: port, tls: tls)
      }
      printError("berthd: API listen on \(listener)")
    }
    return { await server.close() }
  })
