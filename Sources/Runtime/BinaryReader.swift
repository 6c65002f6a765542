/// Reads what `BinaryWriter` wrote. Every read checks the bounds and the value's range, so
/// truncated or corrupt input is a thrown error naming the offset, never a trap.
struct BinaryReader {
  private let bytes: [UInt8]
  private var offset = 0
  /// What is being read, for error messages ("init config").
  let subject: String

  init(_ bytes: [UInt8], subject: String) {
    self.bytes = bytes
    self.subject = subject
  }

  var isAtEnd: Bool { offset == bytes.count }

  func error(_ what: String) -> RuntimeError {
    RuntimeError("malformed \(subject): \(what) at byte \(offset) of \(bytes.count)")
  }

  private mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= bytes.count - offset else { throw error("\(what) runs past the end") }
    defer { offset += n }
    return bytes[offset..<offset + n]
  }

  /// Checks and skips a fixed header (a format tag).
  mutating func header(_ magic: [UInt8], _ what: String) throws {
    guard bytes[offset...].starts(with: magic) else { throw error(what) }
    offset += magic.count
  }

  mutating func bool() throws -> Bool {
    switch try take(1, "flag").first {
    case 0: return false
    case 1: return true
    default:
      offset -= 1
      throw error("flag is neither 0 nor 1")
    }
  }

  mutating func uint() throws -> UInt64 {
    try take(8, "integer").reversed().reduce(0) { ($0 << 8) | UInt64($1) }
  }

  mutating func int() throws -> Int64 { Int64(bitPattern: try uint()) }

  /// An integer that must fit `T` (a value out of range is corruption, not a wrap-around).
  mutating func uint<T: FixedWidthInteger>(as type: T.Type) throws -> T {
    let value = try uint()
    guard let exact = T(exactly: value) else { throw error("\(value) is out of range for \(T.self)") }
    return exact
  }

  mutating func int<T: FixedWidthInteger>(as type: T.Type) throws -> T {
    let value = try int()
    guard let exact = T(exactly: value) else { throw error("\(value) is out of range for \(T.self)") }
    return exact
  }

  mutating func count() throws -> Int {
    Int(try take(4, "length").reversed().reduce(UInt32(0)) { ($0 << 8) | UInt32($1) })
  }

  mutating func string() throws -> String {
    let utf8 = try take(try count(), "string")
    guard let text = String(validating: utf8, as: UTF8.self) else { throw error("string is not UTF-8") }
    return text
  }

  mutating func blob() throws -> [UInt8] { Array(try take(try count(), "blob")) }

  mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
    try bool() ? try read(&self) : nil
  }

  mutating func array<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
    let n = try count()
    // Each element takes at least one byte: a larger count is corrupt, and must not reserve memory.
    guard n <= bytes.count - offset else { throw error("list of \(n) elements runs past the end") }
    var values: [T] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(try read(&self)) }
    return values
  }

  mutating func strings() throws -> [String] { try array { try $0.string() } }

  mutating func dictionary() throws -> [String: String] {
    let n = try count()
    guard n <= bytes.count - offset else { throw error("map of \(n) entries runs past the end") }
    var values: [String: String] = [:]
    values.reserveCapacity(n)
    for _ in 0..<n {
      let key = try string()
      values[key] = try string()
    }
    return values
  }

  mutating func optionalString() throws -> String? { try optional { try $0.string() } }
  mutating func optionalStrings() throws -> [String]? { try optional { try $0.strings() } }
  mutating func optionalBool() throws -> Bool? { try optional { try $0.bool() } }
}
