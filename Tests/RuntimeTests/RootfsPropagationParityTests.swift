import Foundation
import OCI
import Testing

/// `linux.rootfsPropagation` under berth-runtime and runc on the same bundle: both
/// start (or both refuse), and the container's `/` has the same propagation.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct RootfsPropagationParityTests {
  /// The propagation fields of `/` inside the container, peer group numbers dropped.
  static let rootPropagationScript =
    "awk '$5==\"/\" {for (i = 7; $i != \"-\"; i++) printf \"%s \", $i; print \"end\"}' /proc/self/mountinfo"
    + " | sed 's/:[0-9]*//g'"

  static let values: [String?] = [
    nil, "shared", "slave", "private", "rshared", "rslave", "rprivate", "unbindable", "runbindable",
  ]

  /// The rootfs a shared mount of its own, as an overlay under a systemd host's shared
  /// tree is: what the container's `/` becomes then depends on the propagation asked for.
  @Test(arguments: values)
  func onASharedRootfsMount(_ propagation: String?) throws {
    let bundle = try TestBundle(name: "propagation")
    defer { bundle.cleanup() }
    #expect(try Fixtures.run("/bin/mount", ["--bind", bundle.rootfs, bundle.rootfs]).status == 0)
    #expect(try Fixtures.run("/bin/mount", ["--make-shared", bundle.rootfs]).status == 0)
    let (berth, runc) = try run(bundle, propagation)
    #expect(berth.status == runc.status, "berth: \(berth.stderr) runc: \(runc.stderr)")
    #expect(berth.stdout == runc.stdout)
    if propagation == "runbindable" {
      // The rootfs mount itself is then unbindable: its bind fails, under both.
      #expect(berth.status != 0)
      return
    }
    #expect(berth.status == 0, "\(berth.stderr)")
    // runc 1.1 leaves `/` a slave of the host's mount only with rslave (its default);
    // every other value ends private, since the shared parent is made private first.
    let slave = propagation == nil || propagation == "rslave"
    #expect(berth.stdout == (slave ? "master end\n" : "end\n"))
  }

  /// The rootfs a plain directory on the host's root mount.
  @Test(arguments: values)
  func onAPlainDirectory(_ propagation: String?) throws {
    let bundle = try TestBundle(name: "propagation")
    defer { bundle.cleanup() }
    let (berth, runc) = try run(bundle, propagation)
    #expect(berth.status == runc.status, "berth: \(berth.stderr) runc: \(runc.stderr)")
    #expect(berth.stdout == runc.stdout)
    if propagation?.hasSuffix("unbindable") == true {
      // The bind of a directory on an unbindable mount fails, under both.
      #expect(berth.status != 0)
    } else {
      #expect(berth.status == 0, "\(berth.stderr)")
    }
  }

  @Test func anUnknownValueIsRefused() throws {
    let bundle = try TestBundle(name: "propagation")
    defer { bundle.cleanup() }
    let (berth, runc) = try run(bundle, "sideways")
    #expect(berth.status != 0)
    #expect(runc.status != 0)
    #expect(berth.stderr.contains("rootfsPropagation=sideways is not supported"), "\(berth.stderr)")
    #expect(runc.stderr.contains("rootfsPropagation=sideways is not supported"), "\(runc.stderr)")
  }

  func run(_ bundle: TestBundle, _ propagation: String?) throws -> (Fixtures.Output, Fixtures.Output) {
    bundle.spec.linux?.rootfsPropagation = propagation
    try bundle.write(args: ["sh", "-c", Self.rootPropagationScript])
    return try Parity.run(bundle)
  }
}
