/* abi_impl.h — what the abi_*.c files share; not for the rest of the runtime. */
#ifndef XLATE_ABI_IMPL_H
#define XLATE_ABI_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "translator/runtime/abi.h"

/* Calls that change state the translator owns or emulates: the runtime
 * must intercept them, and abi_syscall() refuses them on every host rather
 * than let a guest run them on the translator's own process (a passed-through
 * arch_prctl would move the runtime's TLS, rt_sigreturn would return into a
 * guest frame as if it were the host's, brk would move the runtime's heap).
 * restart_syscall belongs with the runtime's signal restart logic. */
// clang-format off
#define ABI_RUNTIME_CALLS(R) \
	R(brk) R(rt_sigaction) R(rt_sigreturn) R(sigaltstack) R(restart_syscall) \
	R(clone) R(fork) R(vfork) R(clone3) R(execve) R(execveat) \
	R(arch_prctl) R(modify_ldt) R(set_thread_area) R(get_thread_area)
// clang-format on

bool abi_runtime_owned(long x86_nr);

/* x86-64 Linux reads the number from eax (the upper half of rax is
 * ignored); numbers with bit 30 set are the x32 ABI's, which an x86-64
 * program has no business calling and a translator does not offer. */
#define ABI_X32_BIT 0x40000000
static inline long abi_x86_nr(long rax)
{
	return (int)rax;
}

/* The host call nr with a[0..5]; the raw result (value or -errno). */
long abi_host_call(long host_nr, const uint64_t a[6]);
long abi_host_call6(long host_nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5);

/* x86-64 user memory ends at the top of the 47-bit half: x86-64 Linux's
 * access_ok() refuses anything beyond, and a host with a larger address
 * space must not be made to touch it for the guest. */
#define ABI_USER_TOP 0x800000000000ul
static inline bool abi_access_ok(uint64_t addr, uint64_t len)
{
	return addr < ABI_USER_TOP && len <= ABI_USER_TOP - addr;
}

/* Guest memory, through the installed copy functions (abi.h): 0 or
 * -EFAULT. The first page is never mapped (vm.mmap_min_addr), so these
 * refuse it and anything beyond the user half before copying. */
long abi_read(void *dst, uint64_t src, size_t len);
long abi_write(uint64_t dst, const void *src, size_t len);
/* A NUL-terminated guest string into dst[size]: its length, -EFAULT, or
 * -ENAMETOOLONG when it does not fit. */
long abi_read_str(char *dst, uint64_t src, size_t size);

#endif
