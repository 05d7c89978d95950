/* abi_x86_64.c — the guest ABI on an x86-64 host: the host's own. Every
 * call passes through unchanged except the ones the runtime owns. */
#if defined(__x86_64__)
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "translator/runtime/abi_impl.h"

/* glibc's x86-64 struct stat is the kernel's. */
_Static_assert(sizeof(struct stat) == sizeof(struct abi_x86_stat), "x86-64 struct stat");

long abi_syscall(long x86_nr, const uint64_t a[6])
{
	x86_nr = abi_x86_nr(x86_nr);
	if (x86_nr < 0 || x86_nr >= ABI_X32_BIT || abi_runtime_owned(x86_nr))
		return -ENOSYS;
	return abi_host_call(x86_nr, a);
}

enum abi_kind abi_syscall_kind(long x86_nr)
{
	if (!abi_syscall_name(x86_nr))
		return ABI_UNKNOWN;
	return abi_runtime_owned(x86_nr) ? ABI_RUNTIME : ABI_DIRECT;
}

int abi_open_flags_to_host(int x86_flags)
{
	return x86_flags;
}

int abi_open_flags_from_host(int host_flags)
{
	return host_flags;
}

void abi_stat_to_x86(struct abi_x86_stat *dst, const struct stat *src)
{
	memcpy(dst, src, sizeof(*dst));
}

long abi_clone_args_to_host(const uint64_t x86[6], uint64_t host[6])
{
	memcpy(host, x86, 6 * sizeof(host[0]));
	return SYS_clone;
}
#endif
