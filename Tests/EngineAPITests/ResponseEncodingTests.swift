import EngineAPI
import Testing

func jsonObject(_ value: some Encodable) throws -> [String: JSONValue] {
  let bytes = try EngineJSON.encode(value)
  guard case .object(let o) = try EngineJSON.decode(JSONValue.self, from: bytes) else {
    Issue.record("not an object")
    return [:]
  }
  return o
}

@Suite struct ResponseEncodingTests {
  @Test func containerSummaryHasDockerKeysAndEmptyCollections() throws {
    let s = ContainerSummary(id: "abc", names: ["/x"], image: "busybox", state: "running", status: "Up 3 seconds")
    let o = try jsonObject(s)
    #expect(o["Id"] == .string("abc"))
    #expect(o["Names"] == .array([.string("/x")]))
    #expect(o["Ports"] == .array([]))
    #expect(o["Labels"] == .object([:]))
    #expect(o["Mounts"] == .array([]))
    #expect(o["Status"] == .string("Up 3 seconds"))
    #expect(o["HostConfig"] == .object(["NetworkMode": .string("default")]))
    #expect(o["NetworkSettings"] == .object(["Networks": .object([:])]))
    #expect(o["SizeRw"] == nil)
  }

  @Test func versionResponse() throws {
    let o = try jsonObject(VersionResponse(platform: VersionPlatform(name: "Berth"), version: "0.1.0"))
    #expect(o["ApiVersion"] == .string("1.47"))
    #expect(o["MinAPIVersion"] == .string("1.24"))
    #expect(o["Os"] == .string("linux"))
    #expect(o["Arch"] == .string("amd64"))
    #expect(o["Platform"] == .object(["Name": .string("Berth")]))
    for key in ["Components", "Version", "GitCommit", "GoVersion", "KernelVersion", "BuildTime"] {
      #expect(o[key] != nil, "missing \(key)")
    }
  }

  @Test func infoHasWhatDockerInfoPrints() throws {
    let o = try jsonObject(SystemInfo(id: "X", cgroupVersion: "2", ncpu: 2, memTotal: 1 << 30))
    for key in [
      "ID", "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images", "Driver",
      "DockerRootDir", "KernelVersion", "OperatingSystem", "OSType", "Architecture", "NCPU", "MemTotal", "Name",
      "ServerVersion", "CgroupDriver", "CgroupVersion", "SecurityOptions", "Runtimes", "DefaultRuntime", "Swarm",
      "IPv4Forwarding", "LoggingDriver", "Plugins",
    ] {
      #expect(o[key] != nil, "missing \(key)")
    }
    #expect(o["Driver"] == .string("overlay2"))
    #expect(o["CgroupVersion"] == .string("2"))
    #expect(o["NCPU"] == .number(2))
  }

  @Test func containerInspect() throws {
    var i = ContainerInspect(id: "abc", name: "/x")
    i.state = ContainerState(status: "exited", exitCode: 3)
    let o = try jsonObject(i)
    guard case .object(let state) = o["State"] else {
      Issue.record("State")
      return
    }
    #expect(state["ExitCode"] == .number(3))
    #expect(state["OOMKilled"] == .bool(false))
    #expect(state["StartedAt"] == .string("0001-01-01T00:00:00Z"))
    #expect(o["Name"] == .string("/x"))
    #expect(o["Config"] != nil)
    #expect(o["HostConfig"] != nil)
    #expect(o["GraphDriver"] != nil)
  }

  @Test func statsUseDockerSnakeCase() throws {
    var s = ContainerStats()
    s.cpuStats.cpuUsage.totalUsage = 10
    s.cpuStats.systemCpuUsage = 100
    s.cpuStats.onlineCpus = 2
    s.memoryStats = MemoryStats(usage: 5, stats: ["inactive_file": 1], limit: 64)
    let o = try jsonObject(s)
    #expect(o["read"] != nil)
    #expect(o["precpu_stats"] != nil)
    guard case .object(let cpu) = o["cpu_stats"], case .object(let usage) = cpu["cpu_usage"] else {
      Issue.record("cpu_stats")
      return
    }
    #expect(usage["total_usage"] == .number(10))
    #expect(cpu["system_cpu_usage"] == .number(100))
    #expect(cpu["online_cpus"] == .number(2))
    guard case .object(let mem) = o["memory_stats"] else { return }
    #expect(mem["limit"] == .number(64))
  }

  @Test func execInspectSendsNullExitCodeWhileRunning() throws {
    let o = try jsonObject(ExecInspect(id: "e1", running: true))
    #expect(o["ExitCode"] == .null)
    #expect(o["ID"] == .string("e1"))
    #expect(o["ProcessConfig"] != nil)
  }

  @Test func imageSummaryAndProgress() throws {
    let o = try jsonObject(ImageSummary(id: "sha256:1", repoTags: ["busybox:latest"], created: 1_700_000_000, size: 4))
    #expect(o["RepoTags"] == .array([.string("busybox:latest")]))
    #expect(o["RepoDigests"] == .array([]))
    #expect(o["Created"] == .number(1_700_000_000))
    #expect(o["SharedSize"] == .number(-1))
    let p = try jsonObject(ProgressMessage(stream: "Loaded image: busybox:latest\n"))
    #expect(p == ["stream": .string("Loaded image: busybox:latest\n")])
    let e = try jsonObject(ProgressMessage(error: "x", errorDetail: ErrorDetail(message: "x")))
    #expect(e["errorDetail"] == .object(["message": .string("x")]))
  }

  @Test func imageDeleteItemsCarryOneKey() throws {
    #expect(try jsonObject(ImageDeleteResponseItem(untagged: "a:b")) == ["Untagged": .string("a:b")])
    #expect(try jsonObject(ImageDeleteResponseItem(deleted: "sha256:1")) == ["Deleted": .string("sha256:1")])
  }

  @Test func slashesAreNotEscaped() throws {
    let text = String(decoding: try EngineJSON.encode(ErrorResponse(message: "No such image: a/b")), as: UTF8.self)
    #expect(text == #"{"message":"No such image: a/b"}"#)
  }
}
