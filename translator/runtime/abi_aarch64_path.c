/* abi_aarch64_path.c — the path calls aarch64 has only in their *at form.
 * Each is the *at call relative to the current directory; Linux implements
 * the old calls exactly so (do_unlinkat, do_mkdirat, ... with AT_FDCWD). */
#if defined(__aarch64__)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <asm/unistd.h>

#include "translator/runtime/abi_aarch64.h"

#define CWD ((uint64_t)(int64_t)AT_FDCWD)

long a64_open(const uint64_t a[6])
{
	return abi_host_call6(__NR_openat, CWD, a[0], abi_open_flags_to_host(a[1]), a[2], 0, 0);
}

long a64_creat(const uint64_t a[6])
{
	return abi_host_call6(__NR_openat, CWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, a[1], 0, 0);
}

long a64_access(const uint64_t a[6])
{
	return abi_host_call6(__NR_faccessat, CWD, a[0], a[1], 0, 0, 0);
}

long a64_readlink(const uint64_t a[6])
{
	return abi_host_call6(__NR_readlinkat, CWD, a[0], a[1], a[2], 0, 0);
}

long a64_symlink(const uint64_t a[6])
{
	return abi_host_call6(__NR_symlinkat, a[0], CWD, a[1], 0, 0, 0);
}

long a64_link(const uint64_t a[6])
{
	return abi_host_call6(__NR_linkat, CWD, a[0], CWD, a[1], 0, 0);
}

long a64_unlink(const uint64_t a[6])
{
	return abi_host_call6(__NR_unlinkat, CWD, a[0], 0, 0, 0, 0);
}

long a64_rmdir(const uint64_t a[6])
{
	return abi_host_call6(__NR_unlinkat, CWD, a[0], AT_REMOVEDIR, 0, 0, 0);
}

long a64_rename(const uint64_t a[6])
{
	return abi_host_call6(__NR_renameat, CWD, a[0], CWD, a[1], 0, 0);
}

long a64_mkdir(const uint64_t a[6])
{
	return abi_host_call6(__NR_mkdirat, CWD, a[0], a[1], 0, 0, 0);
}

long a64_mknod(const uint64_t a[6])
{
	return abi_host_call6(__NR_mknodat, CWD, a[0], a[1], a[2], 0, 0);
}

long a64_chmod(const uint64_t a[6])
{
	return abi_host_call6(__NR_fchmodat, CWD, a[0], a[1], 0, 0, 0);
}

long a64_chown(const uint64_t a[6])
{
	return abi_host_call6(__NR_fchownat, CWD, a[0], a[1], a[2], 0, 0);
}

long a64_lchown(const uint64_t a[6])
{
	return abi_host_call6(__NR_fchownat, CWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW, 0);
}

/* utime's struct utimbuf is two time_t; no nanoseconds. */
long a64_utime(const uint64_t a[6])
{
	if (!a[1])
		return abi_host_call6(__NR_utimensat, CWD, a[0], 0, 0, 0, 0);
	int64_t t[2];
	if (abi_read(t, a[1], sizeof(t)))
		return -EFAULT;
	struct timespec ts[2] = {{t[0], 0}, {t[1], 0}};
	return abi_host_call6(__NR_utimensat, CWD, a[0], (uint64_t)ts, 0, 0, 0);
}

/* futimesat and utimes take two timevals, refused unless each tv_usec is
 * in [0, 1000000) (which also keeps UTIME_NOW/UTIME_OMIT out); a null path
 * means the directory descriptor itself, as utimensat allows. */
long a64_futimesat(const uint64_t a[6])
{
	if (!a[2])
		return abi_host_call6(__NR_utimensat, a[0], a[1], 0, 0, 0, 0);
	struct timeval tv[2];
	if (abi_read(tv, a[2], sizeof(tv)))
		return -EFAULT;
	struct timespec ts[2];
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i] = (struct timespec){tv[i].tv_sec, tv[i].tv_usec * 1000};
	}
	return abi_host_call6(__NR_utimensat, a[0], a[1], (uint64_t)ts, 0, 0, 0);
}

long a64_utimes(const uint64_t a[6])
{
	const uint64_t fa[6] = {CWD, a[0], a[1], 0, 0, 0};
	return a64_futimesat(fa);
}
#endif
