// Docker's detach keys: a sequence typed on an attached stdin (ctrl-p ctrl-q unless the
// client names another, as `ctrl-a,x` or `ctrl-@`) ends the attach and leaves the
// container running. The bytes of a partly typed sequence are held back until it is
// clear they are not the sequence, then passed on.
import EngineAPI
import Shim
import Synchronization

struct DetachKeys: Sendable, Equatable {
  let sequence: [UInt8]

  static let defaultSequence: [UInt8] = [16, 17]  // ctrl-p, ctrl-q

  /// nil or empty: the default. Malformed: dockerd's error.
  init(_ spec: String?) throws {
    guard let spec, !spec.isEmpty else {
      sequence = Self.defaultSequence
      return
    }
    var keys: [UInt8] = []
    for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
      let key = String(part)
      if key.count == 1, let ascii = key.unicodeScalars.first?.value, ascii < 128 {
        keys.append(UInt8(ascii))
      } else if key.hasPrefix("ctrl-"), key.count == 6, let c = key.last?.asciiValue {
        // ctrl-a…ctrl-z, ctrl-@, ctrl-[ ctrl-\ ctrl-] ctrl-^ ctrl-_
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): keys.append(c - UInt8(ascii: "a") + 1)
        case UInt8(ascii: "@")...UInt8(ascii: "_"): keys.append(c - UInt8(ascii: "@"))
        default: throw DaemonError.invalid("Invalid detach keys (\(spec)) provided")
        }
      } else {
        throw DaemonError.invalid("Invalid detach keys (\(spec)) provided")
      }
    }
    sequence = keys
  }

  func watcher() -> Watcher { Watcher(sequence: sequence) }

  struct Watcher {
    let sequence: [UInt8]
    /// How much of the sequence the last bytes matched (held back, not passed on yet).
    var matched = 0

    /// The bytes to pass on, and whether the sequence was typed.
    mutating func scan(_ bytes: [UInt8]) -> (pass: [UInt8], detached: Bool) {
      var pass: [UInt8] = []
      for b in bytes {
        if b == sequence[matched] {
          matched += 1
          if matched == sequence.count { return (pass, true) }
          continue
        }
        // Not the sequence after all: what was held back goes through.
        pass += sequence[0..<matched]
        matched = b == sequence[0] ? 1 : 0
        if matched == 0 { pass.append(b) }
      }
      return (pass, false)
    }
  }
}

/// Set by the stdin side of an attach when the detach keys were typed.
final class DetachSignal: Sendable {
  private let state = Mutex(false)
  func set() { state.withLock { $0 = true } }
  var isSet: Bool { state.withLock { $0 } }
}

/// A hijacked client's stdin passed on to a shim attachment (attach and exec alike).
enum StdinForwarding {
  /// Until the client's stdin ends (then the attachment's write side is shut: the end of
  /// stdin) or the detach keys are typed (then the attachment hangs up: stdin stays open).
  /// True when the client detached.
  static func forward(
    _ stream: any HijackedStream, to attachment: ShimAttachment, detach: DetachKeys, what: String
  ) async -> Bool {
    var watcher = detach.watcher()
    while let bytes = try? await stream.read() {
      let (pass, detached) = watcher.scan(bytes)
      if !pass.isEmpty {
        do {
          try await BlockingPool.shared.run { try attachment.write(pass) }
        } catch {
          DaemonLog.engine.debug("\(what): stdin not passed on: \(error)")
          break
        }
      }
      if detached {
        attachment.shutdown()
        return true
      }
    }
    attachment.closeWrite()
    return false
  }
}
