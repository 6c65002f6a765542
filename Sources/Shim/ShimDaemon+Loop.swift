import CBerth
import Glibc
import LinuxOS

/// The poll(2) loop: signals, the listener, process output and stdin, clients.
extension ShimDaemon {
  enum Watch {
    case signals
    case listener
    case output(ManagedProcess, Int32, ShimStream)
    case stdin(ManagedProcess, Int32)
    case client(ClientConnection)
    case dnsQueries(DNSResponder)
    case dnsAnswers(DNSResponder)
  }

  /// Beyond this much unwritten stdin, attached clients are not read (backpressure).
  static let maxPendingStdin = 1 << 20

  func run() {
    while true {
      for connection in connections where connection.closeWhenFlushed && connection.output.isEmpty {
        drop(connection)
      }
      if shouldExit() { return }
      var fds: [pollfd] = []
      var watches: [Watch] = []
      func watch(_ fd: Int32, _ events: Int32, _ what: Watch) {
        fds.append(pollfd(fd: fd, events: Int16(events), revents: 0))
        watches.append(what)
      }
      watch(signalFD, POLLIN, .signals)
      watch(listener, POLLIN, .listener)
      if let dns {
        watch(dns.socket, POLLIN, .dnsQueries(dns))
        if dns.upstreamSocket >= 0 { watch(dns.upstreamSocket, POLLIN, .dnsAnswers(dns)) }
      }
      for process in processes.values where !process.finished {
        for output in process.outputs { watch(output.fd, POLLIN, .output(process, output.fd, output.stream)) }
        if process.stdinFD >= 0 && !process.pendingStdin.isEmpty {
          watch(process.stdinFD, POLLOUT, .stdin(process, process.stdinFD))
        }
      }
      for connection in connections {
        var events: Int32 = 0
        if !connection.inputClosed && !connection.closeWhenFlushed && !stdinIsFull(connection) { events |= POLLIN }
        if !connection.output.isEmpty { events |= POLLOUT }
        watch(connection.fd, events, .client(connection))
      }
      let ready = poll(&fds, nfds_t(fds.count), pollTimeout())
      if ready < 0 {
        if errno == EINTR { continue }
        printError("berth-shim: poll: \(String(cString: strerror(errno)))")
        return
      }
      for (index, entry) in fds.enumerated() where entry.revents != 0 {
        handle(watches[index], revents: Int32(entry.revents))
      }
      let now = LogTimestamp.monotonicNanoseconds()
      for process in processes.values where !process.finished && process.exit != nil {
        if let deadline = process.drainDeadline, now >= deadline { finish(process) }
      }
    }
  }

  func handle(_ watch: Watch, revents: Int32) {
    switch watch {
    case .signals:
      _ = berth_signalfd_read(signalFD)
      reapChildren()
    case .listener:
      while let fd = try? ShimSocket.accept(listener) { connections.append(ClientConnection(fd: fd)) }
    case .output(let process, let fd, let stream):
      guard process.outputs.contains(where: { $0.fd == fd }) else { return }
      switch ShimSocket.readAvailable(fd) {
      case .data(let bytes): deliver(bytes, of: process, stream: stream)
      case .endOfFile:
        process.closeOutput(fd)
        finishIfDrained(process)
      case .wouldBlock: break
      }
    case .stdin(let process, let fd):
      guard process.stdinFD == fd else { return }
      guard let written = ShimSocket.writeAvailable(fd, process.pendingStdin, socket: false) else {
        process.closeStdin()
        return
      }
      process.pendingStdin.removeFirst(written)
      if process.pendingStdin.isEmpty && process.closeStdinWhenFlushed { process.closeStdin() }
    case .client(let connection):
      handleClient(connection, revents: revents)
    case .dnsQueries(let dns):
      dns.serveQueries()
    case .dnsAnswers(let dns):
      dns.relayAnswers()
    }
  }

  func handleClient(_ connection: ClientConnection, revents: Int32) {
    guard connections.contains(where: { $0 === connection }) else { return }
    if revents & (POLLIN | POLLHUP | POLLERR) != 0 && !connection.inputClosed {
      switch ShimSocket.readAvailable(connection.fd) {
      case .data(let bytes): received(bytes, from: connection)
      // Both ways shut at once (POLLHUP with the end of file): the client went without
      // ending stdin first — berthd's detach.
      case .endOfFile: stdinEnded(connection, hungUp: revents & POLLHUP != 0)
      case .wouldBlock: break
      }
    }
    guard connections.contains(where: { $0 === connection }) else { return }
    if revents & POLLOUT != 0 {
      guard let written = ShimSocket.writeAvailable(connection.fd, connection.output, socket: true) else {
        drop(connection)
        return
      }
      connection.output.removeFirst(written)
    }
    if revents & (POLLHUP | POLLERR) != 0 { drop(connection) }
  }

  func received(_ bytes: [UInt8], from connection: ClientConnection) {
    switch connection.mode {
    case .attached(let key, let stdin, _, _):
      if stdin, let process = processes[key], process.stdinFD >= 0, !process.closeStdinWhenFlushed {
        process.pendingStdin += bytes
      }
    case .waiting:
      break
    case .control:
      connection.input += bytes
      serveRequests(connection)
    }
  }

  func stdinIsFull(_ connection: ClientConnection) -> Bool {
    guard case .attached(let key, true, _, _) = connection.mode, let process = processes[key] else { return false }
    return process.pendingStdin.count > Self.maxPendingStdin
  }

  func pollTimeout() -> Int32 {
    var deadlines = processes.values.compactMap { $0.finished ? nil : $0.drainDeadline }
    if let finishDeadline { deadlines.append(finishDeadline) }
    guard let next = deadlines.min() else { return -1 }
    let now = LogTimestamp.monotonicNanoseconds()
    return next <= now ? 0 : Int32(min((next - now) / 1_000_000 + 1, 60_000))
  }

  func shouldExit() -> Bool {
    let timedOut = finishDeadline.map { LogTimestamp.monotonicNanoseconds() >= $0 } ?? false
    let flushed = connections.allSatisfy { $0.output.isEmpty }
    if exitRequested { return flushed || timedOut }
    guard processes[""]?.finished == true else { return false }
    return timedOut || (flushed && processes.values.allSatisfy(\.finished))
  }
}
