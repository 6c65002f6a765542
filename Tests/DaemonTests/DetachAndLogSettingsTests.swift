// Pure parts of attach and create: docker's detach-key syntax and the hold-back of a partly
// typed sequence; the log drivers' options and docker's sizes.
import EngineAPI
import Testing

@testable import Daemon

@Suite struct DetachAndLogSettingsTests {
  @Test func detachKeySpecsAsDocker() throws {
    #expect(try DetachKeys(nil).sequence == [16, 17])
    #expect(try DetachKeys("ctrl-a,x").sequence == [1, UInt8(ascii: "x")])
    #expect(try DetachKeys("ctrl-@,ctrl-[").sequence == [0, 27])
    for bad in ["ctrl-", "ctrl-ab", "ctrl-1", "a,", "éé"] {
      #expect(throws: DaemonError.self) { try DetachKeys(bad) }
    }
  }

  @Test func aPartlyTypedSequenceIsHeldBackThenPassedOn() throws {
    var w = try DetachKeys(nil).watcher()
    #expect(w.scan([65, 16]) == ([65], false))  // ctrl-p held back
    #expect(w.scan([66]) == ([16, 66], false))  // not the sequence: both pass
    #expect(w.scan([16, 16]) == ([16], false))  // the second ctrl-p may start it again
    #expect(w.scan([17, 67]) == ([], true))  // ctrl-q: detached, nothing after it
  }

  @Test func logDriversAndTheirOptions() throws {
    #expect(try LogSettings(nil) == .jsonFile)
    let local = try LogSettings(LogConfig(type: "local"))
    #expect(try local.rotation() == (20 << 20, 5))
    let sized = try LogSettings(LogConfig(type: "json-file", config: ["max-size": "1.5k", "max-file": "3"]))
    #expect(try sized.rotation() == (1536, 3))
    #expect(!(try LogSettings(LogConfig(type: "none"))).isReadable)
    #expect(throws: DaemonError.self) { try LogSettings(LogConfig(type: "syslog")) }
    #expect(throws: DaemonError.self) { try LogSettings(LogConfig(type: "none", config: ["max-size": "1m"])) }
    #expect(throws: DaemonError.self) { try LogSettings(LogConfig(type: "json-file", config: ["max-file": "2"])) }
    #expect(throws: DaemonError.self) { try LogSettings(LogConfig(type: "json-file", config: ["max-size": "lots"])) }
  }
}
