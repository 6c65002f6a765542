// berthd's --config-file (dockerd's daemon.json): its settings apply like the flags, and a
// malformed file, an unknown key, a wrong type or a setting given twice stops berthd
// with a clear error. The last test starts a real berthd configured by a file only.
import Foundation
import Testing

@testable import Daemon

@Suite struct DaemonConfigFileTests {
  func write(_ json: String) throws -> String {
    let dir = Integration.tempDir("conf")
    try json.write(toFile: dir + "/daemon.json", atomically: true, encoding: .utf8)
    return dir
  }

  @Test func settingsApplyLikeFlags() throws {
    let dir = try write(
      """
      {"data-root": "/srv/berth", "hosts": ["unix:///tmp/a.sock", "unix:///tmp/b.sock"],
       "cgroup-parent": "/team", "init": true, "log-level": "debug"}
      """)
    defer { Integration.destroy(dir) }
    let o = try DaemonOptions(parsing: ["--config-file", dir + "/daemon.json", "--exec-root", "/run/x"])
    #expect(o.dataRoot == "/srv/berth" && o.execRoot == "/run/x" && o.cgroupParent == "/team")
    #expect(o.defaultInit && o.logLevel == .debug)
    #expect(o.listeners == [.unix(path: "/tmp/a.sock"), .unix(path: "/tmp/b.sock")])
  }

  @Test func networkSettingsLikeDockerd() throws {
    let dir = try write(
      """
      {"bridge": "none", "bip": "10.9.0.1/24", "mtu": 1400, "dns": ["192.0.2.53"],
       "default-address-pools": [{"base": "10.200.0.0/16", "size": 24}]}
      """)
    defer { Integration.destroy(dir) }
    let o = try DaemonOptions(parsing: ["--config-file", dir + "/daemon.json"])
    #expect(o.bridge == "none" && o.bip == "10.9.0.1/24" && o.mtu == 1400 && o.dnsServers == ["192.0.2.53"])
    #expect(
      o.addressPools.count == 1 && o.addressPools.first?.base == "10.200.0.0/16" && o.addressPools.first?.size == 24)
    let flags = try DaemonOptions(parsing: ["-b", "none", "--dns", "192.0.2.1", "--dns=192.0.2.2"])
    #expect(flags.bridge == "none" && flags.dnsServers == ["192.0.2.1", "192.0.2.2"])
    #expect(throws: (any Error).self) { try DaemonOptions(parsing: ["--default-address-pool", "10.0.0.0/8"]) }
    #expect(throws: (any Error).self) { try DaemonOptions(parsing: ["--mtu", "big"]) }
  }

  @Test func runtimesAndLogFormatLikeDockerd() throws {
    let dir = try write(
      """
      {"runtimes": {"crun": {"path": "/usr/bin/crun"}, "kata": {"path": "/opt/kata"}},
       "default-runtime": "crun", "log-format": "json"}
      """)
    defer { Integration.destroy(dir) }
    let o = try DaemonOptions(parsing: ["--config-file", dir + "/daemon.json", "--log-level", "warning"])
    #expect(o.addedRuntimes == ["crun": "/usr/bin/crun", "kata": "/opt/kata"])
    #expect(o.defaultRuntime == "crun" && o.logFormat == .json && o.logLevel == .warn)
    let flags = try DaemonOptions(parsing: ["--add-runtime", "runc2=/usr/sbin/runc", "--default-runtime=runc2"])
    #expect(flags.addedRuntimes == ["runc2": "/usr/sbin/runc"] && flags.defaultRuntime == "runc2")
  }

  @Test(arguments: [
    (["--log-level", "loud"], "unable to parse logging level: loud"),
    (["--log-format", "xml"], "invalid log format \"xml\": must be text or json"),
    (["--add-runtime", "berth=/bin/true"], "runtime name 'berth' is reserved"),
    (["--add-runtime", "nopath"], "invalid runtime nopath: expected NAME=PATH"),
  ])
  func badLogAndRuntimeFlagsAreRefused(args: [String], message: String) throws {
    #expect {
      _ = try DaemonOptions(parsing: args)
    } throws: { "\($0)".contains(message) }
  }

  @Test func anUnknownDefaultRuntimeIsRefused() throws {
    #expect {
      _ = try RuntimeRegistry(
        berthRuntime: "/usr/local/bin/berth-runtime", added: [:], runcOnPath: nil, defaultName: "crun",
        execRoot: "/run/x")
    } throws: { "\($0)".contains("default runtime crun does not exist") }
  }

  @Test(arguments: [
    ("{\"data-root\": ", "it is not a JSON object"),
    ("[1]", "it is not a JSON object"),
    ("{\"storage-driver\": \"zfs\"}", "don't match any configuration option: storage-driver"),
    ("{\"init\": \"yes\"}", "init must be true or false"),
    ("{\"hosts\": \"unix:///a.sock\"}", "hosts must be a list of strings"),
    ("{\"data-root\": 5}", "data-root must be a string"),
    ("{\"exec-root\": \"/run/y\"}", "specified both as a flag and in the configuration file: exec-root"),
    ("{\"cgroup-parent\": \"relative\"}", "--cgroup-parent must be an absolute cgroup path"),
    ("{\"runtimes\": {\"x\": {\"path\": 1}}}", "runtime x needs a \"path\" string"),
    ("{\"runtimes\": {\"x\": {\"path\": \"/x\", \"runtimeArgs\": []}}}", "runtime x: runtimeArgs is not supported"),
  ])
  func badFilesAreRefused(json: String, message: String) throws {
    let dir = try write(json)
    defer { Integration.destroy(dir) }
    do {
      _ = try DaemonOptions(parsing: [
        "--config-file", dir + "/daemon.json", "--exec-root", "/run/y",
      ])
      Issue.record("accepted \(json)")
    } catch {
      #expect("\(error)".contains(message), "\(json): \(error)")
    }
  }

  @Test func hostsFromTheFileAndAFlagConflict() throws {
    let dir = try write("{\"hosts\": [\"unix:///a.sock\"]}")
    defer { Integration.destroy(dir) }
    #expect(throws: DaemonError.self) {
      try DaemonOptions(parsing: ["-H", "unix:///b.sock", "--config-file", dir + "/daemon.json"])
    }
  }

  @Test func missingFileIsAnError() {
    #expect(throws: DaemonError.self) { try DaemonOptions(parsing: ["--config-file", "/nonexistent/daemon.json"]) }
  }

  @Test(.enabled(if: TestBerthd.missing == nil, "needs root, busybox, docker and the built binaries"))
  func berthdStartsFromAConfigFile() throws {
    let d = TestBerthd(tag: "cfg")
    defer { d.cleanUp() }
    // The data root and the init default come from the file only.
    let file = d.dir + "/daemon.json"
    try #"{"data-root": "\#(d.dataRoot)", "init": true}"#.write(toFile: file, atomically: true, encoding: .utf8)
    d.configFile = file
    try d.start()
    try d.importBusybox()
    let (rc, out) = try d.docker("run", "--rm", "busybox", "ps", "-o", "pid,comm")
    #expect(rc == 0 && out.contains("1 docker-init"), "the file's init default was not applied: \(out)")
    #expect(FileManager.default.fileExists(atPath: d.dataRoot + "/containers"), "data root not used")
  }
}
