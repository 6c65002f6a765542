#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

// O_PATH needs _GNU_SOURCE, which Swift's Glibc module does not define.
#define BERTH_O_PATH 010000000

// openat2(2) has no glibc wrapper on Debian 12; Swift cannot call variadic syscall().
static inline int berth_archive_openat2(int dirfd, const char *path, int flags, unsigned long long resolve) {
  struct open_how how = {0};
  how.flags = (unsigned long long)flags;
  how.resolve = resolve;
  return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static inline dev_t berth_archive_makedev(unsigned int major, unsigned int minor) { return makedev(major, minor); }
static inline unsigned int berth_archive_major(dev_t d) { return major(d); }
static inline unsigned int berth_archive_minor(dev_t d) { return minor(d); }

// zlib's deflateInit2 is a macro.
static inline int berth_archive_deflate_init_gzip(z_stream *s, int level) {
  return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
