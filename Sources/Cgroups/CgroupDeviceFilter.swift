import CCgroupBPF
import Glibc
import OCI

/// Installs a device filter program on a cgroup v2 directory, replacing the ones Berth put
/// there before. The new program is attached before the old ones are detached, so the
/// cgroup is never left without a filter.
public enum CgroupDeviceFilter {
  public static func apply(_ rules: [DeviceCgroupRule], toCgroup dir: String) throws {
    let program = DeviceFilterProgram.instructions(for: rules).map {
      berth_bpf_insn(code: $0.code, regs: ($0.src << 4) | ($0.dst & 0x0F), off: $0.off, imm: $0.imm)
    }
    let cgroupFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard cgroupFD >= 0 else {
      throw CgroupError.system(operation: "open", path: dir, errno: errno)
    }
    defer { close(cgroupFD) }

    var capacity: UInt32 = 64
    var oldIDs = [UInt32](repeating: 0, count: Int(capacity))
    let queried = berth_bpf_query_device_programs(cgroupFD, &oldIDs, &capacity)
    if queried < 0 {
      throw CgroupError.system(
        operation: "bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE)", path: dir, errno: -queried)
    }
    oldIDs = Array(oldIDs.prefix(Int(capacity)))

    var log = [CChar](repeating: 0, count: 16 * 1024)
    let progFD = program.withUnsafeBufferPointer { insns in
      berth_bpf_load_device_program(insns.baseAddress, UInt32(insns.count), &log, UInt32(log.count))
    }
    if progFD < 0 {
      let verifier = String(
        decoding: log.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw CgroupError.system(
        operation: "bpf(BPF_PROG_LOAD) of the device filter"
          + (verifier.isEmpty ? "" : " (verifier: \(verifier.suffix(500)))"), path: dir,
        errno: -progFD)
    }
    defer { close(progFD) }
    let attached = berth_bpf_attach_device_program(cgroupFD, progFD)
    if attached < 0 {
      throw CgroupError.system(
        operation: "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE)", path: dir, errno: -attached)
    }
    for id in oldIDs {
      let detached = berth_bpf_detach_device_program(cgroupFD, id)
      if detached < 0 && detached != -ENOENT {
        throw CgroupError.system(
          operation: "bpf(BPF_PROG_DETACH) of program \(id)", path: dir, errno: -detached)
      }
    }
  }

  /// Ids of the device programs attached directly to the cgroup (for tests and `features`).
  public static func attachedPrograms(_ dir: String) throws -> [UInt32] {
    let cgroupFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard cgroupFD >= 0 else {
      throw CgroupError.system(operation: "open", path: dir, errno: errno)
    }
    defer { close(cgroupFD) }
    var capacity: UInt32 = 64
    var ids = [UInt32](repeating: 0, count: Int(capacity))
    let queried = berth_bpf_query_device_programs(cgroupFD, &ids, &capacity)
    if queried < 0 {
      throw CgroupError.system(
        operation: "bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE)", path: dir, errno: -queried)
    }
    return Array(ids.prefix(Int(capacity)))
  }
}
