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

/* The host call nr with a[0..5]; the raw result (value or -errno). */
long abi_host_call(long host_nr, const uint64_t a[6]);
long abi_host_call6(long host_nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5);

/* Lowest address a guest pointer may hold: below it every access is EFAULT
 * on x86-64 Linux (vm.mmap_min_addr is never below one page), and above the
 * top of the 47-bit user half x86-64 has no user memory. A host with a
 * larger address space must not be made to write there for the guest. */
#define ABI_USER_MIN 4096ul
#define ABI_USER_TOP 0x800000000000ul
static inline bool abi_user_range(uint64_t addr, uint64_t len)
{
	return addr >= ABI_USER_MIN && addr < ABI_USER_TOP && len <= ABI_USER_TOP - addr;
}

#endif
