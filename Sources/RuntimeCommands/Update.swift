import JSONCoding
import Glibc
import LinuxOS
import OCI
import Runtime

extension CommandContext {
  static let updateFlags: [FlagSpec] = [
    "resources", "r", "memory", "memory-swap", "memory-reservation", "kernel-memory", "kernel-memory-tcp",
    "cpu-shares", "cpu-quota", "cpu-period", "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus",
    "cpuset-mems", "pids-limit", "blkio-weight", "l3-cache-schema", "mem-bw-schema",
  ].map { FlagSpec(names: [$0], takesValue: true) }

  /// `update`: from a resources JSON (`-r file` or `-r -` for stdin) or from flags.
  func update(_ arguments: ArraySlice<String>) throws -> Int32 {
    var flags = Self.updateFlags
    flags.removeAll { $0.names == ["resources"] || $0.names == ["r"] }
    flags.append(FlagSpec(names: ["resources", "r"], takesValue: true))
    let (parsed, _) = try ArgumentParser.parse(arguments, flags: flags)
    let id = try containerID(parsed, verb: "update")
    var resources = Resources()
    if let source = parsed.value("resources") {
      let bytes = source == "-" ? try FD.readAll(0) : try Files.read(source)
      do {
        resources = try JSON.decode(Resources.self, from: bytes)
      } catch {
        throw RuntimeError("invalid resources JSON: \(error)")
      }
    }
    var memory = resources.memory ?? MemoryResources()
    if let v = parsed.value("memory") { memory.limit = try Sizes.parse(v, flag: "memory") }
    if let v = parsed.value("memory-swap") { memory.swap = try Sizes.parse(v, flag: "memory-swap") }
    if let v = parsed.value("memory-reservation") {
      memory.reservation = try Sizes.parse(v, flag: "memory-reservation")
    }
    if memory != MemoryResources() { resources.memory = memory }
    var cpu = resources.cpu ?? CPUResources()
    if let v = parsed.value("cpu-shares") { cpu.shares = try number(v, "cpu-shares") }
    if let v = parsed.value("cpu-quota") { cpu.quota = try number(v, "cpu-quota") }
    if let v = parsed.value("cpu-period") { cpu.period = try number(v, "cpu-period") }
    if let v = parsed.value("cpuset-cpus") { cpu.cpus = v }
    if let v = parsed.value("cpuset-mems") { cpu.mems = v }
    if cpu != CPUResources() { resources.cpu = cpu }
    if let v = parsed.value("pids-limit") { resources.pids = PidsResources(limit: try number(v, "pids-limit")) }
    if let v = parsed.value("blkio-weight") {
      resources.blockIO = BlockIOResources(weight: try number(v, "blkio-weight"))
    }
    try runtime.update(id: id, resources: resources)
    return 0
  }

  func number<T: FixedWidthInteger>(_ text: String, _ flag: String) throws -> T {
    guard let value = T(text) else { throw UsageError("invalid value for --\(flag): \(text)") }
    return value
  }
}

/// Sizes as Docker and runc accept them: bytes, or with k/m/g/t suffixes (powers of 1024).
enum Sizes {
  static func parse(_ text: String, flag: String) throws -> Int64 {
    if text == "-1" { return -1 }
    var digits = text.lowercased()
    if digits.hasSuffix("b") { digits.removeLast() }
    let units: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
    var multiplier: Int64 = 1
    if let last = digits.last, let unit = units[last] {
      multiplier = unit
      digits.removeLast()
    }
    guard let value = Int64(digits), value >= 0 else { throw UsageError("invalid size for --\(flag): \(text)") }
    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
    if overflow { throw UsageError("size too large for --\(flag): \(text)") }
    return product
  }
}
