/* abi_aarch64_flags.c — open(2) flags on an aarch64 host, and the calls
 * that carry them. arm64 moves four bits of the generic layout; x86-64 uses
 * the generic values. Every other O_ bit, and all AT_, F_, FD_, SOCK_,
 * EFD_, TFD_, IN_, MFD_ flags, coincide (abi_aarch64_consts.c checks). */
#if defined(__aarch64__)
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <asm/unistd.h>

#include "translator/runtime/abi_aarch64.h"

// clang-format off
static const struct { int x86, host; } moved[] = {
	{ 0040000, A64_O_DIRECT },	/* x86-64 O_DIRECT */
	{ 0100000, A64_O_LARGEFILE },	/* x86-64 O_LARGEFILE */
	{ 0200000, A64_O_DIRECTORY },	/* x86-64 O_DIRECTORY */
	{ 0400000, A64_O_NOFOLLOW },	/* x86-64 O_NOFOLLOW */
};
// clang-format on
#define MOVED_BITS 0740000 /* the same four bits on both sides, permuted */

int abi_open_flags_to_host(int x86_flags)
{
	int out = x86_flags & ~MOVED_BITS;
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++)
		if (x86_flags & moved[i].x86)
			out |= moved[i].host;
	return out;
}

int abi_open_flags_from_host(int host_flags)
{
	int out = host_flags & ~MOVED_BITS;
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++)
		if (host_flags & moved[i].host)
			out |= moved[i].x86;
	return out;
}

long a64_openat(const uint64_t a[6])
{
	return abi_host_call6(__NR_openat, a[0], a[1], abi_open_flags_to_host(a[2]), a[3], 0, 0);
}

/* struct open_how grows; the kernel takes any size from 24 bytes to a page
 * and wants the bytes it does not know to be zero. Only flags (the first
 * u64) needs converting; sizes it would refuse go through unchanged so it
 * refuses them itself. */
long a64_openat2(const uint64_t a[6])
{
	uint64_t how[512];
	uint64_t size = a[3];
	if (size < 24 || size > sizeof(how))
		return abi_host_call(__NR_openat2, a);
	if (abi_read(how, a[2], size))
		return -EFAULT;
	how[0] = (uint32_t)abi_open_flags_to_host((int)how[0]) | (how[0] & ~0xffffffffull);
	return abi_host_call6(__NR_openat2, a[0], a[1], (uint64_t)how, size, 0, 0);
}

long a64_open_by_handle_at(const uint64_t a[6])
{
	return abi_host_call6(__NR_open_by_handle_at, a[0], a[1], abi_open_flags_to_host(a[2]), 0,
			      0, 0);
}

long a64_fcntl(const uint64_t a[6])
{
	switch ((int)a[1]) {
	case F_GETFL: {
		long r = abi_host_call(__NR_fcntl, a);
		return r < 0 ? r : abi_open_flags_from_host(r);
	}
	case F_SETFL:
		return abi_host_call6(__NR_fcntl, a[0], a[1], abi_open_flags_to_host(a[2]), 0, 0,
				      0);
	default: return abi_host_call(__NR_fcntl, a);
	}
}

/* pipe2 takes O_DIRECT (packet mode) besides O_CLOEXEC and O_NONBLOCK. */
long a64_pipe2(const uint64_t a[6])
{
	return abi_host_call6(__NR_pipe2, a[0], abi_open_flags_to_host(a[1]), 0, 0, 0, 0);
}

/* event_f_flags are the open flags of the event file descriptors. */
long a64_fanotify_init(const uint64_t a[6])
{
	return abi_host_call6(__NR_fanotify_init, a[0], abi_open_flags_to_host(a[1]), 0, 0, 0, 0);
}
#endif
