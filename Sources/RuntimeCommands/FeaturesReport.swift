import LinuxOS
import OCI
import Seccomp

/// `berth-runtime features`, shaped as the runtime-spec's features.md describes.
struct FeaturesReport: Encodable {
  struct LinuxFeatures: Encodable {
    struct Cgroup: Encodable {
      var v1 = true
      var v2 = true
      var systemd = false
      var systemdUser = false
    }
    struct SeccompFeatures: Encodable {
      var enabled = true
      var actions: [String]
      var operators: [String]
      var archs: [String]
    }
    struct Enabled: Encodable { var enabled: Bool }
    var namespaces: [String]
    var capabilities: [String]
    var cgroup = Cgroup()
    var seccomp: SeccompFeatures
    var apparmor = Enabled(enabled: true)
    var selinux = Enabled(enabled: false)
  }

  var ociVersionMin = "1.0.0"
  var ociVersionMax = "1.1.0"
  var hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
  var mountOptions: [String]
  var linux: LinuxFeatures

  static func current() -> FeaturesReport {
    let options = [
      "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "mand", "noatime",
      "nodev", "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid", "private",
      "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave", "runbindable", "rw",
      "shared", "slave", "strictatime", "suid", "sync", "unbindable",
    ]
    let last = CapabilityNames.lastCapability()
    return FeaturesReport(
      mountOptions: options,
      linux: LinuxFeatures(
        namespaces: ["cgroup", "ipc", "mount", "network", "pid", "user", "uts"],
        capabilities: Array(CapabilityNames.all.prefix(last + 1)),
        seccomp: LinuxFeatures.SeccompFeatures(
          actions: SeccompSupport.actions, operators: SeccompSupport.operators,
          archs: SeccompSupport.architectures)))
  }
}
