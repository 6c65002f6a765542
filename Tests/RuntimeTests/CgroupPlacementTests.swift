import Foundation
import LinuxOS
import OCI
import Testing

/// The container process enters its cgroup itself (`CgroupSelfPlacement`): it must end up
/// in its cgroup in every hierarchy, alone (stage 1 of the init never joins), with or
/// without a pid namespace or a user namespace.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers, "needs root and busybox-static"))
struct CgroupPlacementTests {
  /// Host-side `/proc/PID/cgroup` of a created container, one line per hierarchy.
  func hostCgroupLines(ofCreated id: String, _ bundle: TestBundle) throws -> [Substring] {
    let state = try Fixtures.runtime(["state", id], root: bundle.stateRoot)
    let json = try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any]
    let pid = json?["pid"] as? Int ?? 0
    #expect(pid > 0, "\(state.stdout)\(state.stderr)")
    return try Files.readString("/proc/\(pid)/cgroup").split(separator: "\n")
  }

  @Test(arguments: [true, false])
  func containerProcessIsInItsCgroupInEveryHierarchy(newPIDNamespace: Bool) throws {
    let bundle = try TestBundle(name: "place")
    defer { bundle.cleanup() }
    if !newPIDNamespace { bundle.spec.linux?.namespaces?.removeAll { $0.type == "pid" } }
    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("place")
    let created = try Fixtures.runtime(["create", id], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(created.status == 0, "\(created.stderr)")
    defer { _ = try? Fixtures.runtime(["delete", "--force", id], root: bundle.stateRoot) }
    let lines = try hostCgroupLines(ofCreated: id, bundle)
    // Every v1 hierarchy and, on hybrid and v2 hosts, the cgroup2 one ("0::").
    #expect(lines.count >= 1)
    for line in lines { #expect(line.hasSuffix("/\(id)"), "\(line)") }
    let mounts = try Files.readString("/proc/self/mountinfo")
    if mounts.contains(" - cgroup2 ") { #expect(lines.contains { $0.hasPrefix("0::") && $0.hasSuffix("/\(id)") }) }
    // Only the container process is in it: stage 1 of the init never entered.
    for dir in cgroupDirectories(named: id) {
      let tasks = (try? Files.readString(dir + "/cgroup.procs")) ?? ""
      #expect(tasks.split(separator: "\n").count == 1, "\(dir): \(tasks)")
    }
  }

  @Test func pidsLimitOfOneCountsOnlyTheContainerProcess() throws {
    let bundle = try TestBundle(name: "pids1")
    defer { bundle.cleanup() }
    bundle.spec.linux?.resources?.pids = PidsResources(limit: 1)
    try bundle.write(args: ["echo", "alone"])
    let result = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("pids1")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "alone\n")
  }

  @Test func execEntersTheContainersCgroup() throws {
    let bundle = try TestBundle(name: "execcg")
    defer { bundle.cleanup() }
    bundle.spec.linux?.namespaces?.append(Namespace(type: "cgroup"))
    try bundle.write(args: ["sleep", "300"])
    let id = TestBundle.uniqueID("execcg")
    #expect(try Fixtures.runtime(["run", "-d", id], root: bundle.stateRoot, cwd: bundle.directory).status == 0)
    defer { _ = try? Fixtures.runtime(["delete", "--force", id], root: bundle.stateRoot) }
    // In the container's cgroup namespace every hierarchy shows its root.
    let exec = try Fixtures.runtime(["exec", id, "cat", "/proc/self/cgroup"], root: bundle.stateRoot)
    #expect(exec.status == 0, "\(exec.stderr)")
    let lines = exec.stdout.split(separator: "\n")
    #expect(!lines.isEmpty)
    for line in lines { #expect(line.hasSuffix(":/"), "\(line)") }
  }
}
