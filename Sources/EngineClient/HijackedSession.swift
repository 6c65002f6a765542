import EngineAPI
import Glibc
import LinuxOS

/// Pumps a hijacked attach/exec connection: stdin → socket, socket → stdout/stderr
/// (demultiplexed unless TTY), with signals (resize, forwarding) handled in the same
/// poll(2) loop. Returns when the daemon closes the output side.
public struct HijackedSession {
  public var socket: EngineConnection
  public var tty: Bool
  /// Where stdin comes from (nil: no stdin attached).
  public var inputFD: Int32?
  public var stdoutFD: Int32 = 1
  public var stderrFD: Int32 = 2
  /// Called for each signal caught by `signals` (e.g. SIGWINCH → resize).
  public var signals: SignalWatcher?
  public var onSignal: (Int32) -> Void = { _ in }
  /// Half-close the socket once stdin ends (docker does; the output keeps flowing).
  public var closeWriteOnInputEOF = true
  /// The detach sequence watched for on a TTY's input (docker's CLI watches too, so it
  /// stops at once; the daemon detaches on the same keys).
  public var detachKeys: [UInt8]?

  public init(socket: EngineConnection, tty: Bool, inputFD: Int32?) {
    self.socket = socket
    self.tty = tty
    self.inputFD = inputFD
  }

  /// Runs until the output stream ends; true when the user detached with the detach keys.
  @discardableResult
  public func run() throws -> Bool {
    var demuxer = StreamDemuxer()
    var input = inputFD
    var escape = tty ? detachKeys.flatMap { $0.isEmpty ? nil : EscapeWatch(keys: $0) } : nil
    // Output that arrived together with the 101 head.
    if socket.hasBuffered {
      try deliver(socket.takeBuffered(), demuxer: &demuxer)
    }
    while true {
      var fds: [pollfd] = [pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)]
      if let input { fds.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
      if let signals { fds.append(pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)) }
      // Decrypted bytes OpenSSL already holds make no POLLIN: do not wait while they are there.
      let pending = socket.hasPendingInput
      let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), pending ? 0 : -1) }
      if ready < 0 {
        if errno == EINTR { continue }
        throw SystemError("poll", errno: errno)
      }
      var index = 1
      if let inputFD = input {
        let revents = fds[index].revents
        index += 1
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
          let bytes = (try? FD.read(inputFD, max: 32 * 1024)) ?? []
          if bytes.isEmpty {
            input = nil
            if closeWriteOnInputEOF { socket.shutdownWrite() }
          } else {
            var forward = bytes
            var detached = false
            if var watch = escape {
              (forward, detached) = watch.feed(bytes)
              escape = watch
            }
            do {
              if !forward.isEmpty { try socket.write(forward) }
            } catch {
              input = nil
            }
            if detached { return true }
          }
        }
      }
      if let signals {
        if fds[index].revents != 0 {
          for s in signals.drain() { onSignal(s) }
        }
      }
      if pending || fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
        let bytes: [UInt8]
        do {
          bytes = try socket.readSome()
        } catch let error as SystemError where error.errno == ECONNRESET {
          bytes = []
        }
        if bytes.isEmpty { return false }
        try deliver(bytes, demuxer: &demuxer)
      }
    }
  }

  private func deliver(_ bytes: [UInt8], demuxer: inout StreamDemuxer) throws {
    if tty {
      try? FD.write(stdoutFD, bytes)
      return
    }
    for frame in demuxer.feed(bytes) {
      try? FD.write(frame.stream == .stderr ? stderrFD : stdoutFD, frame.bytes)
    }
  }
}

/// Writes a (non-hijacked) log stream: demultiplexes frames unless TTY.
public struct OutputCopier {
  var demuxer = StreamDemuxer()
  let tty: Bool
  let stdoutFD: Int32
  let stderrFD: Int32

  public init(tty: Bool, stdoutFD: Int32 = 1, stderrFD: Int32 = 2) {
    self.tty = tty
    self.stdoutFD = stdoutFD
    self.stderrFD = stderrFD
  }

  public mutating func write(_ bytes: [UInt8]) {
    if tty {
      try? FD.write(stdoutFD, bytes)
      return
    }
    for frame in demuxer.feed(bytes) {
      try? FD.write(frame.stream == .stderr ? stderrFD : stdoutFD, frame.bytes)
    }
  }
}
