import Glibc
import LinuxOS
import OCI
import Seccomp

/// Compiled seccomp programs, one file per profile under `<runtime root>/.seccomp/` (a name no container id can take).
///
/// libseccomp takes ~10 ms to turn Docker's default profile into BPF, and every container
/// of an engine uses the same few profiles. The key is everything libseccomp is given
/// (`SeccompFilter.compilerInput`); it is stored whole
/// in the entry and compared byte for byte, so the short file name may collide without
/// harm. Entries are written atomically but not fsynced (the root is on /run, like the
/// rest of the runtime's state); a damaged entry fails its checksum and is rebuilt.
struct SeccompProgramCache {
  let directory: String

  init(root: String) { directory = "\(root)/.seccomp" }

  /// The program for `spec`, from the cache or freshly compiled (and then stored).
  func program(for spec: OCI.Seccomp) throws -> SeccompProgram {
    let key = try Self.key(for: spec)
    let path = "\(directory)/\(String(Self.checksum(key), radix: 16))"
    if let bytes = try? Files.read(path), let cached = Self.decode(bytes, key: key) {
      PhaseTrace.mark("seccomp program cached")
      return cached
    }
    let program = try SeccompFilter.build(spec).program()
    PhaseTrace.mark("seccomp program compiled")
    // A cache that cannot be written costs time, not correctness.
    try? Files.makeDirectories(directory, mode: 0o700)
    try? Files.writeAtomically(path, Self.encode(program, key: key), mode: 0o600, durable: false)
    return program
  }

  static func key(for spec: OCI.Seccomp) throws -> [UInt8] {
    try SeccompFilter.compilerInput(spec)
  }

  /// "BSP1", key length, key, flags, program length, program, checksum of all before;
  /// integers little-endian.
  static func encode(_ program: SeccompProgram, key: [UInt8]) -> [UInt8] {
    var bytes = Array("BSP1".utf8)
    append(UInt32(key.count), to: &bytes)
    bytes += key
    append(program.flags, to: &bytes)
    append(UInt32(program.instructions.count), to: &bytes)
    bytes += program.instructions
    let sum = checksum(bytes)
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: sum >> UInt64(shift))) }
    return bytes
  }

  /// The program in `bytes` if they are a whole entry for exactly `key`; else nil.
  static func decode(_ bytes: [UInt8], key: [UInt8]) -> SeccompProgram? {
    var reader = ByteReader(bytes: bytes)
    guard bytes.count > 12, reader.take(4) == Array("BSP1".utf8),
      let keyLength = reader.uint32(), reader.take(Int(keyLength)) == key,
      let flags = reader.uint32(), let length = reader.uint32(),
      let instructions = reader.take(Int(length)), let stored = reader.take(8), reader.atEnd
    else { return nil }
    let sum = stored.reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    guard sum == checksum(bytes[..<(bytes.count - 8)]) else { return nil }
    return try? SeccompProgram(instructions: instructions, flags: flags)
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }

  /// 64-bit FNV-1a: cheap, and enough to catch a damaged file and to name an entry.
  static func checksum<Bytes: Collection>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}

/// Reads little-endian fields off the front of a byte array; nil when it runs out.
private struct ByteReader {
  let bytes: [UInt8]
  var offset = 0

  var atEnd: Bool { offset == bytes.count }

  mutating func take(_ count: Int) -> [UInt8]? {
    guard count >= 0, bytes.count - offset >= count else { return nil }
    defer { offset += count }
    return Array(bytes[offset..<(offset + count)])
  }

  mutating func uint32() -> UInt32? {
    take(4).map { $0.reversed().reduce(UInt32(0)) { ($0 << 8) | UInt32($1) } }
  }
}
