#define _GNU_SOURCE
#include "cberth.h"

#include <errno.h>
#include <stdlib.h>
#include <grp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <fcntl.h>
#include <malloc.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

// Everything the child runs between clone and exec is async-signal-safe: no malloc,
// no locks, no Swift. Failures are reported as an errno over a CLOEXEC pipe.
static void child_fail(int errfd, int err) {
  while (write(errfd, &err, sizeof err) < 0 && errno == EINTR) {
  }
  _exit(127);
}

struct spawn_child_args {
  const struct berth_spawn_attr *attr;
  int errpipe;
  int *moved;  // nfds ints, allocated by the parent (the child must not call malloc)
};

// The child of berth_spawn, on its own stack in the parent's memory (CLONE_VM): it only
// makes system calls and writes its own stack, and the parent waits (CLONE_VFORK) until
// it has exec'd or exited.
static int spawn_child(void *arg) {
  const struct spawn_child_args *c = arg;
  const struct berth_spawn_attr *a = c->attr;
  int n = a->nfds;
  int errfd = fcntl(c->errpipe, F_DUPFD_CLOEXEC, n > 3 ? n : 3);
  if (errfd < 0) child_fail(c->errpipe, errno);
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    signal(s, SIG_DFL);
  }
  if (a->new_session && setsid() < 0) child_fail(errfd, errno);
  if (a->parent_death_signal && prctl(PR_SET_PDEATHSIG, a->parent_death_signal) != 0)
    child_fail(errfd, errno);
  // Move sources above the target range first so no dup2 clobbers a later source.
  int *moved = c->moved;
  for (int i = 0; i < n; i++) {
    moved[i] = -1;
    if (a->fds[i] >= 0) {
      moved[i] = fcntl(a->fds[i], F_DUPFD_CLOEXEC, n);
      if (moved[i] < 0) child_fail(errfd, errno);
    }
  }
  for (int i = 0; i < n; i++) {
    if (moved[i] >= 0) {
      if (dup2(moved[i], i) < 0) child_fail(errfd, errno);
    } else {
      close(i);
    }
  }
  if (syscall(SYS_close_range, (unsigned)n, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = n; fd < 4096; fd++)
      if (fd != errfd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  if (a->controlling_tty >= 0 && ioctl(a->controlling_tty, TIOCSCTTY, 0) != 0)
    child_fail(errfd, errno);
  if (a->cwd && chdir(a->cwd) != 0) child_fail(errfd, errno);
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  if (a->exec_fd >= 0) {
    syscall(SYS_execveat, a->exec_fd, "", a->argv, a->envp, AT_EMPTY_PATH);
  } else {
    execve(a->path, a->argv, a->envp);
  }
  child_fail(errfd, errno);
  return 127;
}

// Spawns as glibc's posix_spawn does, with clone(CLONE_VM | CLONE_VFORK) rather than
// fork: a fork copies the page tables of the whole caller, and berthd is large (2.5 ms
// per shim spawn here, against a few tens of microseconds).
int berth_spawn(const struct berth_spawn_attr *a, pid_t *pid_out) {
  int errpipe[2];
  // One slot per fd (a shim holding a thousand published ports gets a thousand and five).
  int *moved = malloc(sizeof(int) * (size_t)(a->nfds > 0 ? a->nfds : 1));
  if (moved == NULL) return ENOMEM;
  if (pipe2(errpipe, O_CLOEXEC) != 0) {
    int e = errno;
    free(moved);
    return e;
  }
  const size_t stack_size = 256 * 1024;
  void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    int e = errno;
    close(errpipe[0]);
    close(errpipe[1]);
    free(moved);
    return e;
  }
  // Blocked in the child too until it has reset every handler: none of the caller's
  // handlers may run on the shared memory.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  struct spawn_child_args args = {.attr = a, .errpipe = errpipe[1], .moved = moved};
  pid_t pid = clone(spawn_child, (char *)stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, stack_size);
  free(moved);
  close(errpipe[1]);
  if (pid < 0) {
    close(errpipe[0]);
    return clone_errno;
  }
  int err = 0;
  ssize_t r;
  do {
    r = read(errpipe[0], &err, sizeof err);
  } while (r < 0 && errno == EINTR);
  close(errpipe[0]);
  if (r == sizeof err) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return err ? err : ECHILD;
  }
  *pid_out = pid;
  return 0;
}

