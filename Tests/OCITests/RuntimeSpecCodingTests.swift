import Foundation
import Testing

@testable import OCI

struct RuntimeSpecCodingTests {
  /// A config as `runc spec` writes it, plus the fields Docker adds.
  static let runcStyleConfig = """
    {"ociVersion":"1.0.2-dev","process":{"terminal":true,"user":{"uid":0,"gid":0,"additionalGids":[10]},
    "args":["sh"],"env":["PATH=/bin"],"cwd":"/","capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],
    "permitted":["CAP_KILL"],"ambient":["CAP_KILL"]},"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],
    "noNewPrivileges":true,"oomScoreAdj":-500},"root":{"path":"rootfs","readonly":true},"hostname":"runc",
    "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
    "hooks":{"prestart":[{"path":"/usr/bin/docker-proxy","args":["libnetwork-setkey","-exec-root=/run/docker"]}]},
    "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":67108864,"swap":-1},
    "cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0"},"pids":{"limit":100},"blockIO":{"weight":500}},
    "cgroupsPath":"/docker/abc","namespaces":[{"type":"pid"},{"type":"network","path":"/var/run/netns/x"}],
    "seccomp":{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86_64"],
    "syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}]}]},
    "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"],"sysctl":{"net.ipv4.ip_forward":"1"}},
    "unknownFutureField":{"kept":"out"}}
    """

  @Test func decodesEverythingRuncAndDockerWrite() throws {
    let spec = try JSONDecoder().decode(Spec.self, from: Data(Self.runcStyleConfig.utf8))
    #expect(spec.process?.user.additionalGids == [10])
    #expect(spec.process?.oomScoreAdj == -500)
    #expect(spec.linux?.resources?.memory?.swap == -1)
    #expect(spec.linux?.resources?.cpu?.quota == 50000)
    #expect(spec.linux?.namespaces?.last?.path == "/var/run/netns/x")
    #expect(spec.linux?.seccomp?.syscalls?.first?.args?.first?.op == "SCMP_CMP_MASKED_EQ")
    #expect(spec.hooks?.prestart?.first?.args?.first == "libnetwork-setkey")
    #expect(spec.linux?.sysctl?["net.ipv4.ip_forward"] == "1")
  }

  @Test func roundTripsWithoutLoss() throws {
    let spec = try JSONDecoder().decode(Spec.self, from: Data(Self.runcStyleConfig.utf8))
    let again = try JSONDecoder().decode(Spec.self, from: JSONEncoder().encode(spec))
    #expect(again == spec)
  }

  @Test func rejectsConfigWithoutRequiredFields() {
    // process.cwd and user are required by the spec.
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Spec.self, from: Data(#"{"ociVersion":"1.0.0","process":{"args":["sh"]}}"#.utf8))
    }
  }

  @Test func stateEncodesRuncFieldNames() throws {
    let state = ContainerState(
      ociVersion: "1.0.2", id: "c1", pid: 42, status: "running", bundle: "/b", rootfs: "/b/rootfs",
      created: "2026-01-01T00:00:00.000000000Z")
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(state)) as? [String: Any]
    #expect(
      Set(json?.keys.map { $0 } ?? []) == ["ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"])
  }
}
