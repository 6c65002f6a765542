// seccomp-probe: loads an OCI seccomp section into this (single-threaded) process, then
// makes the syscalls named on the command line and prints `name=errno` for each (0 on
// success). Used by SeccompTests, which must not load a filter into its own
// multithreaded process.
//
//   [SECCOMP_PROBE_PRECOMPILED=1] seccomp-probe <seccomp.json | docker-default> <op>...
//   ops: getpid  mkdir:<path>  unshare-uts  personality:<value>  socket:<family>
import CSeccompShim
import FoundationEssentials
import Glibc
import OCI
import Seccomp

func writeAll(_ fd: Int32, _ text: String) {
  var bytes = Array(text.utf8)
  _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
  writeAll(2, "seccomp-probe: \(message)\n")
  exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  fail("usage: seccomp-probe <seccomp.json | docker-default> <op>...")
}

let spec: OCI.Seccomp
if arguments[1] == "docker-default" {
  spec = SeccompFilter.dockerDefault
} else {
  do {
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    spec = try JSONDecoder().decode(OCI.Seccomp.self, from: data)
  } catch {
    fail("cannot read seccomp JSON \(arguments[1]): \(error)")
  }
}

let filter: CompiledSeccompFilter
do {
  filter = try SeccompFilter.build(spec)
} catch {
  fail("build: \(error)")
}
// Loading without no_new_privs needs CAP_SYS_ADMIN; set it so the probe works unprivileged.
guard berth_seccomp_set_no_new_privs() == 0 else {
  fail("prctl(PR_SET_NO_NEW_PRIVS) errno \(errno)")
}
// SECCOMP_PROBE_PRECOMPILED=1 loads the exported BPF program the way berth-runtime's init
// does (`SeccompProgram.load`) instead of through libseccomp's seccomp_load.
do {
  if getenv("SECCOMP_PROBE_PRECOMPILED") != nil {
    try filter.program().load()
  } else {
    try filter.load()
  }
} catch {
  fail("load: \(error)")
}

var output = ""
for op in arguments.dropFirst(2) {
  let parts = op.split(separator: ":", maxSplits: 1).map(String.init)
  let value = parts.count > 1 ? parts[1] : ""
  errno = 0
  let rc: Int
  switch parts[0] {
  case "getpid":
    rc = berth_seccomp_raw_getpid()
  case "mkdir":
    rc = Int(mkdir(value, 0o755))
  case "unshare-uts":
    rc = Int(berth_seccomp_unshare_uts())
  case "personality":
    rc = berth_seccomp_personality(UInt(value) ?? 0)
  case "socket":
    let fd = socket(Int32(value) ?? AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    if fd >= 0 { close(fd) }
    rc = Int(fd)
  default:
    fail("unknown op \(op)")
  }
  output += "\(parts[0])=\(rc < 0 ? errno : 0)\n"
}
writeAll(1, output)
exit(0)
