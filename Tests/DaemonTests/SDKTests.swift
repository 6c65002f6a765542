// The Engine API gaps real clients hit, through the docker SDK 7.1 (PyPI) against the built
// berthd: sdk/api_gaps.py runs one check per gap and reports each.
import Foundation
import Testing

@Suite(.serialized) struct SDKTests {
  /// The Python that has the docker SDK 7 (PyPI's, not Debian's python3-docker 5, which
  /// Debian's docker-compose uses).
  static let python: String? = {
    for candidate in ["/root/.pyenv/shims/python3", "/usr/local/bin/python3", "/usr/bin/python3"] {
      guard FileManager.default.isExecutableFile(atPath: candidate),
        let (rc, out) = try? Integration.run([candidate, "-c", "import docker; print(docker.__version__)"]),
        rc == 0, out.hasPrefix("7.")
      else { continue }
      return candidate
    }
    return nil
  }()

  static var missing: String? { TestBerthd.missing ?? (python == nil ? "needs the docker SDK 7 for Python" : nil) }

  @Test(.enabled(if: SDKTests.missing == nil, "needs root, busybox, the built binaries and the docker SDK"))
  func engineAPIGapsThroughTheSDK() throws {
    let d = TestBerthd(tag: "sdk")
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let script = Integration.repoRoot + "/Tests/DaemonTests/sdk/api_gaps.py"
    var env = d.environment
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    let (rc, out) = try Integration.run(["/usr/bin/timeout", "300", Self.python ?? "python3", script], env: env)
    let failed = out.split(separator: "\n").filter { $0.hasPrefix("not ok") }
    #expect(rc == 0 && failed.isEmpty, "\(out)\n\(d.logText.suffix(2000))")
    #expect(out.contains("ok put_archive_into_a_declared_volume_before_start"), "the checks ran: \(out)")
    _ = try d.docker("container", "prune", "-f")
    let left = d.waitForNoLeftovers()
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(.enabled(if: SDKTests.missing == nil && NetworkEngineTests.enabled, "needs root, nft and the docker SDK"))
  func networksThroughTheSDK() throws {
    let d = TestBerthd(tag: "sdk-net", ownNetwork: true)
    defer { d.cleanUp() }
    try d.start()
    try d.importBusybox()
    let script = Integration.repoRoot + "/Tests/DaemonTests/sdk/networks.py"
    var env = d.environment
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    // In berthd's namespace: the published port is on its loopback.
    let (rc, out) = try Integration.run(
      ["/usr/bin/timeout", "300", "/usr/bin/nsenter", "--net=" + d.netns, "--", Self.python ?? "python3", script],
      env: env)
    let failed = out.split(separator: "\n").filter { $0.hasPrefix("not ok") }
    #expect(rc == 0 && failed.isEmpty, "\(out)\n\(d.logText.suffix(2000))")
    #expect(out.contains("ok prune_removes_unused_networks"), "the checks ran: \(out)")
    #expect(try NetworkEngineTests.leftovers(d) == [])
  }
}
