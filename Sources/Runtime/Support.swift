import CBerth
import JSONCoding
import Glibc
import LinuxOS
import OCI

enum BundlePath {
  static func absolute(_ path: String) -> String {
    realPath(path.hasPrefix("/") ? path : currentDirectory() + "/" + path)
  }

  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return SecurePath.clean(path) }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4097)
    return getcwd(&buffer, 4096) != nil ? String(cString: buffer) : "/"
  }

  static func loadSpec(bundle: String) throws -> Spec {
    let path = "\(bundle)/config.json"
    let bytes: [UInt8]
    do {
      bytes = try Files.read(path)
    } catch {
      throw RuntimeError("cannot read the bundle's config.json (\(path)): \(error)")
    }
    do {
      return try JSON.decode(Spec.self, from: bytes)
    } catch {
      throw RuntimeError("invalid config.json (\(path)): \(JSON.describe(error))")
    }
  }
}

enum PidFile {
  static func write(_ path: String, pid: Int32) throws {
    try Files.writeAtomically(BundlePath.absolute(path), Array(String(pid).utf8), durable: false)
  }
}

enum ConsoleSocket {
  /// Connects to the caller's console socket; the container's pty master is sent over it.
  static func connect(_ path: String) throws -> Int32 {
    let fd = try sys("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
      FD.close(fd)
      throw RuntimeError("console socket path too long: \(path)")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    let length = socklen_t(MemoryLayout<sockaddr_un>.size)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
    }
    if result != 0 {
      let err = errno
      FD.close(fd)
      throw SystemError("connect", errno: err, "console socket \(path)")
    }
    return fd
  }
}

enum Timestamps {
  /// Now as RFC 3339 with nanoseconds in UTC, as runc writes `created`.
  static func rfc3339Nano() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    var t = time_t(ts.tv_sec)
    var parts = tm()
    gmtime_r(&t, &parts)
    func pad(_ v: Int32, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    let nanos = String(ts.tv_nsec)
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
      + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
      + String(repeating: "0", count: 9 - nanos.count) + nanos + "Z"
  }
}

/// Merges an `update` into the recorded resources: fields given replace, others stay.
enum ResourceMerge {
  static func merge(_ base: Resources?, _ update: Resources) -> Resources {
    var result = base ?? Resources()
    if let memory = update.memory {
      var m = result.memory ?? MemoryResources()
      if let v = memory.limit { m.limit = v }
      if let v = memory.swap { m.swap = v }
      if let v = memory.reservation { m.reservation = v }
      result.memory = m
    }
    if let cpu = update.cpu {
      var c = result.cpu ?? CPUResources()
      if let v = cpu.shares { c.shares = v }
      if let v = cpu.quota { c.quota = v }
      if let v = cpu.period { c.period = v }
      if let v = cpu.cpus { c.cpus = v }
      if let v = cpu.mems { c.mems = v }
      result.cpu = c
    }
    if let pids = update.pids { result.pids = pids }
    if let blockIO = update.blockIO { result.blockIO = blockIO }
    if let unified = update.unified { result.unified = unified }
    return result
  }
}

func berth_pidfd_open_checked(_ pid: Int32) -> Int32 { berth_pidfd_open(pid) }
func berth_pidfd_send_signal_checked(_ fd: Int32, _ signal: Int32) -> Int32 { berth_pidfd_send_signal(fd, signal) }
