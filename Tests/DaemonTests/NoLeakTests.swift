// Many `docker run --rm busybox true` cycles leave nothing behind: no mounts, cgroups,
// shims, runtime or shim state, container directories, and berthd's open fds do not grow.
// Needs root, busybox, /usr/local/bin/docker and the built binaries.
import Foundation
import Testing

@Suite(.serialized) struct NoLeakTests {
  static let cycles = 200

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func runRemoveCyclesLeaveNothing() throws {
    let d = TestBerthd(tag: "leak")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()

    // Warm up (lazily opened files, thread pools), then count berthd's fds.
    for _ in 0..<5 {
      let (rc, out) = try d.docker("run", "--rm", "busybox", "true")
      try #require(rc == 0, "docker run --rm: \(out)")
    }
    #expect(d.waitForNoLeftovers().isEmpty)
    let fdsBefore = d.openFDs

    let started = Date()
    var failures: [String] = []
    for i in 0..<Self.cycles {
      let (rc, out) = try d.docker("run", "--rm", "busybox", "true")
      if rc != 0 || !out.isEmpty { failures.append("cycle \(i): \(rc) \(out)") }
      if failures.count > 5 { break }
    }
    let elapsed = Date().timeIntervalSince(started)
    #expect(failures.isEmpty, "docker run --rm failed: \(failures)")
    print("NoLeakTests: \(Self.cycles) run --rm cycles in \(Int(elapsed)) s")

    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind after \(Self.cycles) run --rm: \(left)")
    let (rc, out) = try d.docker("ps", "-aq")
    #expect(rc == 0 && out.isEmpty, "containers listed: \(out)")
    let fdsAfter = d.openFDs
    #expect(fdsAfter <= fdsBefore + 3, "berthd's open fds grew from \(fdsBefore) to \(fdsAfter)")
  }
}
