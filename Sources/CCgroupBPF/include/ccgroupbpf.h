// The bpf(2) calls Berth needs for cgroup v2 device filters (BPF_PROG_TYPE_CGROUP_DEVICE).
// glibc has no bpf() wrapper and Swift cannot call the variadic syscall(2), hence C.
// Every function returns >= 0 on success and -errno on failure.
#ifndef CCGROUPBPF_H
#define CCGROUPBPF_H

#include <stdint.h>

/// One eBPF instruction, laid out as struct bpf_insn (regs: dst in the low nibble, src high).
typedef struct berth_bpf_insn {
  uint8_t code;
  uint8_t regs;
  int16_t off;
  int32_t imm;
} berth_bpf_insn;

/// Loads a BPF_PROG_TYPE_CGROUP_DEVICE program; returns its fd. The verifier's log is
/// written to `log` (may be NULL) when loading fails.
int berth_bpf_load_device_program(const berth_bpf_insn *insns, uint32_t count, char *log, uint32_t log_size);

/// Attaches `prog_fd` to the cgroup directory `cgroup_fd` as BPF_CGROUP_DEVICE with BPF_F_ALLOW_MULTI.
int berth_bpf_attach_device_program(int cgroup_fd, int prog_fd);

/// Lists the ids of the device programs attached directly to the cgroup; `*count` is the
/// capacity in, the number found out.
int berth_bpf_query_device_programs(int cgroup_fd, uint32_t *ids, uint32_t *count);

/// Detaches the device program with id `prog_id` from the cgroup.
int berth_bpf_detach_device_program(int cgroup_fd, uint32_t prog_id);

#endif
