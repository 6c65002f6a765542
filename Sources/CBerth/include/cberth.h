// CBerth: the few things Swift cannot do safely or at all on Linux: raw syscalls
// missing from Glibc, variadic calls (prctl, ioctl), SCM_RIGHTS fd passing, and a
// fork+exec spawn whose child runs only async-signal-safe code.
#ifndef CBERTH_H
#define CBERTH_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a spawned child gets. The child's fd i becomes `fds[i]` of the parent
/// (-1 leaves it closed); every other fd is closed on exec.
struct berth_spawn_attr {
  const char *path;       // executed with execve when exec_fd < 0
  int exec_fd;            // when >= 0: execveat(exec_fd, "", AT_EMPTY_PATH) (a sealed memfd)
  char *const *argv;
  char *const *envp;
  const int *fds;
  int nfds;
  int new_session;        // setsid() in the child
  int controlling_tty;    // child fd to make the controlling terminal, or -1
  const char *cwd;        // chdir in the child, or NULL
  int parent_death_signal;// PR_SET_PDEATHSIG in the child, or 0
};

/// Fork and exec from C. Returns 0 and the child's pid, or an errno describing
/// why the child could not exec (the child is reaped in that case).
int berth_spawn(const struct berth_spawn_attr *attr, pid_t *pid_out);

/// fork() for single-threaded callers (the runtime's init). Returns like fork.
pid_t berth_fork(void);

/// fork() that starts the child in the cgroup2 directory `cgroup_fd` (clone3 with
/// CLONE_INTO_CGROUP), plus `extra_flags` (e.g. CLONE_NEWPID), for single-threaded
/// callers. Returns like fork; -1 with errno (e.g. ENOSYS on kernels before 5.7, EACCES
/// in a user namespace) when the kernel refuses, and then no child exists.
pid_t berth_fork_into_cgroup(int cgroup_fd, unsigned long long extra_flags);

int berth_pivot_root(const char *new_root, const char *put_old);
int berth_memfd_create(const char *name, unsigned int flags);

/// glibc's malloc_trim(0): returns free heap memory to the kernel.
int berth_malloc_trim(void);
/// mallopt(M_ARENA_MAX, arenas): at most that many malloc arenas (glibc makes up to 8 per
/// core, one per thread that allocates at once, and keeps what each held).
int berth_malloc_arena_max(int arenas);
/// seccomp(SECCOMP_SET_MODE_FILTER, flags, {count, filter}): installs a classic BPF
/// program (`count` struct sock_filter of 8 bytes each) on the calling thread.
int berth_seccomp_set_filter(unsigned int flags, const void *filter, unsigned short count);
int berth_close_range(unsigned int first, unsigned int last, unsigned int flags);
int berth_pidfd_open(pid_t pid);
int berth_pidfd_send_signal(int pidfd, int sig);
int berth_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags);

int berth_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
int berth_ioctl_int(int fd, unsigned long request, int value);
int berth_ioctl_ptr(int fd, unsigned long request, void *value);

/// Capability sets as 64-bit masks (capability version 3).
int berth_capget(pid_t pid, uint64_t *effective, uint64_t *permitted, uint64_t *inheritable);
int berth_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);

/// Send one fd with a short payload over a unix socket (SCM_RIGHTS).
int berth_send_fd(int sock, int fd, const void *payload, size_t len);
/// Receive one fd; returns it, or -1 with errno. `payload` receives up to `cap` bytes.
int berth_recv_fd(int sock, void *payload, size_t cap, size_t *len_out);

dev_t berth_makedev(unsigned int major, unsigned int minor);
unsigned int berth_major(dev_t dev);
unsigned int berth_minor(dev_t dev);

/// Window size of a terminal.
int berth_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
int berth_set_winsize(int fd, unsigned short rows, unsigned short cols);

/// The ptmx slave number (TIOCGPTN) and unlock (TIOCSPTLCK 0).
int berth_pty_unlock_and_number(int master, unsigned int *number);

// GNU extensions that Swift's Glibc module does not import.
int berth_unshare(int flags);
int berth_setns(int fd, int nstype);
int berth_pipe2(int fds[2], int flags);
int berth_dup3(int oldfd, int newfd, int flags);
int berth_setresuid(uid_t r, uid_t e, uid_t s);
int berth_setresgid(gid_t r, gid_t e, gid_t s);
int berth_setgroups(size_t n, const gid_t *groups);
int berth_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard);
ssize_t berth_sendfile(int out_fd, int in_fd, size_t count);
int berth_sethostname(const char *name, size_t len);
int berth_setdomainname(const char *name, size_t len);

/// Blocks every signal and returns a signalfd that reports them (for single-threaded
/// event loops). Returns -1 with errno on failure.
int berth_signalfd_all(void);
/// Reads one signal from a signalfd; returns the signal number or -1.
int berth_signalfd_read(int fd);

/// Makes `signal` write its number as one byte to `pipe_fd` from a process-wide handler,
/// whichever thread it is delivered to (multithreaded programs whose threads are not
/// all started by the caller cannot rely on a blocked mask and sigwait).
int berth_signal_to_pipe(int signal, int pipe_fd);

/// Opens `name` in `dir` through a private, detached, read-only overlayfs mount
/// (lower layers `dir` and the empty `empty_dir`). Exec'ing that fd gives a process
/// whose /proc/PID/exe cannot be opened for writing, without copying the binary.
/// Returns the fd, or -1 with errno (the caller falls back to a sealed memfd).
int berth_open_through_readonly_overlay(const char *dir, const char *name, const char *empty_dir);

/// Block or unblock all signals in the caller; returns 0 or -1.
int berth_block_all_signals(int block);

#ifdef __cplusplus
}
#endif
#endif
