/// docker's detach key sequences (`ctrl-p,ctrl-q`, `a,ctrl-x`): parsing (term.ToBytes) and
/// the client-side watch on a TTY's input (term.EscapeProxy).
public enum DetachKeys {
  public static let defaultSequence = "ctrl-p,ctrl-q"

  public struct Invalid: Error, CustomStringConvertible {
    public let description: String
  }

  /// The bytes of a sequence: each comma-separated key is one character or `ctrl-X`
  /// (X in a–z, @, [, \, ], ^, _).
  public static func bytes(_ sequence: String) throws -> [UInt8] {
    var out: [UInt8] = []
    for key in sequence.split(separator: ",", omittingEmptySubsequences: false) {
      let lower = key.lowercased()
      if lower.hasPrefix("ctrl-"), key.count == 6, let c = lower.unicodeScalars.last {
        switch c {
        case "a"..."z": out.append(UInt8(c.value - 96))
        case "@": out.append(0)
        case "[", "\\", "]", "^", "_": out.append(UInt8(c.value - 64))
        default: throw Invalid(description: "Unknown character: '\(key)'")
        }
      } else if key.utf8.count == 1, let byte = key.utf8.first {
        out.append(byte)
      } else {
        throw Invalid(description: "Unknown character: '\(key)'")
      }
    }
    return out
  }
}

/// Watches input bytes for a detach sequence: bytes of a partial match are held back and
/// sent on if the match breaks; a full match is swallowed.
public struct EscapeWatch {
  let keys: [UInt8]
  var held: [UInt8] = []

  public init(keys: [UInt8]) { self.keys = keys }

  /// What to forward from `bytes`, and whether the sequence was completed.
  public mutating func feed(_ bytes: [UInt8]) -> (forward: [UInt8], detached: Bool) {
    var forward: [UInt8] = []
    for byte in bytes {
      if byte == keys[held.count] {
        held.append(byte)
        if held.count == keys.count { return (forward, true) }
      } else {
        forward += held
        held = []
        if byte == keys[0] {
          held.append(byte)
          if keys.count == 1 { return (forward, true) }
        } else {
          forward.append(byte)
        }
      }
    }
    return (forward, false)
  }
}
