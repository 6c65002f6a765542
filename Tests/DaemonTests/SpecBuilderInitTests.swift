// `--init` in the runtime spec: the init's read-only bind at /sbin/docker-init and the
// command behind "/sbin/docker-init --", as moby's oci_linux.go builds them.
import OCI
import Testing

@testable import Daemon

@Suite struct SpecBuilderInitTests {
  static let id = String(repeating: "cd", count: 32)
  static let initBinary = "/usr/local/bin/berth-init"

  func spec(
    initBinary: String? = SpecBuilderInitTests.initBinary, defaultInit: Bool = false,
    _ change: (inout ContainerSettings) -> Void
  ) throws -> Spec {
    var s = ContainerSettings(image: "busybox")
    s.entrypoint = ["/entry"]
    s.cmd = ["sleep", "5"]
    change(&s)
    var ctx = SpecContext(
      id: Self.id, rootfs: "/nonexistent-rootfs", bundleDirectory: "/run/berth/bundles/\(Self.id)")
    ctx.initBinary = initBinary
    ctx.defaultInit = defaultInit
    return try SpecBuilder.build(SpecBuilder.merged(s, image: nil, id: Self.id), context: ctx)
  }

  func initMounts(_ spec: Spec) -> [Mount] {
    (spec.mounts ?? []).filter { $0.destination == SpecBuilder.initPath }
  }

  @Test func initIsMountedReadOnlyAndRunsTheCommand() throws {
    let s = try spec { $0.initProcess = true }
    #expect(s.process?.args == ["/sbin/docker-init", "--", "/entry", "sleep", "5"])
    let mounts = initMounts(s)
    #expect(mounts.count == 1)
    #expect(mounts.first?.type == "bind")
    #expect(mounts.first?.source == Self.initBinary)
    #expect(mounts.first?.options == ["bind", "ro"])
    // Last, so that no user mount (a volume on /sbin) can hide it.
    #expect(s.mounts?.last?.destination == SpecBuilder.initPath)
  }

  @Test func noInitByDefault() throws {
    for value in [nil, false] as [Bool?] {
      let s = try spec { $0.initProcess = value }
      #expect(s.process?.args == ["/entry", "sleep", "5"])
      #expect(initMounts(s).isEmpty)
    }
  }

  @Test func daemonDefaultAppliesUnlessTheContainerSaysNo() throws {
    let unset = try spec(defaultInit: true) { $0.initProcess = nil }
    #expect(unset.process?.args?.first == SpecBuilder.initPath)
    #expect(initMounts(unset).count == 1)
    let no = try spec(defaultInit: true) { $0.initProcess = false }
    #expect(no.process?.args == ["/entry", "sleep", "5"])
    #expect(initMounts(no).isEmpty)
  }

  @Test func noInitInTheHostPIDNamespace() throws {
    let s = try spec {
      $0.initProcess = true
      $0.pidMode = "host"
    }
    #expect(s.process?.args == ["/entry", "sleep", "5"])
    #expect(initMounts(s).isEmpty)
  }

  @Test func missingInitBinaryIsAClearError() {
    do {
      _ = try spec(initBinary: nil) { $0.initProcess = true }
      Issue.record("expected an error without berth-init")
    } catch let e as DaemonError {
      #expect(e.message.contains("berth-init"), "\(e.message)")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func validateAcceptsInit() {
    var s = ContainerSettings(image: "busybox")
    s.cmd = ["sh"]
    s.initProcess = true
    #expect(throws: Never.self) { try SpecBuilder.validate(s) }
  }
}
