/// Value conversions between the OCI (v1-shaped) resource numbers and cgroup v2 files,
/// the same arithmetic runc and crun use.
public enum CgroupConversions {
  /// cpu.shares [2, 262144] → cpu.weight [1, 10000]; 0 means unset.
  public static func cpuWeight(fromShares shares: UInt64) -> UInt64 {
    if shares == 0 { return 0 }
    let clamped = min(max(shares, 2), 262_144)
    return 1 + ((clamped - 2) * 9999) / 262_142
  }

  /// blkio.weight [10, 1000] → io.weight [1, 10000]; 0 means unset.
  public static func ioWeight(fromBlkioWeight weight: UInt64) -> UInt64 {
    if weight == 0 { return 0 }
    let clamped = min(max(weight, 10), 1000)
    return 1 + ((clamped - 10) * 9999) / 990
  }

  /// OCI `memory.swap` is memory+swap (v1 memsw); v2 memory.swap.max is swap alone.
  /// Returns the memory.swap.max text, or nil when nothing should be written.
  public static func v2SwapMax(swap: Int64?, limit: Int64?) throws -> String? {
    let memory = limit ?? 0
    let memorySwap = swap ?? 0
    // Memory unlimited and swap unset: both unlimited, as on v1.
    if memory == -1 && memorySwap == 0 { return "max" }
    if memorySwap == -1 { return "max" }
    if memorySwap == 0 { return nil }
    if memory == 0 || memory == -1 {
      throw CgroupError.invalidValue("memory.swap (\(memorySwap)) needs a memory limit as well")
    }
    if memory < 0 { throw CgroupError.invalidValue("memory limit \(memory)") }
    if memorySwap < memory {
      throw CgroupError.invalidValue(
        "memory.swap (\(memorySwap), memory+swap) must be at least the memory limit (\(memory))")
    }
    return String(memorySwap - memory)
  }

  /// A limit where -1 means unlimited: "max" on v2.
  static func v2Limit(_ value: Int64) -> String {
    value < 0 ? "max" : String(value)
  }

  /// pids.max text: 0 or negative means unlimited.
  static func pidsMax(_ limit: Int64) -> String {
    limit > 0 ? String(limit) : "max"
  }
}
