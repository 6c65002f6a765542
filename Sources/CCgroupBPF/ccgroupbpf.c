#include "ccgroupbpf.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(berth_bpf_insn) == sizeof(struct bpf_insn), "bpf_insn layout");

static int bpf_call(int cmd, union bpf_attr *attr) {
  long ret;
  do {
    ret = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
  } while (ret < 0 && errno == EINTR);
  return ret < 0 ? -errno : (int)ret;
}

int berth_bpf_load_device_program(const berth_bpf_insn *insns, uint32_t count, char *log, uint32_t log_size) {
  static const char license[] = "Apache";
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t)(uintptr_t)insns;
  attr.insn_cnt = count;
  attr.license = (uint64_t)(uintptr_t)license;
  int fd = bpf_call(BPF_PROG_LOAD, &attr);
  if (fd == -EACCES || fd == -EINVAL) {
    if (log != NULL && log_size > 0) {
      // Load again with the verifier log, to say why it was refused.
      log[0] = 0;
      attr.log_buf = (uint64_t)(uintptr_t)log;
      attr.log_size = log_size;
      attr.log_level = 1;
      int again = bpf_call(BPF_PROG_LOAD, &attr);
      if (again >= 0) return again;
    }
  }
  return fd;
}

int berth_bpf_attach_device_program(int cgroup_fd, int prog_fd) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)cgroup_fd;
  attr.attach_bpf_fd = (uint32_t)prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  return bpf_call(BPF_PROG_ATTACH, &attr);
}

int berth_bpf_query_device_programs(int cgroup_fd, uint32_t *ids, uint32_t *count) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = (uint32_t)cgroup_fd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
  attr.query.prog_cnt = *count;
  int ret = bpf_call(BPF_PROG_QUERY, &attr);
  if (ret < 0) return ret;
  *count = attr.query.prog_cnt;
  return 0;
}

int berth_bpf_detach_device_program(int cgroup_fd, uint32_t prog_id) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_id = prog_id;
  int prog_fd = bpf_call(BPF_PROG_GET_FD_BY_ID, &attr);
  if (prog_fd < 0) return prog_fd;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)cgroup_fd;
  attr.attach_bpf_fd = (uint32_t)prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  int ret = bpf_call(BPF_PROG_DETACH, &attr);
  close(prog_fd);
  return ret;
}
