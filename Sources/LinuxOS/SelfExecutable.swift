import CBerth
import Glibc

/// A sealed in-memory copy of the running executable. Exec'ing the container's init
/// from it means a container can never reach (and overwrite) the host binary
/// through /proc/PID/exe (the CVE-2019-5736 class of attacks).
public enum SelfExecutable {
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
