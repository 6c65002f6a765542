#ifndef CSECCOMPSHIM_H
#define CSECCOMPSHIM_H

// Syscalls the seccomp-probe test helper makes that Swift's Glibc module does not
// expose (they need _GNU_SOURCE or raw syscall numbers). Each returns the raw result
// (-1 with errno set on failure).

int berth_seccomp_set_no_new_privs(void);
long berth_seccomp_raw_getpid(void);
int berth_seccomp_unshare_uts(void);
long berth_seccomp_personality(unsigned long persona);

#endif
