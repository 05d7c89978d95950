/* abi_common.c — the host-independent part of the syscall ABI layer: names,
 * kinds, the calls the runtime owns, and the raw host call. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "translator/runtime/abi_gate.h"
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
		[ABI_UNKNOWN] = "unknown",   [ABI_ENOSYS] = "enosys",
		[ABI_DIRECT] = "direct",     [ABI_CONVERTED] = "converted",
		[ABI_EMULATED] = "emulated", [ABI_RUNTIME] = "runtime",
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
	default: return false;
	}
}

static long plain_read(void *dst, uint64_t src, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

static long plain_write(uint64_t dst, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)dst, src, len);
	return 0;
}

static struct abi_guest_copy copy = {plain_read, plain_write};

void abi_set_guest_copy(const struct abi_guest_copy *c)
{
	copy = *c;
}

#define USER_MIN 4096ul

long abi_read(void *dst, uint64_t src, size_t len)
{
	if (src < USER_MIN || !abi_access_ok(src, len))
		return -EFAULT;
	return copy.read(dst, src, len);
}

long abi_write(uint64_t dst, const void *src, size_t len)
{
	if (dst < USER_MIN || !abi_access_ok(dst, len))
		return -EFAULT;
	return copy.write(dst, src, len);
}

/* Page by page, so that a string ending just before an unmapped page is
 * read without touching it. */
long abi_read_str(char *dst, uint64_t src, size_t size)
{
	size_t have = 0;
	while (have < size) {
		size_t chunk = 4096 - (src + have) % 4096;
		if (chunk > size - have)
			chunk = size - have;
		if (abi_read(dst + have, src + have, chunk))
			return -EFAULT;
		char *nul = memchr(dst + have, '\0', chunk);
		if (nul)
			return nul - dst;
		have += chunk;
	}
	return -ENAMETOOLONG;
}

static __thread volatile int *gate;

void abi_gate_arm(volatile int *flag)
{
	gate = flag;
}

void abi_gate_disarm(void)
{
	gate = NULL;
}

/* Only the first call is the guest's: a conversion's later calls (the
 * personality check after select's pselect6, ...) must not be refused
 * once the first one has had its effect.
 *
 * libc's syscall() reports -4095..-1 as -1 with errno set, and no kernel
 * result in that range is anything but an error, so this is exact. */
long abi_host_call6(long host_nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	volatile int *flag = gate;
	if (flag) {
		gate = NULL;
		return abi_gated_call(flag, host_nr, a0, a1, a2, a3, a4, a5);
	}
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
