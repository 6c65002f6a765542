/// Appends values in the compact form `BinaryReader` reads back: integers as 8 bytes
/// little-endian, strings and lists as a 4-byte count then their content, optionals as a
/// 0/1 byte then the value. No field names and no type metadata: decoding it needs no
/// Codable machinery, which a freshly exec'd process pays for on first use.
struct BinaryWriter {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

  mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

  mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  mutating func uint(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  mutating func int(_ value: Int64) { uint(UInt64(bitPattern: value)) }

  mutating func count(_ value: Int) {
    let n = UInt32(clamping: value)
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: n >> UInt32(shift))) }
  }

  mutating func string(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      count(utf8.count)
      bytes.append(contentsOf: utf8)
    }
  }

  mutating func blob(_ value: [UInt8]) {
    count(value.count)
    bytes.append(contentsOf: value)
  }

  mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) throws -> Void) rethrows {
    guard let value else { return bool(false) }
    bool(true)
    try write(&self, value)
  }

  mutating func array<T>(_ values: [T], _ write: (inout BinaryWriter, T) throws -> Void) rethrows {
    count(values.count)
    for value in values { try write(&self, value) }
  }

  mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }

  /// Sorted by key, so equal dictionaries give equal bytes.
  mutating func dictionary(_ values: [String: String]) {
    count(values.count)
    for (key, value) in values.sorted(by: { $0.key < $1.key }) {
      string(key)
      string(value)
    }
  }

  mutating func optionalString(_ value: String?) { optional(value) { $0.string($1) } }
  mutating func optionalStrings(_ value: [String]?) { optional(value) { $0.strings($1) } }
  mutating func optionalBool(_ value: Bool?) { optional(value) { $0.bool($1) } }
  mutating func optionalUInt(_ value: UInt64?) { optional(value) { $0.uint($1) } }
  mutating func optionalInt(_ value: Int64?) { optional(value) { $0.int($1) } }
}
