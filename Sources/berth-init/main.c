// berth-init: the container's PID 1 with `docker run --init` (Docker's docker-init).
// berthd bind-mounts it at /sbin/docker-init and runs `/sbin/docker-init -- CMD...`.
// It runs CMD as its only child, forwards the signals it gets to it, reaps every
// process re-parented to it, and exits with CMD's status (128+N if killed by signal N).
// Statically linked: images such as busybox have no libc to load.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BERTH_INIT_VERSION "0.1.0"

// Raised by a fault in this process itself: never waited for nor forwarded.
static const int synchronous_signals[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS};

static void on_signal(int sig) { (void)sig; }

// The signals this process waits for: everything but the synchronous ones and the
// terminal stop signals (ignored, so handing the terminal to the child cannot stop us).
static void waited_signals(sigset_t *set) {
  sigfillset(set);
  for (size_t i = 0; i < sizeof synchronous_signals / sizeof synchronous_signals[0]; i++) {
    sigdelset(set, synchronous_signals[i]);
  }
  sigdelset(set, SIGTTIN);
  sigdelset(set, SIGTTOU);
}

// PID 1 of a PID namespace never gets a signal sent from inside the namespace while its
// disposition is SIG_DFL (`kill 1` in the container would be dropped), so give every
// waited signal a handler; exec resets them to SIG_DFL for the child.
static void catch_signals(const sigset_t *set) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP || sigismember(set, sig) != 1) continue;
    sigaction(sig, &sa, NULL);  // glibc's internal signals fail with EINVAL: fine
  }
}

// In the forked child: a process group of its own in the terminal's foreground (so ^C
// and ^Z reach it, not us), the original signal state, then the command.
static void exec_command(char **argv, const sigset_t *original_mask) {
  if (setpgid(0, 0) != 0) fprintf(stderr, "berth-init: setpgid: %s\n", strerror(errno));
  // Not a terminal (ENOTTY), or no controlling terminal (ENXIO / EBADF): nothing to hand over.
  if (isatty(STDIN_FILENO) && tcsetpgrp(STDIN_FILENO, getpid()) != 0 && errno != ENOTTY && errno != ENXIO) {
    fprintf(stderr, "berth-init: tcsetpgrp: %s\n", strerror(errno));
  }
  signal(SIGTTIN, SIG_DFL);
  signal(SIGTTOU, SIG_DFL);
  sigprocmask(SIG_SETMASK, original_mask, NULL);
  execvp(argv[0], argv);
  int err = errno;
  if (err == ENOENT && strchr(argv[0], '/') == NULL) {
    fprintf(stderr, "berth-init: exec \"%s\": executable file not found in $PATH\n", argv[0]);
  } else {
    fprintf(stderr, "berth-init: exec \"%s\": %s\n", argv[0], strerror(err));
  }
  // Docker's codes: 127 the command does not exist, 126 it cannot be run.
  _exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

// Reaps every exited child; returns the command's exit code once it has exited, else -1.
static int reap(pid_t command) {
  int code = -1;
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return code;  // 0: the rest still run; -1 (ECHILD): no children left
    if (pid != command) continue;
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) code = 128 + WTERMSIG(status);
  }
}

int main(int argc, char **argv) {
  int first = 1;
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("berth-init version %s\n", BERTH_INIT_VERSION);
    return 0;
  }
  if (first < argc && strcmp(argv[first], "--") == 0) first++;
  if (first >= argc) {
    fprintf(stderr, "usage: berth-init [--] COMMAND [ARG...]\n");
    return 1;
  }

  // Blocked before the fork, so a signal that comes before the child runs is forwarded.
  sigset_t waited, original_mask;
  waited_signals(&waited);
  sigprocmask(SIG_SETMASK, &waited, &original_mask);
  catch_signals(&waited);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  // Not PID 1 (e.g. a shared PID namespace): still adopt the command's orphans.
  if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    fprintf(stderr, "berth-init: cannot become a child subreaper: %s\n", strerror(errno));
  }

  pid_t command = fork();
  if (command < 0) {
    fprintf(stderr, "berth-init: fork: %s\n", strerror(errno));
    return 1;
  }
  if (command == 0) exec_command(argv + first, &original_mask);

  for (;;) {
    // The timeout only bounds how long a missed SIGCHLD could leave a zombie.
    struct timespec timeout = {.tv_sec = 1, .tv_nsec = 0};
    siginfo_t info;
    int sig = sigtimedwait(&waited, &info, &timeout);
    if (sig > 0 && sig != SIGCHLD && kill(command, sig) != 0 && errno != ESRCH) {
      fprintf(stderr, "berth-init: forwarding signal %d: %s\n", sig, strerror(errno));
    }
    int code = reap(command);
    if (code >= 0) return code;
  }
}
