import Foundation
import OCI
import Testing

/// A container without a mount namespace of its own (the host's) or in one joined by
/// path, under berth-runtime and runc on the same bundle.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct MountNamespaceParityTests {
  /// Where the process is, what it sees mounted (mount point, options, propagation), and
  /// whether its root is writable.
  static let viewScript = """
    pwd; readlink /proc/self/root
    awk '{printf "%s %s", $5, $6; for (i = 7; $i != "-"; i++) printf " %s", $i; print ""}' /proc/self/mountinfo \
      | sed 's/:[0-9]*//g' | sort
    touch /written 2>/dev/null && echo root-writable || echo root-readonly
    hostname
    """

  /// The host's mount namespace: mounts land in it and the process chroots. runc runs
  /// in a mount namespace copied from the host (`unshare -m`): it makes its namespace's
  /// `/` rslave, which in the host's would change the machine's propagation; berth-runtime
  /// runs in the host's, and must leave every host mount's propagation as it was.
  @Test func hostMountNamespace() throws {
    let bundle = try TestBundle(name: "hostns")
    let before = try Parity.hostMountInfo()
    var during = ""
    do {
      defer { bundle.cleanup() }
      bundle.spec.linux?.namespaces?.removeAll { $0.type == "mount" }
      // runc refuses these without a mount namespace (as berth-runtime, tested below).
      bundle.spec.linux?.maskedPaths = nil
      bundle.spec.linux?.readonlyPaths = nil
      try bundle.write(args: ["sh", "-c", Self.viewScript])
      // runc first: berth-runtime's mounts stay in the host's namespace after its run.
      let (berth, runc) = try Parity.run(
        bundle, runcPrefix: ["/usr/bin/unshare", "-m", "--propagation", "unchanged"], runcFirst: true)
      during = try Parity.hostMountInfo()
      #expect(berth.status == 0, "\(berth.stderr)")
      #expect(runc.status == 0, "\(runc.stderr)")
      #expect(berth.stdout == runc.stdout)
      #expect(berth.stdout.hasPrefix("/\n/\n/ rw,relatime\n"), "\(berth.stdout)")
      #expect(berth.stdout.contains("/proc rw,relatime\n"))
      #expect(berth.stdout.hasSuffix("root-writable\nrunc\n"))
      // berth-runtime's mounts are in the host's namespace, under the rootfs, as runc's
      // would be; and they stay after the container exits, as runc's do.
      let leftovers = try Parity.mounts(under: bundle.rootfs)
      #expect(leftovers.contains(bundle.rootfs))
      #expect(leftovers.contains(bundle.rootfs + "/proc"))
    }
    let after = try Parity.hostMountInfo()
    #expect(try Parity.mounts(under: bundle.directory).isEmpty)
    // Every host mount present before and after kept its propagation (ids are unique per
    // boot; other tests on the machine may add or remove their own meanwhile).
    let old = Parity.propagation(before)
    for (id, fields) in Parity.propagation(during) where old[id] != nil { #expect(old[id] == fields, "mount \(id)") }
    for (id, fields) in Parity.propagation(after) where old[id] != nil { #expect(old[id] == fields, "mount \(id)") }
  }

  /// The runtime's own mount namespace "joined" by path: runc would pivot_root the host
  /// (it is not run here); berth-runtime refuses before anything is mounted.
  @Test func theRuntimesOwnMountNamespaceByPathIsRefused() throws {
    let bundle = try TestBundle(name: "ownns")
    defer { bundle.cleanup() }
    let namespaces = bundle.spec.linux?.namespaces ?? []
    bundle.spec.linux?.namespaces = namespaces.map {
      $0.type == "mount" ? Namespace(type: "mount", path: "/proc/self/ns/mnt") : $0
    }
    try bundle.write(args: ["true"])
    let berth = try Fixtures.runtime(
      ["run", TestBundle.uniqueID("ownns")], root: bundle.stateRoot, cwd: bundle.directory)
    #expect(berth.status != 0)
    #expect(berth.stderr.contains("is the runtime's own"), "\(berth.stderr)")
    #expect(try Parity.mounts(under: bundle.directory).isEmpty)
  }

  /// A mount namespace joined by path: both pivot_root in it. Each runtime gets its own
  /// (a pivot_root changes the root of every process of the namespace, the holder's too).
  @Test func mountNamespaceJoinedByPath() throws {
    let bundle = try TestBundle(name: "joinedns")
    defer { bundle.cleanup() }
    let berthHolder = try Parity.NamespaceHolder(["--mount", "--propagation", "private"])
    defer { berthHolder.stop() }
    let runcHolder = try Parity.NamespaceHolder(["--mount", "--propagation", "private"])
    defer { runcHolder.stop() }
    let script = Self.viewScript + "\nreadlink /proc/self/ns/mnt"
    try bundle.write(args: ["sh", "-c", script])
    func runIn(_ holder: Parity.NamespaceHolder, runc: Bool) throws -> Fixtures.Output {
      let namespaces = bundle.spec.linux?.namespaces ?? []
      bundle.spec.linux?.namespaces = namespaces.map {
        $0.type == "mount" ? Namespace(type: "mount", path: holder.path("mnt")) : $0
      }
      try bundle.write()
      let id = TestBundle.uniqueID("joined")
      return runc
        ? try Fixtures.runc(["run", id], root: bundle.stateRoot + "-runc", cwd: bundle.directory)
        : try Fixtures.runtime(["run", id], root: bundle.stateRoot, cwd: bundle.directory)
    }
    let berth = try runIn(berthHolder, runc: false)
    let runc = try runIn(runcHolder, runc: true)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(runc.status == 0, "\(runc.stderr)")
    let berthNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: berthHolder.path("mnt"))
    let runcNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: runcHolder.path("mnt"))
    #expect(berth.stdout.hasSuffix(berthNamespace + "\n"), "\(berth.stdout)")
    #expect(runc.stdout.hasSuffix(runcNamespace + "\n"), "\(runc.stdout)")
    let view = { (output: String) in output.split(separator: "\n").dropLast().joined(separator: "\n") }
    #expect(view(berth.stdout) == view(runc.stdout))
    #expect(berth.stdout.contains("root-readonly"))
    // The holders' namespaces are private: nothing reached the host's.
    #expect(try Parity.mounts(under: bundle.directory).isEmpty)
  }
}
