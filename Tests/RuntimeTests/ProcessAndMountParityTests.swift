import Foundation
import OCI
import Testing

/// Smaller runc behaviours found by running both runtimes on the same bundle.
@Suite(.serialized, .enabled(if: Fixtures.canRunContainers && Fixtures.hasRunc, "needs root, busybox-static and runc"))
struct ProcessAndMountParityTests {
  func both(_ script: String, configure: (TestBundle) -> Void = { _ in }) throws -> (Fixtures.Output, Fixtures.Output) {
    let bundle = try TestBundle(name: "parity")
    defer { bundle.cleanup() }
    configure(bundle)
    try bundle.write(args: ["sh", "-c", script])
    return try Parity.run(bundle)
  }

  /// runc makes a missing cwd (0755), even under a read-only root.
  @Test func aMissingWorkingDirectoryIsMade() throws {
    let (berth, runc) = try both("pwd; ls -ld /srv/app | cut -c1-10") { $0.spec.process?.cwd = "/srv/app" }
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout == "/srv/app\ndrwxr-xr-x\n")
  }

  /// The mount table in creation order (not sorted): read-only paths before masked ones.
  @Test func readonlyAndMaskedPathsAreMountedInRuncsOrder() throws {
    let (berth, runc) = try both("awk '$5 ~ /^\\/proc\\// {print $5}' /proc/self/mountinfo")
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.hasPrefix("/proc/bus\n"), "\(berth.stdout)")
  }

  /// The whole mount table, in order, with options and propagation (peer groups dropped).
  @Test func theMountTableMatchesInOrder() throws {
    let script =
      "awk '{printf \"%s %s\", $5, $6; for (i = 7; $i != \"-\"; i++) printf \" %s\", $i; print \"\"}'"
      + " /proc/self/mountinfo | sed 's/:[0-9]*//g'"
    let (berth, runc) = try both(script)
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
  }

  /// The v1 hierarchies under /sys/fs/cgroup, in creation order: the host's mount order.
  @Test func cgroupHierarchiesAreMountedInTheHostsOrder() throws {
    let (berth, runc) = try both("awk '$5 ~ /^\\/sys\\/fs\\/cgroup/ {print $5}' /proc/self/mountinfo")
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.hasPrefix("/sys/fs/cgroup\n"), "\(berth.stdout)")
  }

  /// Propagation options on the spec's own mounts (these matched runc already).
  @Test func mountPropagationOptionsMatch() throws {
    let source = FileManager.default.temporaryDirectory.appendingPathComponent("berth-prop-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let options = ["rshared", "rslave", "private", "shared", "slave", "rprivate", "unbindable"]
    let script =
      "awk '$5 ~ /^\\/data-/ {printf \"%s\", $5; for (i = 7; $i != \"-\"; i++) printf \" %s\", $i; print \"\"}'"
      + " /proc/self/mountinfo | sed 's/:[0-9]*//g' | sort"
    let (berth, runc) = try both(script) { bundle in
      for option in options {
        bundle.spec.mounts?.append(
          .init(destination: "/data-\(option)", type: "bind", source: source, options: ["rbind", option]))
      }
    }
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.contains("/data-rshared shared\n"))
    #expect(berth.stdout.contains("/data-unbindable unbindable\n"))
  }

  @Test func rlimitsAndOOMScoreMatch() throws {
    let script = "grep -E 'core file|processes|open files' /proc/self/limits; cat /proc/self/oom_score_adj"
    let (berth, runc) = try both(script) { bundle in
      bundle.spec.process?.rlimits = [
        .init(type: "RLIMIT_CORE", hard: 0, soft: 0), .init(type: "RLIMIT_NPROC", hard: 100, soft: 50),
        .init(type: "RLIMIT_NOFILE", hard: 2048, soft: 1000),
      ]
      bundle.spec.process?.oomScoreAdj = 500
    }
    #expect(berth.status == 0, "\(berth.stderr)")
    #expect(berth.stdout == runc.stdout)
    #expect(berth.stdout.hasSuffix("500\n"))
  }
}
