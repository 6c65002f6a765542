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

  static let magic = Array("BSP1".utf8)

  /// "BSP1", the key, the flags, the program, then a checksum of everything before it
  /// (`BinaryWriter`'s layout).
  static func encode(_ program: SeccompProgram, key: [UInt8]) -> [UInt8] {
    var writer = BinaryWriter(capacity: key.count + program.instructions.count + 32)
    writer.raw(magic)
    writer.blob(key)
    writer.uint(UInt64(program.flags))
    writer.blob(program.instructions)
    writer.uint(checksum(writer.bytes))
    return writer.bytes
  }

  /// The program in `bytes` if they are a whole entry for exactly `key`; else nil.
  static func decode(_ bytes: [UInt8], key: [UInt8]) -> SeccompProgram? {
    var reader = BinaryReader(bytes, subject: "seccomp cache entry")
    guard bytes.count > 8, (try? reader.header(magic, "magic")) != nil,
      (try? reader.blob()) == key,
      let flags = try? reader.uint(as: UInt32.self), let instructions = try? reader.blob(),
      let stored = try? reader.uint(), reader.isAtEnd,
      stored == checksum(bytes[..<(bytes.count - 8)])
    else { return nil }
    return try? SeccompProgram(instructions: instructions, flags: flags)
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
