// GET /version and GET /info, with real values from the host.
import EngineAPI
import LinuxOS
import OCI

#if canImport(Glibc)
  import Glibc
#endif

public enum BerthVersion {
  public static let version = "0.1.0"
  public static let apiVersion = "1.47"
  public static let minAPIVersion = "1.24"
}

/// The system area: version, info, disk usage and events; it reads the other areas' stores.
public struct SystemArea: SystemBackend, EngineArea {
  public let context: EngineContext
  let containerArea: ContainerArea
  let imageArea: ImageArea
  let volumeArea: VolumeArea
}

extension SystemArea {
  public func version() async throws -> VersionResponse {
    let (release, _) = HostInfo.uname()
    let details: [String: String] = [
      "ApiVersion": BerthVersion.apiVersion, "MinAPIVersion": BerthVersion.minAPIVersion, "GitCommit": "",
      "GoVersion": "swift", "Os": "linux", "Arch": HostInfo.goArch, "KernelVersion": release,
      "BuildTime": "", "Experimental": "false",
    ]
    return VersionResponse(
      platform: VersionPlatform(name: "Berth Engine"),
      components: [
        VersionComponent(name: "Engine", version: BerthVersion.version, details: details),
        VersionComponent(
          name: "berth-runtime", version: BerthVersion.version, details: ["GitCommit": ""]),
      ],
      version: BerthVersion.version, apiVersion: BerthVersion.apiVersion,
      minAPIVersion: BerthVersion.minAPIVersion, gitCommit: "", goVersion: "swift", os: "linux",
      arch: HostInfo.goArch, kernelVersion: release, experimental: false, buildTime: "")
  }

  public func info() async throws -> SystemInfo {
    let all = containers.all()
    let running = all.filter { $0.state.status == .running || $0.state.status == .restarting }.count
    let paused = all.filter { $0.state.status == .paused }.count
    let (release, machine) = HostInfo.uname()
    let os = HostInfo.operatingSystem()
    let imageCount = Set(images.list().compactMap { try? images.resolve($0).id }).count
    let rootfsInfo = [
      ["Backing Filesystem", HostInfo.backingFilesystem(config.dataRoot)], ["Supports d_type", "true"],
      ["Using metacopy", "false"],
      ["Native Overlay Diff", "true"], ["userxattr", "false"],
    ]
    return SystemInfo(
      id: machineID(), containers: all.count, containersRunning: running, containersPaused: paused,
      containersStopped: all.count - running - paused, images: imageCount, driver: "overlay2",
      driverStatus: rootfsInfo, dockerRootDir: config.dataRoot,
      plugins: PluginsInfo(volume: ["local"], network: ["host", "null"], authorization: nil, log: ["json-file"]),
      nFd: HostInfo.openFileCount(), systemTime: Timestamps.now(), loggingDriver: "json-file",
      cgroupDriver: "cgroupfs", cgroupVersion: HostInfo.cgroupVersion(), kernelVersion: release,
      operatingSystem: os.name, osVersion: os.version, osType: "linux", architecture: machine,
      ncpu: HostInfo.cpuCount(), memTotal: HostInfo.memTotal(), name: HostInfo.hostname(),
      serverVersion: BerthVersion.version,
      runtimes: config.runtimes.paths.mapValues { RuntimeInfo(path: $0, runtimeArgs: nil) },
      defaultRuntime: config.runtimes.defaultName,
      liveRestoreEnabled: true, initBinary: config.initBinary == nil ? "" : "docker-init",
      securityOptions: ["name=seccomp,profile=builtin"])
  }

  /// A stable daemon ID (/etc/machine-id, else empty).
  func machineID() -> String {
    ((try? Files.readString("/etc/machine-id")) ?? "").split(separator: "\n").first.map(String.init) ?? ""
  }
}
