import Testing

@testable import Cgroups

@Suite struct ConversionsTests {
  @Test func sharesToWeightMatchesRunc() {
    #expect(CgroupConversions.cpuWeight(fromShares: 0) == 0)
    #expect(CgroupConversions.cpuWeight(fromShares: 2) == 1)
    #expect(CgroupConversions.cpuWeight(fromShares: 1024) == 39)
    #expect(CgroupConversions.cpuWeight(fromShares: 512) == 20)
    #expect(CgroupConversions.cpuWeight(fromShares: 262_144) == 10_000)
    // Out of range is clamped instead of wrapping around.
    #expect(CgroupConversions.cpuWeight(fromShares: 1) == 1)
    #expect(CgroupConversions.cpuWeight(fromShares: 1_000_000) == 10_000)
  }

  @Test func blkioWeightToIOWeight() {
    #expect(CgroupConversions.ioWeight(fromBlkioWeight: 10) == 1)
    #expect(CgroupConversions.ioWeight(fromBlkioWeight: 500) == 4950)
    #expect(CgroupConversions.ioWeight(fromBlkioWeight: 1000) == 10_000)
  }

  @Test func swapIsMemoryPlusSwapOnV1AndSwapAloneOnV2() throws {
    #expect(try CgroupConversions.v2SwapMax(swap: 200, limit: 100) == "100")
    #expect(try CgroupConversions.v2SwapMax(swap: 100, limit: 100) == "0")
    #expect(try CgroupConversions.v2SwapMax(swap: -1, limit: 100) == "max")
    #expect(try CgroupConversions.v2SwapMax(swap: nil, limit: -1) == "max")
    #expect(try CgroupConversions.v2SwapMax(swap: nil, limit: 100) == nil)
    #expect(throws: CgroupError.self) { try CgroupConversions.v2SwapMax(swap: 50, limit: 100) }
    #expect(throws: CgroupError.self) { try CgroupConversions.v2SwapMax(swap: 50, limit: nil) }
  }

  @Test func pidsLimitZeroOrNegativeIsMax() {
    #expect(CgroupConversions.pidsMax(0) == "max")
    #expect(CgroupConversions.pidsMax(-1) == "max")
    #expect(CgroupConversions.pidsMax(42) == "42")
  }
}
