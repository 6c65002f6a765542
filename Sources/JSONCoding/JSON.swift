/// JSON for the processes on the container start path (berth-runtime, berth-shim):
/// Codable to and from UTF-8 bytes without Foundation, so those binaries start faster
/// and a shim per container stays small. Decoding is as lenient as Foundation's
/// (unknown members ignored); encoding omits nil optionals the same way.
public enum JSON {
  public struct Options: Sendable {
    public var pretty = false
    public var sortedKeys = false
    public init(pretty: Bool = false, sortedKeys: Bool = false) {
      self.pretty = pretty
      self.sortedKeys = sortedKeys
    }
  }

  public static func encode<T: Encodable>(_ value: T, options: Options = Options()) throws -> [UInt8] {
    var writer = JSONWriter(pretty: options.pretty, sortedKeys: options.sortedKeys)
    writer.write(try Encode.node(value, []).json)
    return writer.out
  }

  public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
    try Scalars.decode(type, try JSONParser.parse(bytes), [])
  }

  public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    try JSONParser.parse(bytes)
  }

  /// A readable one-line account of a decoding failure: what and where.
  public static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ p: [any CodingKey]) -> String {
      p.isEmpty ? "the top level" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
      return "\(c.debugDescription) at \(path(c.codingPath))"
    case .keyNotFound(let key, let c):
      return "required member \"\(key.stringValue)\" is missing at \(path(c.codingPath))"
    @unknown default:
      return "\(error)"
    }
  }
}
