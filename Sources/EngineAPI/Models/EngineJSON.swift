#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// JSON coding the way the Engine API wants it: no escaped slashes, keys in declaration order.
public enum EngineJSON {
  public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }

  /// `encode` plus a trailing newline, as dockerd writes its JSON answers and stream lines.
  public static func encodeLine<T: Encodable>(_ value: T) throws -> [UInt8] {
    try encode(value) + [UInt8(ascii: "\n")]
  }

  public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
    try JSONDecoder().decode(type, from: Data(bytes))
  }
}

extension JSONValue {
  /// Parses a JSON text.
  public static func parse(_ text: String) throws -> JSONValue {
    try EngineJSON.decode(JSONValue.self, from: Array(text.utf8))
  }
}
