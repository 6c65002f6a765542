// `--security-opt` (seccomp, no-new-privileges; apparmor and label accepted and ignored:
// this host has neither), Docker's masked and read-only paths, and seccomp profiles in
// Docker's JSON format.
import FoundationEssentials
import OCI
import Seccomp

struct SecurityOptions: Equatable {
  enum SeccompChoice: Equatable {
    case dockerDefault
    case unconfined
    /// A profile in Docker's JSON format (the CLI sends the file's contents).
    case profile(String)
  }
  var seccomp: SeccompChoice = .dockerDefault
  var noNewPrivileges = false

  init(parsing options: [String]) throws {
    for opt in options {
      if opt == "no-new-privileges" {
        noNewPrivileges = true
        continue
      }
      let sep = opt.firstIndex(of: "=") ?? opt.firstIndex(of: ":")
      guard let sep else { throw DaemonError.invalid("invalid --security-opt 1: \"\(opt)\"") }
      let key = String(opt[..<sep])
      let value = String(opt[opt.index(after: sep)...])
      switch key {
      case "no-new-privileges":
        switch value {
        case "true", "1": noNewPrivileges = true
        case "false", "0": noNewPrivileges = false
        default: throw DaemonError.invalid("invalid --security-opt 2: \"\(opt)\"")
        }
      case "seccomp":
        seccomp = value == "unconfined" ? .unconfined : value == "builtin" ? .dockerDefault : .profile(value)
      case "apparmor", "label", "systempaths":
        if key == "systempaths" && value != "unconfined" {
          throw DaemonError.invalid("invalid --security-opt 2: \"\(opt)\"")
        }
        continue
      default:
        throw DaemonError.invalid("invalid --security-opt 2: \"\(opt)\"")
      }
    }
  }
}

extension SpecBuilder {
  /// moby's oci.DefaultLinuxSpec masked paths.
  static let maskedPaths = [
    "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
  ]
  static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

  static func seccomp(_ choice: SecurityOptions.SeccompChoice, capabilities: Set<String>) throws -> OCI.Seccomp? {
    switch choice {
    case .unconfined: return nil
    case .dockerDefault: return SeccompFilter.dockerDefault(capabilities: capabilities)
    case .profile(let value):
      var text = value
      if !value.hasPrefix("{") {
        // A path given straight to the API (the docker CLI sends the file's contents).
        guard value.hasPrefix("/"), let contents = try RootedPath.read(root: "/", value) else {
          throw DaemonError.invalid("opening seccomp profile (\(value)) failed: no such file")
        }
        text = contents
      }
      return try DockerSeccompProfile.decode(text).oci(capabilities: capabilities)
    }
  }
}

/// Docker's seccomp profile format (moby profiles/seccomp), reduced to OCI for one host.
struct DockerSeccompProfile: Decodable {
  struct ArchMap: Decodable {
    var architecture: String
    var subArchitectures: [String]?
  }
  struct Filter: Decodable {
    var caps: [String]?
    var arches: [String]?
  }
  struct Syscall: Decodable {
    var name: String?
    var names: [String]?
    var action: String
    var errnoRet: UInt32?
    var args: [SeccompArg]?
    var includes: Filter?
    var excludes: Filter?
  }
  var defaultAction: String
  var defaultErrnoRet: UInt32?
  var architectures: [String]?
  var archMap: [ArchMap]?
  var syscalls: [Syscall]?
  var flags: [String]?

  static func decode(_ text: String) throws -> DockerSeccompProfile {
    do {
      return try JSONDecoder().decode(DockerSeccompProfile.self, from: Data(text.utf8))
    } catch {
      throw DaemonError.invalid("Decoding seccomp profile failed: \(error)")
    }
  }

  static var nativeArchitecture: String {
    #if arch(x86_64)
      "SCMP_ARCH_X86_64"
    #elseif arch(arm64)
      "SCMP_ARCH_AARCH64"
    #else
      ""
    #endif
  }

  func oci(capabilities: Set<String>) throws -> OCI.Seccomp {
    if architectures != nil && archMap != nil {
      throw DaemonError.invalid("use either 'architectures' or 'archMap' in the seccomp profile, not both")
    }
    let native = Self.nativeArchitecture
    var arches = architectures ?? []
    if let map = archMap?.first(where: { $0.architecture == native }) {
      arches = [map.architecture] + (map.subArchitectures ?? [])
    }
    let nativeNames = Set(arches)
    var out: [SeccompSyscall] = []
    for sc in syscalls ?? [] {
      if let inc = sc.includes {
        if let caps = inc.caps, !caps.allSatisfy(capabilities.contains) { continue }
        if let a = inc.arches, !a.isEmpty,
          !a.contains(where: { Self.archMatches($0, native: native, all: nativeNames) })
        {
          continue
        }
      }
      if let exc = sc.excludes {
        if let caps = exc.caps, caps.contains(where: capabilities.contains) { continue }
        if let a = exc.arches, a.contains(where: { Self.archMatches($0, native: native, all: nativeNames) }) {
          continue
        }
      }
      let names = (sc.names ?? []) + (sc.name.map { [$0] } ?? [])
      guard !names.isEmpty else { continue }
      out.append(SeccompSyscall(names: names, action: sc.action, errnoRet: sc.errnoRet, args: sc.args))
    }
    var s = OCI.Seccomp(
      defaultAction: defaultAction, defaultErrnoRet: defaultErrnoRet,
      architectures: arches.isEmpty ? nil : arches, syscalls: out)
    s.flags = flags
    return s
  }

  /// Profile arch names are Go's ("amd64") or libseccomp's ("SCMP_ARCH_X86_64").
  static func archMatches(_ name: String, native: String, all: Set<String>) -> Bool {
    let go: [String: String] = [
      "amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64", "386": "SCMP_ARCH_X86",
      "x32": "SCMP_ARCH_X32",
    ]
    let n = go[name] ?? name
    return n == native
  }
}
