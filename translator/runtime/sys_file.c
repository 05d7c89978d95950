/* sys_file.c — file calls that must see the guest's /proc: opening
 * /proc/self/{auxv,maps,cmdline} and /proc/cpuinfo gives rendered
 * contents, and /proc/self/exe names the guest's program (readlink,
 * open, stat). Everything else passes to the ABI layer unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

/* The virtual file a guest path names; PROC_NONE for anything else,
 * including paths we cannot read (the ABI layer then reports EFAULT). */
static enum proc_file classify(uint64_t gpath)
{
	char path[64];
	if (guest_strncpy(path, gpath, sizeof path) < 0)
		return PROC_NONE;
	return proc_classify(path);
}

/* Calls x86 syscall nr with argument i replaced by the guest's program
 * when it names /proc/self/exe. */
static long with_exe_path(long nr, const uint64_t a[6], int i)
{
	uint64_t b[6];
	memcpy(b, a, sizeof b);
	if (classify(a[i]) == PROC_EXE)
		b[i] = (uintptr_t)rt_proc.exe_path;
	return abi_syscall(nr, b);
}

static long open_common(long nr, const uint64_t a[6], int path_arg, int flags)
{
	enum proc_file f = classify(a[path_arg]);
	if (f == PROC_NONE || f == PROC_EXE)
		return with_exe_path(nr, a, path_arg);
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	return proc_open(f, flags & O_CLOEXEC);
}

long sys_open(struct cpu *cpu, const uint64_t a[6])
{
	return open_common(ABI_NR_open, a, 0, (int)a[1]);
}

long sys_openat(struct cpu *cpu, const uint64_t a[6])
{
	return open_common(ABI_NR_openat, a, 1, (int)a[2]);
}

long sys_openat2(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t flags;
	if (guest_read(&flags, a[2], 8))
		return -EFAULT;
	return open_common(ABI_NR_openat2, a, 1, (int)flags);
}

static long readlink_exe(uint64_t buf, uint64_t size)
{
	size_t n = strlen(rt_proc.exe_path);
	if ((int64_t)size <= 0)
		return -EINVAL;
	if (n > size)
		n = size;
	return guest_write(buf, rt_proc.exe_path, n) ? -EFAULT : (long)n;
}

long sys_readlink(struct cpu *cpu, const uint64_t a[6])
{
	if (classify(a[0]) == PROC_EXE)
		return readlink_exe(a[1], a[2]);
	return abi_syscall(ABI_NR_readlink, a);
}

long sys_readlinkat(struct cpu *cpu, const uint64_t a[6])
{
	if (classify(a[1]) == PROC_EXE)
		return readlink_exe(a[2], a[3]);
	return abi_syscall(ABI_NR_readlinkat, a);
}

long sys_stat(struct cpu *cpu, const uint64_t a[6])
{
	return with_exe_path(ABI_NR_stat, a, 0);
}

long sys_newfstatat(struct cpu *cpu, const uint64_t a[6])
{
	if (a[3] & AT_SYMLINK_NOFOLLOW)
		return abi_syscall(ABI_NR_newfstatat, a);
	return with_exe_path(ABI_NR_newfstatat, a, 1);
}

long sys_statx(struct cpu *cpu, const uint64_t a[6])
{
	if (a[2] & AT_SYMLINK_NOFOLLOW)
		return abi_syscall(ABI_NR_statx, a);
	return with_exe_path(ABI_NR_statx, a, 1);
}
