#define _GNU_SOURCE
#include "CSeccompShim.h"

#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int berth_seccomp_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }

// Raw syscall: glibc may answer getpid() without entering the kernel.
long berth_seccomp_raw_getpid(void) { return syscall(SYS_getpid); }

int berth_seccomp_unshare_uts(void) { return unshare(CLONE_NEWUTS); }

long berth_seccomp_personality(unsigned long persona) { return syscall(SYS_personality, persona); }
