import Foundation
import OCI
import Testing

/// Specs runc refuses before starting anything (a setting needing a namespace the spec
/// neither makes nor joins): berth-runtime refuses them too, with runc's words.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct SpecValidationParityTests {
  func bothRefuse(_ message: String, configure: (TestBundle) -> Void) throws {
    let bundle = try TestBundle(name: "validation")
    defer { bundle.cleanup() }
    configure(bundle)
    try bundle.write(args: ["true"])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status != 0)
    #expect(runc.status != 0)
    #expect(berth.stderr.contains(message), "\(berth.stderr)")
    // runc's log escapes the quotes.
    #expect(runc.stderr.replacingOccurrences(of: "\\\"", with: "\"").contains(message), "\(runc.stderr)")
  }

  func without(_ bundle: TestBundle, _ types: String...) {
    bundle.spec.linux?.namespaces?.removeAll { types.contains($0.type) }
  }

  @Test func hostnameNeedsAUTSNamespace() throws {
    try bothRefuse("unable to set hostname without a private UTS namespace") { without($0, "uts") }
  }

  @Test func maskedAndReadonlyPathsNeedAMountNamespace() throws {
    try bothRefuse("unable to restrict sys entries without a private MNT namespace") { without($0, "mount") }
  }

  @Test(arguments: [
    ("net.ipv4.ip_forward", "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace"),
    ("kernel.shmmax", "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace"),
    ("fs.mqueue.msg_max", "sysctl \"fs.mqueue.msg_max\" is not allowed in the hosts ipc namespace"),
    ("kernel.pid_max", "sysctl \"kernel.pid_max\" is not in a separate kernel namespace"),
    ("kernel.hostname", "sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field"),
  ])
  func sysctlsNeedTheirNamespace(_ key: String, _ message: String) throws {
    try bothRefuse(message) { bundle in
      without(bundle, "network", "ipc")
      bundle.spec.linux?.sysctl = [key: "1"]
    }
  }

  /// A net.* sysctl is allowed in a namespace joined by path, unless that is the caller's own.
  @Test func netSysctlInTheCallersNetworkNamespaceJoinedByPath() throws {
    try bothRefuse("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace") { bundle in
      let namespaces = bundle.spec.linux?.namespaces ?? []
      bundle.spec.linux?.namespaces = namespaces.map {
        $0.type == "network" ? Namespace(type: "network", path: "/proc/self/ns/net") : $0
      }
      bundle.spec.linux?.sysctl = ["net.ipv4.ip_forward": "1"]
    }
  }

  static var hostHasNoSELinux: Bool { !FileManager.default.fileExists(atPath: "/sys/fs/selinux/enforce") }
  static var hostHasNoAppArmor: Bool { !FileManager.default.fileExists(atPath: "/sys/kernel/security/apparmor") }

  @Test(.enabled(if: hostHasNoSELinux, "runc applies the label where SELinux is on"))
  func anSELinuxLabelIsNotIgnored() throws {
    try bothRefuse("selinux label is specified in config, but selinux is disabled or not supported") {
      $0.spec.process?.selinuxLabel = "system_u:system_r:container_t:s0"
    }
  }

  /// runc fails at the mount (a context= option the kernel refuses); berth-runtime at create.
  @Test(.enabled(if: hostHasNoSELinux, "runc applies the label where SELinux is on"))
  func aMountLabelIsNotIgnored() throws {
    let bundle = try TestBundle(name: "validation")
    defer { bundle.cleanup() }
    bundle.spec.linux?.mountLabel = "system_u:object_r:container_file_t:s0"
    try bundle.write(args: ["true"])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status != 0)
    #expect(runc.status != 0)
    #expect(berth.stderr.contains("mount label is specified in config"), "\(berth.stderr)")
  }

  /// Without AppArmor the profile cannot be set: both fail rather than run unconfined.
  @Test(.enabled(if: hostHasNoAppArmor, "the profile would apply where AppArmor is on"))
  func anAppArmorProfileIsNotIgnored() throws {
    let bundle = try TestBundle(name: "validation")
    defer { bundle.cleanup() }
    bundle.spec.process?.apparmorProfile = "docker-default"
    try bundle.write(args: ["true"])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status != 0)
    #expect(runc.status != 0)
    #expect(berth.stderr.contains("unable to apply apparmor profile"), "\(berth.stderr)")
    #expect(runc.stderr.contains("unable to apply apparmor profile"), "\(runc.stderr)")
  }

  @Test func namespacedSysctlsAreWrittenLikeRunc() throws {
    let bundle = try TestBundle(name: "validation")
    defer { bundle.cleanup() }
    bundle.spec.linux?.sysctl = ["kernel.domainname": "example.test", "kernel.shmmax": "4096"]
    try bundle.write(args: ["sh", "-c", "cat /proc/sys/kernel/domainname /proc/sys/kernel/shmmax"])
    let (berth, runc) = try Parity.run(bundle)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout == "example.test\n4096\n")
  }
}
