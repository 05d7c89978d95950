/* syscall.c — guest system calls: one table, indexed by x86-64 number,
 * names the runtime's handler for the calls it intercepts; everything
 * else goes to the ABI layer. */
#include <errno.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

// clang-format off
static const sys_fn table[ABI_NR_COUNT] = {
	[ABI_NR_brk] = sys_brk,
	[ABI_NR_mmap] = sys_mmap,
	[ABI_NR_munmap] = sys_munmap,
	[ABI_NR_mprotect] = sys_mprotect,
	[ABI_NR_mremap] = sys_mremap,
	[ABI_NR_madvise] = sys_madvise,
	[ABI_NR_shmat] = sys_shmat,
	[ABI_NR_shmdt] = sys_shmdt,
	[ABI_NR_exit] = sys_exit,
	[ABI_NR_exit_group] = sys_exit_group,
	[ABI_NR_arch_prctl] = sys_arch_prctl,
	[ABI_NR_fork] = sys_fork,
	[ABI_NR_vfork] = sys_vfork,
	[ABI_NR_clone] = sys_clone,
	[ABI_NR_clone3] = sys_clone3,
	[ABI_NR_execve] = sys_execve,
	[ABI_NR_execveat] = sys_execveat,
	[ABI_NR_rseq] = sys_rseq,
	[ABI_NR_prctl] = sys_prctl,
	[ABI_NR_seccomp] = sys_seccomp,
	[ABI_NR_personality] = sys_personality,
	[ABI_NR_uname] = sys_uname,
	[ABI_NR_set_tid_address] = sys_set_tid_address,
	[ABI_NR_rt_sigaction] = sys_rt_sigaction,
	[ABI_NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[ABI_NR_sigaltstack] = sys_sigaltstack,
	[ABI_NR_rt_sigreturn] = sys_rt_sigreturn,
	[ABI_NR_rt_sigpending] = sys_rt_sigpending,
	[ABI_NR_rt_sigsuspend] = sys_rt_sigsuspend,
	[ABI_NR_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[ABI_NR_ppoll] = sys_ppoll,
	[ABI_NR_pselect6] = sys_pselect6,
	[ABI_NR_epoll_pwait] = sys_epoll_pwait,
	[ABI_NR_epoll_pwait2] = sys_epoll_pwait2,
	[ABI_NR_restart_syscall] = sys_enosys,
	[ABI_NR_modify_ldt] = sys_enosys,
	[ABI_NR_set_thread_area] = sys_enosys,
	[ABI_NR_get_thread_area] = sys_enosys,
	[ABI_NR_open] = sys_open,
	[ABI_NR_openat] = sys_openat,
	[ABI_NR_openat2] = sys_openat2,
	[ABI_NR_readlink] = sys_readlink,
	[ABI_NR_readlinkat] = sys_readlinkat,
	[ABI_NR_stat] = sys_stat,
	[ABI_NR_newfstatat] = sys_newfstatat,
	[ABI_NR_statx] = sys_statx,
};
// clang-format on

long sys_enosys(struct cpu *cpu, const uint64_t a[6])
{
	return -ENOSYS;
}

static void report_enosys(uint64_t nr)
{
	static uint64_t seen[(ABI_NR_COUNT + 64) / 64 + 1];
	uint64_t i = nr < ABI_NR_COUNT ? nr : ABI_NR_COUNT;
	if (seen[i / 64] & (1ull << (i % 64)))
		return;
	seen[i / 64] |= 1ull << (i % 64);
	const char *name = abi_syscall_name((long)nr);
	RT_DEBUG("syscall %llu (%s): not supported (%s), ENOSYS", (unsigned long long)nr,
		 name ? name : "unknown", abi_kind_name(abi_syscall_kind((long)nr)));
}

/* Calls the runtime handles that can block in the host kernel (opening a
 * FIFO, waiting for signals or file descriptors): watched like the calls
 * passed through, so that a signal arriving as they start cannot leave
 * them blocked, and restarted for the guest as the kernel would. Not fork,
 * clone or exec, which the kernel restarts whatever the handler says. */
static const bool interruptible[ABI_NR_COUNT] = {
	[ABI_NR_open] = true,
	[ABI_NR_openat] = true,
	[ABI_NR_openat2] = true,
	[ABI_NR_rt_sigtimedwait] = true,
	[ABI_NR_ppoll] = true,
	[ABI_NR_pselect6] = true,
	[ABI_NR_epoll_pwait] = true,
	[ABI_NR_epoll_pwait2] = true,
};

void syscall_dispatch(struct cpu *cpu)
{
	uint64_t nr = cpu->gpr[X86_RAX];
	const uint64_t a[6] = {cpu->gpr[X86_RDI], cpu->gpr[X86_RSI], cpu->gpr[X86_RDX],
			       cpu->gpr[X86_R10], cpu->gpr[X86_R8],  cpu->gpr[X86_R9]};
	long r;
	if (signal_deliverable()) {
		/* Taken before the SYSCALL, as if it had come a little
		 * earlier. The gate (signal_syscall_enter) would refuse a
		 * watched call for it too; this serves the runtime's own
		 * calls, which must not run first (an execve would lose it). */
		cpu->rip -= 2;
		x86_set_interrupt(cpu, 1);
		return;
	}
	bool own = nr < ABI_NR_COUNT && table[nr];
	bool watched = !own || interruptible[nr];
	if (watched)
		signal_syscall_enter(cpu);
	if (own) {
		r = table[nr](cpu, a);
	} else {
		r = abi_syscall((long)nr, a);
		/* The kernel cannot write to a page we write-protected for
		 * self-modifying code: unprotect them all and try again. */
		if (r == -EFAULT && codepage_any()) {
			codepage_release_all();
			signal_syscall_enter(cpu);
			r = abi_syscall((long)nr, a);
		}
	}
	if (watched && signal_syscall_restart(r)) {
		/* As the kernel restarts: the SYSCALL again, with the number. */
		cpu->rip -= 2;
		cpu->gpr[X86_RAX] = nr;
		return;
	}
	if (r == -ENOSYS && rt_debug_level)
		report_enosys(nr);
	cpu->gpr[X86_RAX] = (uint64_t)r;
}
