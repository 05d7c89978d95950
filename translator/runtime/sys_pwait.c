/* sys_pwait.c — the waits that take a signal mask for their duration:
 * ppoll, pselect6, epoll_pwait and epoll_pwait2.
 *
 * The guest's mask is the runtime's (sigstate.h), and a signal waiting
 * for delivery stays blocked on the host, so the guest's mask cannot be
 * handed to the host as it is: a signal it lets through would interrupt
 * the call, and its handler then run under the old mask, which blocks
 * it. The mask is installed the way rt_sigsuspend installs its own
 * (sig_temp_mask_begin), and the host call gets the host mask that goes
 * with it. Descriptors, timeouts and epoll_event layouts stay the ABI
 * layer's. */
#include <errno.h>
#include <string.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/abi_gate.h"
#include "translator/runtime/sigstate.h"
#include "translator/runtime/syscalls.h"

/* Guest call nr with arguments b, whose mask argument points to *host,
 * under the guest's temporary mask `set`. */
static long with_mask(struct cpu *cpu, long nr, const uint64_t b[6], uint64_t *host, uint64_t set)
{
	struct sigthread *t = &sig_self;
	/* Host signals stay blocked from the check to the call, which
	 * unblocks them atomically: the gate has nothing to close. */
	abi_gate_disarm();
	if (sig_temp_mask_begin(t, set))
		return sig_temp_mask_end(t, cpu, -EINTR);
	*host = sig_host_mask(t);
	return sig_temp_mask_end(t, cpu, abi_syscall(nr, b));
}

/* The guest's sigset: the kernel takes only its own size. */
static long read_mask(uint64_t ptr, uint64_t size, uint64_t *set)
{
	if (size != sizeof *set)
		return -EINVAL;
	return guest_read(set, ptr, sizeof *set) ? -EFAULT : 0;
}

/* The mask pointer in a[i], its size in a[i + 1]. */
static long mask_in_args(struct cpu *cpu, long nr, const uint64_t a[6], int i)
{
	uint64_t set, host, b[6];
	if (!a[i])
		return abi_syscall(nr, a);
	long r = read_mask(a[i], a[i + 1], &set);
	if (r)
		return r;
	memcpy(b, a, sizeof b);
	b[i] = (uintptr_t)&host;
	return with_mask(cpu, nr, b, &host, set);
}

long sys_ppoll(struct cpu *cpu, const uint64_t a[6])
{
	return mask_in_args(cpu, ABI_NR_ppoll, a, 3);
}

long sys_epoll_pwait(struct cpu *cpu, const uint64_t a[6])
{
	return mask_in_args(cpu, ABI_NR_epoll_pwait, a, 4);
}

long sys_epoll_pwait2(struct cpu *cpu, const uint64_t a[6])
{
	return mask_in_args(cpu, ABI_NR_epoll_pwait2, a, 4);
}

/* pselect6's sixth argument points to {sigset pointer, size}, laid out
 * alike on both hosts. */
long sys_pselect6(struct cpu *cpu, const uint64_t a[6])
{
	struct {
		uint64_t set, size;
	} arg, host_arg;
	uint64_t set, host, b[6];
	if (!a[5])
		return abi_syscall(ABI_NR_pselect6, a);
	if (guest_read(&arg, a[5], sizeof arg))
		return -EFAULT;
	if (!arg.set)
		return abi_syscall(ABI_NR_pselect6, a);
	long r = read_mask(arg.set, arg.size, &set);
	if (r)
		return r;
	memcpy(b, a, sizeof b);
	host_arg.set = (uintptr_t)&host;
	host_arg.size = sizeof host;
	b[5] = (uintptr_t)&host_arg;
	return with_mask(cpu, ABI_NR_pselect6, b, &host, set);
}
