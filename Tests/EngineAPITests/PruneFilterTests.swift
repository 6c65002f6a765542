import EngineAPI
import Testing

@Suite struct PruneFilterTests {
  static let now = 1_700_000_000.0

  @Test func untilTakesUnixTimesTimestampsAndDurations() throws {
    let parse: (String) -> Double? = { $0 == "2023-11-14T22:13:20Z" ? 1_700_000_000 : nil }
    #expect(try Filters(["until": ["1699999000"]]).pruneUntil(now: Self.now, parseTimestamp: parse) == 1_699_999_000)
    #expect(
      try Filters(["until": ["2023-11-14T22:13:20Z"]]).pruneUntil(now: Self.now, parseTimestamp: parse) == Self.now)
    #expect(try Filters(["until": ["1h30m"]]).pruneUntil(now: Self.now, parseTimestamp: parse) == Self.now - 5400)
    #expect(try Filters(["until": ["250ms"]]).pruneUntil(now: Self.now, parseTimestamp: parse) == Self.now - 0.25)
    #expect(try Filters().pruneUntil(now: Self.now, parseTimestamp: parse) == nil)
  }

  @Test(arguments: ["soon", "10", "1h30", "h", ""])
  func malformedUntilIsRefused(value: String) throws {
    // "10" is a Unix time, which is valid: it must not be refused.
    let filters = Filters(["until": [value]])
    if value == "10" {
      #expect(try filters.pruneUntil(now: Self.now, parseTimestamp: { _ in nil }) == 10)
    } else {
      #expect(throws: EngineError.self) { try filters.pruneUntil(now: Self.now, parseTimestamp: { _ in nil }) }
    }
  }

  @Test func negatedLabels() {
    let f = Filters(["label!": ["keep", "tier=db"]])
    #expect(f.passesNegatedLabels(["tier": "web"]))
    #expect(!f.passesNegatedLabels(["keep": "yes"]))
    #expect(!f.passesNegatedLabels(["tier": "db"]))
  }
}