pid_t berth_fork(void) { return fork(); }

// The kernel's struct clone_args up to cgroup (CLONE_ARGS_SIZE_VER2), spelled out so the
// build does not depend on the installed kernel headers having it.
struct berth_clone_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};

pid_t berth_fork_into_cgroup(int cgroup_fd, unsigned long long extra_flags) {
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
  const uint64_t clone_into_cgroup = 0x200000000ULL;
  struct berth_clone_args args;
  memset(&args, 0, sizeof(args));
  args.flags = clone_into_cgroup | extra_flags;
  args.exit_signal = SIGCHLD;
  args.cgroup = (uint64_t)cgroup_fd;
  // Without a new stack the child returns here on a copy of the parent's, as with fork.
  return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

int berth_pivot_root(const char *new_root, const char *put_old) {
  return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int berth_memfd_create(const char *name, unsigned int flags) {
  return (int)syscall(SYS_memfd_create, name, flags);
}

int berth_seccomp_set_filter(unsigned int flags, const void *filter, unsigned short count) {
  struct sock_fprog program = {.len = count, .filter = (struct sock_filter *)filter};
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
}

int berth_close_range(unsigned int first, unsigned int last, unsigned int flags) {
  return (int)syscall(SYS_close_range, first, last, flags);
}

int berth_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int berth_pidfd_send_signal(int pidfd, int sig) {
  return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int berth_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags) {
  return (int)syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

int berth_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
  return prctl(option, a2, a3, a4, a5);
}

int berth_ioctl_int(int fd, unsigned long request, int value) { return ioctl(fd, request, value); }
int berth_ioctl_ptr(int fd, unsigned long request, void *value) { return ioctl(fd, request, value); }

int berth_capget(pid_t pid, uint64_t *eff, uint64_t *perm, uint64_t *inh) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, pid};
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  if (syscall(SYS_capget, &h, d) != 0) return -1;
  *eff = (uint64_t)d[0].effective | ((uint64_t)d[1].effective << 32);
  *perm = (uint64_t)d[0].permitted | ((uint64_t)d[1].permitted << 32);
  *inh = (uint64_t)d[0].inheritable | ((uint64_t)d[1].inheritable << 32);
  return 0;
}

int berth_capset(uint64_t eff, uint64_t perm, uint64_t inh) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  d[0].effective = (uint32_t)eff;
  d[1].effective = (uint32_t)(eff >> 32);
  d[0].permitted = (uint32_t)perm;
  d[1].permitted = (uint32_t)(perm >> 32);
  d[0].inheritable = (uint32_t)inh;
  d[1].inheritable = (uint32_t)(inh >> 32);
  return (int)syscall(SYS_capset, &h, d);
}

int berth_send_fd(int sock, int fd, const void *payload, size_t len) {
  char byte = 0;
  struct iovec iov = {.iov_base = len ? (void *)payload : &byte, .iov_len = len ? len : 1};
  char control[CMSG_SPACE(sizeof(int))];
  memset(control, 0, sizeof control);
  struct msghdr msg = {0};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t r;
  do {
    r = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : 0;
}

int berth_recv_fd(int sock, void *payload, size_t cap, size_t *len_out) {
  char byte;
  struct iovec iov = {.iov_base = cap ? payload : &byte, .iov_len = cap ? cap : 1};
  char control[CMSG_SPACE(sizeof(int))];
  struct msghdr msg = {0};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t r;
  do {
    r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return -1;
  if (len_out) *len_out = (size_t)r;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof(int));
      return fd;
    }
  }
  errno = r == 0 ? ECONNRESET : EBADMSG;
  return -1;
}

dev_t berth_makedev(unsigned int ma, unsigned int mi) { return makedev(ma, mi); }
unsigned int berth_major(dev_t dev) { return major(dev); }
unsigned int berth_minor(dev_t dev) { return minor(dev); }

int berth_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
  *rows = ws.ws_row;
  *cols = ws.ws_col;
  return 0;
}

int berth_set_winsize(int fd, unsigned short rows, unsigned short cols) {
  struct winsize ws = {.ws_row = rows, .ws_col = cols};
  return ioctl(fd, TIOCSWINSZ, &ws);
}

int berth_pty_unlock_and_number(int master, unsigned int *number) {
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) != 0) return -1;
  return ioctl(master, TIOCGPTN, number);
}

