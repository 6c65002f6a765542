// OCI content digest ("sha256:<64 lowercase hex>"), per image-spec descriptor.md.
// Encodes as a single JSON string.

public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Algorithm, e.g. "sha256".
  public let algorithm: String
  /// Encoded part (lowercase hex for sha256/sha512).
  public let encoded: String

  public enum ParseError: Error, Equatable, CustomStringConvertible {
    case missingAlgorithm(String)
    case invalidAlgorithm(String)
    case invalidEncoded(String)

    public var description: String {
      switch self {
      case .missingAlgorithm(let s):
        return "invalid digest \"\(s)\": expected \"algorithm:encoded\" (e.g. sha256:<64 hex>)"
      case .invalidAlgorithm(let s):
        return "invalid digest \"\(s)\": unsupported or malformed algorithm"
      case .invalidEncoded(let s):
        return
          "invalid digest \"\(s)\": malformed encoded part (sha256 needs 64 lowercase hex digits)"
      }
    }
  }

  /// Parses and validates `algorithm:encoded`.
  public init(parsing string: String) throws(ParseError) {
    guard let colon = string.firstIndex(of: ":") else { throw .missingAlgorithm(string) }
    let alg = String(string[..<colon])
    let enc = String(string[string.index(after: colon)...])
    guard Digest.isValidAlgorithm(alg) else { throw .invalidAlgorithm(string) }
    guard Digest.isValidEncoded(enc, algorithm: alg) else { throw .invalidEncoded(string) }
    self.algorithm = alg
    self.encoded = enc
  }

  /// A sha256 digest from 64 lowercase hex characters. Returns nil when malformed.
  public init?(sha256Hex hex: String) {
    guard Digest.isValidEncoded(hex, algorithm: "sha256") else { return nil }
    self.algorithm = "sha256"
    self.encoded = hex
  }

  /// Builds a sha256 digest from 32 raw bytes.
  public init(sha256Bytes bytes: some Sequence<UInt8>) {
    let table: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for b in bytes {
      out.append(table[Int(b >> 4)])
      out.append(table[Int(b & 0x0f)])
    }
    self.algorithm = "sha256"
    self.encoded = String(decoding: out, as: UTF8.self)
  }

  public var description: String { "\(algorithm):\(encoded)" }
  public var string: String { description }

  /// The first 12 hex characters, as Docker shows image IDs.
  public var shortHex: String { String(encoded.prefix(12)) }

  public static func < (a: Digest, b: Digest) -> Bool { a.description < b.description }

  static func isValidAlgorithm(_ s: String) -> Bool {
    // algorithm-component ([+._-] algorithm-component)*, component = [a-z0-9]+
    guard !s.isEmpty else { return false }
    var prevSep = true
    for c in s.utf8 {
      let isComp = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)
      let isSep = c == 0x2b || c == 0x2e || c == 0x5f || c == 0x2d
      if isComp {
        prevSep = false
      } else if isSep {
        if prevSep { return false }
        prevSep = true
      } else {
        return false
      }
    }
    return !prevSep
  }

  static func isValidEncoded(_ s: String, algorithm: String) -> Bool {
    func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }
    switch algorithm {
    case "sha256": return s.utf8.count == 64 && s.utf8.allSatisfy(isLowerHex)
    case "sha512": return s.utf8.count == 128 && s.utf8.allSatisfy(isLowerHex)
    default:
      guard !s.isEmpty else { return false }
      return s.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
          || c == 0x3d
          || c == 0x5f || c == 0x2d
      }
    }
  }
}

extension Digest: Codable {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    let s = try c.decode(String.self)
    do {
      try self.init(parsing: s)
    } catch {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}
