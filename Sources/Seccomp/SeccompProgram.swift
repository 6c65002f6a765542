import CBerth
import Glibc

/// A seccomp filter compiled to the kernel's classic BPF, ready to install with one
/// `seccomp(2)` call. Building the filter with libseccomp (rules, then BPF generation)
/// costs ~10 ms for Docker's default profile; the program is the same every time for
/// the same profile, so the runtime compiles it once and caches it
/// (`SeccompProgramCache` in the runtime), and the container's init only loads it.
public struct SeccompProgram: Codable, Sendable, Equatable {
  /// The `struct sock_filter` array, 8 bytes per instruction, in host byte order.
  public var instructions: [UInt8]
  /// `SECCOMP_FILTER_FLAG_*` from the spec's `flags`.
  public var flags: UInt32

  /// Bytes per `struct sock_filter`.
  public static let instructionSize = 8
  /// The kernel's BPF_MAXINSNS for classic filters.
  public static let maxInstructions = 4096

  /// Checks the shape the kernel will also check, so a damaged cache entry or frame is
  /// refused with a clear error instead of an EINVAL at load.
  public init(instructions: [UInt8], flags: UInt32) throws(SeccompError) {
    let count = instructions.count / Self.instructionSize
    guard instructions.count % Self.instructionSize == 0, count > 0, count <= Self.maxInstructions else {
      throw .malformedProgram("\(instructions.count) bytes is not 1...\(Self.maxInstructions) instructions")
    }
    guard flags & ~SeccompFlag.kernelFlagMask == 0 else {
      throw .malformedProgram("unknown filter flags 0x\(String(flags, radix: 16))")
    }
    self.instructions = instructions
    self.flags = flags
  }

  /// Decoding checks the shape as `init(instructions:flags:)` does.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      instructions: try container.decode([UInt8].self, forKey: .instructions),
      flags: try container.decode(UInt32.self, forKey: .flags))
  }

  /// Installs the program on the calling thread, as `seccomp_load` would.
  ///
  /// Call it last before `execve`, after no_new_privs is set — or, without
  /// no_new_privs, before dropping CAP_SYS_ADMIN, which the kernel then requires.
  public func load() throws(SeccompError) {
    let count = UInt16(instructions.count / Self.instructionSize)
    let rc = instructions.withUnsafeBytes { berth_seccomp_set_filter(flags, $0.baseAddress, count) }
    if rc != 0 {
      let code = errno
      let hint =
        code == EACCES
        ? "loading without no_new_privs needs CAP_SYS_ADMIN; load before dropping capabilities"
        : "the kernel refused the filter"
      throw .libseccomp(call: "seccomp(SECCOMP_SET_MODE_FILTER)", errno: code, detail: hint)
    }
  }
}

extension CompiledSeccompFilter {
  /// The filter as the BPF program libseccomp would load (`seccomp_export_bpf`).
  public func program() throws -> SeccompProgram {
    let fd = berth_memfd_create("berth-seccomp", 0x0001 /* MFD_CLOEXEC */)
    guard fd >= 0 else {
      throw SeccompError.libseccomp(call: "memfd_create", errno: errno, detail: "exporting the filter")
    }
    defer { close(fd) }
    try exportBPF(to: fd)
    let size = Int(lseek(fd, 0, SEEK_END))
    guard size > 0, lseek(fd, 0, SEEK_SET) == 0 else {
      throw SeccompError.malformedProgram("libseccomp exported \(size) bytes")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + done }, size - done, off_t(done)) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { throw SeccompError.malformedProgram("reading the exported filter failed") }
      done += n
    }
    return try SeccompProgram(instructions: bytes, flags: kernelFlags)
  }
}