int berth_block_all_signals(int block) {
  sigset_t s;
  if (block) sigfillset(&s); else sigemptyset(&s);
  return pthread_sigmask(SIG_SETMASK, &s, NULL) == 0 ? 0 : -1;
}

int berth_unshare(int flags) { return unshare(flags); }
int berth_setns(int fd, int nstype) { return setns(fd, nstype); }
int berth_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }
int berth_dup3(int oldfd, int newfd, int flags) { return dup3(oldfd, newfd, flags); }
int berth_setresuid(uid_t r, uid_t e, uid_t s) { return setresuid(r, e, s); }
int berth_setresgid(gid_t r, gid_t e, gid_t s) { return setresgid(r, e, s); }
int berth_setgroups(size_t n, const gid_t *groups) { return setgroups(n, groups); }
int berth_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard) {
  struct rlimit64 limit = {.rlim_cur = soft, .rlim_max = hard};
  return prlimit64(pid, (__rlimit_resource_t)resource, &limit, NULL);
}
ssize_t berth_sendfile(int out_fd, int in_fd, size_t count) { return sendfile(out_fd, in_fd, NULL, count); }
int berth_sethostname(const char *name, size_t len) { return sethostname(name, len); }
int berth_setdomainname(const char *name, size_t len) { return setdomainname(name, len); }

int berth_signalfd_all(void) {
  sigset_t all;
  sigfillset(&all);
  if (pthread_sigmask(SIG_BLOCK, &all, NULL) != 0) return -1;
  return signalfd(-1, &all, SFD_CLOEXEC);
}

int berth_signalfd_read(int fd) {
  struct signalfd_siginfo info;
  ssize_t r;
  do {
    r = read(fd, &info, sizeof info);
  } while (r < 0 && errno == EINTR);
  return r == sizeof info ? (int)info.ssi_signo : -1;
}

static volatile sig_atomic_t signal_pipe_fd = -1;

static void write_signal_to_pipe(int signal) {
  int saved = errno;
  unsigned char byte = (unsigned char)signal;
  ssize_t ignored = write(signal_pipe_fd, &byte, 1);
  (void)ignored;
  errno = saved;
}

int berth_signal_to_pipe(int signal, int pipe_fd) {
  signal_pipe_fd = pipe_fd;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = write_signal_to_pipe;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  return sigaction(signal, &action, NULL);
}

#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#define BERTH_FSOPEN_CLOEXEC 0x00000001
#define BERTH_FSCONFIG_SET_STRING 1
#define BERTH_FSCONFIG_CMD_CREATE 6
#define BERTH_FSMOUNT_CLOEXEC 0x00000001
#define BERTH_MOUNT_ATTR_RDONLY 0x00000001
#define BERTH_MOUNT_ATTR_NOSUID 0x00000002
#define BERTH_MOUNT_ATTR_NODEV 0x00000004

int berth_open_through_readonly_overlay(const char *dir, const char *name, const char *empty_dir) {
  // Overlay option strings use ':' and ',' as separators; such paths cannot be expressed.
  if (strpbrk(dir, ":,") || strpbrk(empty_dir, ":,")) {
    errno = EINVAL;
    return -1;
  }
  char lower[8192];
  int n = snprintf(lower, sizeof lower, "%s:%s", dir, empty_dir);
  if (n < 0 || (size_t)n >= sizeof lower) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fs = (int)syscall(SYS_fsopen, "overlay", BERTH_FSOPEN_CLOEXEC);
  if (fs < 0) return -1;
  int mnt = -1, fd = -1, saved;
  if (syscall(SYS_fsconfig, fs, BERTH_FSCONFIG_SET_STRING, "lowerdir", lower, 0) != 0) goto out;
  if (syscall(SYS_fsconfig, fs, BERTH_FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0) goto out;
  mnt = (int)syscall(SYS_fsmount, fs, BERTH_FSMOUNT_CLOEXEC,
                     BERTH_MOUNT_ATTR_RDONLY | BERTH_MOUNT_ATTR_NOSUID | BERTH_MOUNT_ATTR_NODEV);
  if (mnt < 0) goto out;
  fd = openat(mnt, name, O_RDONLY | O_CLOEXEC);
out:
  saved = errno;
  if (mnt >= 0) close(mnt);
  close(fs);
  errno = saved;
  return fd;
}

int berth_malloc_trim(void) { return malloc_trim(0); }
int berth_malloc_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
