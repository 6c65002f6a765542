// berthd: the Berth daemon (flags as dockerd's).
import Daemon
import DaemonHTTP
import LinuxOS

#if canImport(Glibc)
  import Glibc
#endif

let options: DaemonOptions
do {
  options = try DaemonOptions(parsing: Array(CommandLine.arguments.dropFirst()))
} catch {
  printError("berthd: \(error)")
  exit(1)
}
exit(
  await DaemonMain.run(options) { engine in
    let server = EngineHTTPServer(backend: engine)
    for host in options.hosts {
      guard host.hasPrefix("unix://") else {
        printError("berthd: only unix:// hosts are supported yet (TCP needs --tlsverify): \(host)")
        exit(1)
      }
      try await server.listen(unixSocket: String(host.dropFirst("unix://".count)))
    }
    return { await server.close() }
  })
