import CBerth
import Glibc

/// A protected handle on the running executable. Exec'ing the container's init from
/// it means a container can never reach (and overwrite) the host binary through
/// /proc/PID/exe (the CVE-2019-5736 class of attacks).
public enum SelfExecutable {
  /// The cheap way first: the binary seen through a detached read-only overlay
  /// mount (no copy; writes fail with EROFS); else a sealed memfd copy.
  public static func protectedHandle(emptyDirectory: String) throws -> Int32 {
    if let path = SelfExecutable.path() {
      let dir = Files.parent(of: path)
      let name = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
      if (try? Files.makeDirectories(emptyDirectory, mode: 0o700)) != nil {
        let fd = berth_open_through_readonly_overlay(dir, name, emptyDirectory)
        if fd >= 0 { return fd }
      }
    }
    return try sealedCopy()
  }

  /// The resolved path of the running executable.
  public static func path() -> String? {
    var buffer = [CChar](repeating: 0, count: 4097)
    let n = readlink("/proc/self/exe", &buffer, 4096)
    guard n > 0 else { return nil }
    let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return path.hasPrefix("/") && !path.hasSuffix(" (deleted)") ? path : nil
  }

  static let memfdCloexec: UInt32 = 0x0001
  static let memfdAllowSealing: UInt32 = 0x0002
  static let sealSeal: Int32 = 0x0001
  static let sealShrink: Int32 = 0x0002
  static let sealGrow: Int32 = 0x0004
  static let sealWrite: Int32 = 0x0008
  static let fAddSeals: Int32 = 1033
  static let fGetSeals: Int32 = 1034

  /// Copies /proc/self/exe into a sealed memfd and returns its fd.
  public static func sealedCopy() throws -> Int32 {
    let source = try FD.open("/proc/self/exe", O_RDONLY)
    defer { FD.close(source) }
    var st = stat()
    try sys("fstat", "/proc/self/exe") { fstat(source, &st) }
    let memfd = try sys("memfd_create") { berth_memfd_create("berth-runtime", memfdCloexec | memfdAllowSealing) }
    do {
      var remaining = Int(st.st_size)
      while remaining > 0 {
        let n = try sys("sendfile", "/proc/self/exe → memfd") { berth_sendfile(memfd, source, remaining) }
        if n == 0 { break }
        remaining -= n
      }
      try sys("fcntl(F_ADD_SEALS)") { fcntl(memfd, fAddSeals, sealSeal | sealShrink | sealGrow | sealWrite) }
    } catch {
      FD.close(memfd)
      throw error
    }
    return memfd
  }

  /// Whether `fd` carries every seal a sealed copy must have.
  public static func isSealed(_ fd: Int32) -> Bool {
    let seals = fcntl(fd, fGetSeals)
    let wanted = sealSeal | sealShrink | sealGrow | sealWrite
    return seals >= 0 && (seals & wanted) == wanted
  }
}
