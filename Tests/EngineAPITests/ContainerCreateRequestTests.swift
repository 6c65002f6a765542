import EngineAPI
import Testing

/// The body the docker CLI (27.x) sends for
/// `docker run -d --name x -e A=b -m 64m --cpus 0.5 -p 8080:80 -v /a:/b busybox sleep 1`.
let dockerRunBody = """
  {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,\
  "ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=b"],\
  "Cmd":["sleep","1"],"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,\
  "Labels":{},"HostConfig":{"Binds":["/a:/b"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},\
  "NetworkMode":"default","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},\
  "RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,\
  "ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],\
  "ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"",\
  "Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"",\
  "UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":67108864,"NanoCpus":500000000,\
  "CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],\
  "BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,\
  "CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,\
  "DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":null,"OomKillDisable":null,\
  "PidsLimit":null,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,\
  "MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,\
  "Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"NetworkID":"","EndpointID":"","Gateway":"",\
  "IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,\
  "DNSNames":null}}}}
  """

@Suite struct ContainerCreateRequestTests {
  @Test func decodesTheDockerRunBody() throws {
    let req = try EngineJSON.decode(ContainerCreateRequest.self, from: Array(dockerRunBody.utf8))
    #expect(req.config.image == "busybox")
    #expect(req.config.cmd == ["sleep", "1"])
    #expect(req.config.entrypoint == nil)
    #expect(req.config.env == ["A=b"])
    #expect(req.config.exposedPorts == ["80/tcp": EmptyObject()])
    #expect(req.config.tty == false)
    let host = try #require(req.hostConfig)
    #expect(host.memory == 64 << 20)
    #expect(host.nanoCpus == 500_000_000)
    #expect(host.binds == ["/a:/b"])
    #expect(host.portBindings?["80/tcp"]??.first?.hostPort == "8080")
    #expect(host.restartPolicy?.name == "no")
    #expect(host.networkMode == "default")
    #expect(host.pidsLimit == nil)
    #expect(host.securityOpt == nil)
    #expect(req.networkingConfig?.endpointsConfig?["default"] != nil)
  }

  @Test func isLenientLikeDockerd() throws {
    let json = """
      {"Image":"busybox","Cmd":"echo hi","Entrypoint":"","Unknown":{"x":[1,2]},"Env":null,"Labels":null,
       "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":1000000000},
       "HostConfig":{"Init":true,"Mounts":[{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1024}}],
       "Tmpfs":{"/run":"rw"},"Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}],"PortBindings":{"80/tcp":null}}}
      """
    let req = try EngineJSON.decode(ContainerCreateRequest.self, from: Array(json.utf8))
    #expect(req.config.cmd == ["echo hi"])
    #expect(req.config.entrypoint == [""])
    #expect(req.config.env == nil)
    #expect(req.config.healthcheck?.test == ["CMD-SHELL", "true"])
    #expect(req.hostConfig?.initProcess == true)
    #expect(req.hostConfig?.mounts?.first?.tmpfsOptions?.sizeBytes == 1024)
    #expect(req.hostConfig?.tmpfs == ["/run": "rw"])
    #expect(req.hostConfig?.ulimits?.first == Ulimit(name: "nofile", soft: 1024, hard: 2048))
    #expect(req.hostConfig?.portBindings?["80/tcp"] == .some(nil))
  }

  @Test func roundTripsFlattened() throws {
    var config = ContainerConfig()
    config.image = "busybox"
    config.cmd = ["true"]
    let req = ContainerCreateRequest(config: config, hostConfig: HostConfig(memory: 1))
    let text = String(decoding: try EngineJSON.encode(req), as: UTF8.self)
    #expect(text.contains("\"Image\":\"busybox\""))
    #expect(text.contains("\"HostConfig\":{\"Memory\":1}"))
    #expect(try EngineJSON.decode(ContainerCreateRequest.self, from: Array(text.utf8)) == req)
  }
}
