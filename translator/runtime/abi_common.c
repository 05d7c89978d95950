/* abi_common.c — the host-independent part of the syscall ABI layer: names,
 * kinds, the calls the runtime owns, and the raw host call. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "translator/runtime/abi_impl.h"

static const char *const names[ABI_NR_COUNT] = {
#define X(name, nr) [nr] = #name,
#include "translator/runtime/sysnums.def"
#undef X
};

const char *abi_syscall_name(long x86_nr)
{
	if (x86_nr < 0 || x86_nr >= ABI_NR_COUNT)
		return NULL;
	return names[x86_nr];
}

const char *abi_kind_name(enum abi_kind kind)
{
	static const char *const kinds[] = {
		[ABI_UNKNOWN] = "unknown",	   [ABI_ENOSYS] = "enosys",
		[ABI_DIRECT] = "direct",	   [ABI_CONVERTED] = "converted",
		[ABI_EMULATED] = "emulated",	   [ABI_RUNTIME] = "runtime",
	};
	return (unsigned)kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[kind] : "?";
}

bool abi_runtime_owned(long x86_nr)
{
	switch (x86_nr) {
#define R(name) case ABI_NR_##name:
		ABI_RUNTIME_CALLS(R)
#undef R
		return true;
	default:
		return false;
	}
}

/* libc's syscall() reports -4095..-1 as -1 with errno set, and no kernel
 * result in that range is anything but an error, so this is exact. */
long abi_host_call6(long host_nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	long r = syscall(host_nr, a0, a1, a2, a3, a4, a5);
	return r == -1 ? -errno : r;
}

long abi_host_call(long host_nr, const uint64_t a[6])
{
	return abi_host_call6(host_nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Clone flags and the exit signal are the same numbers on both hosts. */
void abi_fork_as_clone(long x86_nr, uint64_t x86[6])
{
	x86[0] = SIGCHLD;
	if (x86_nr == ABI_NR_vfork)
		x86[0] |= CLONE_VM | CLONE_VFORK;
	for (int i = 1; i < 6; i++)
		x86[i] = 0;
}
