import Foundation
import Testing

@testable import LinuxOS

/// berthd's shims stay its children; the reaper must collect each exit so none lingers
/// as a zombie, whether the child exits before or after it is adopted.
struct ChildReaperTests {
  static func isGone(_ pid: pid_t) -> Bool {
    // A zombie still has /proc/<pid>; a reaped child has none (pids are not reused this fast).
    !FileManager.default.fileExists(atPath: "/proc/\(pid)")
  }

  static func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<500 {
      if condition() { return true }
      usleep(10_000)
    }
    return condition()
  }

  @Test func childrenAreReapedWhenTheyExit() throws {
    let early = try Processes.spawn("/bin/true", ["true"], environment: [])
    usleep(100_000)  // exited, a zombie, before adoption
    let late = try Processes.spawn("/bin/sleep", ["sleep", "0.3"], environment: [])
    ChildReaper.shared.adopt(early)
    ChildReaper.shared.adopt(late)
    #expect(Self.eventually { Self.isGone(early) })
    #expect(!Self.isGone(late))
    #expect(Self.eventually { Self.isGone(late) })
  }

  @Test func manyChildrenAtOnce() throws {
    let pids = try (0..<20).map { _ in try Processes.spawn("/bin/sleep", ["sleep", "0.1"], environment: []) }
    for pid in pids { ChildReaper.shared.adopt(pid) }
    #expect(Self.eventually { pids.allSatisfy(Self.isGone) })
  }
}
