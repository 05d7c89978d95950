/* signal.c — the guest's signal system calls: dispositions, per-thread
 * masks, the alternate stack, pending and waiting, rt_sigreturn.
 *
 * The guest's dispositions are kept here in x86-64 form. SIG_DFL and
 * SIG_IGN are applied to the host as they are, so that SIGPIPE, SIGCHLD
 * reaping, stops and deaths behave natively; a guest handler gets the
 * runtime's host handler (sigdeliver.c). Each thread's guest mask is its
 * host mask too, except SIGSEGV and SIGBUS, which the runtime needs on
 * the host, and signals waiting for delivery, which stay blocked there. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "translator/runtime/sigstate.h"
#include "translator/runtime/syscalls.h"

/* The flags the kernel keeps (UAPI_SA_FLAGS); others read back as clear,
 * which is how programs probe for SA_UNSUPPORTED. */
#define SA_KNOWN                                                                                   \
	(X86_SA_NOCLDSTOP | X86_SA_NOCLDWAIT | X86_SA_SIGINFO | X86_SA_ONSTACK | X86_SA_RESTART |  \
	 X86_SA_NODEFER | X86_SA_RESETHAND | X86_SA_EXPOSE_TAG | X86_SA_RESTORER)
/* Signals whose default action is to be ignored. */
#define SIG_DEFAULT_IGNORED (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))

long sys_rt_sigaction(struct cpu *cpu, const uint64_t a[6])
{
	int sig = (int)a[0];
	struct abi_x86_sigaction act, old;
	if (a[3] != 8)
		return -EINVAL;
	if (a[1] && guest_read(&act, a[1], sizeof act))
		return -EFAULT;
	if (sig < 1 || sig > SIG_MAX || (a[1] && (SIGBIT(sig) & SIG_UNCATCHABLE)))
		return -EINVAL;
	struct sigthread *t = &sig_self;
	sig_block_host();
	sig_lock();
	old = sig_actions[sig];
	if (a[1]) {
		act.flags &= SA_KNOWN;
		act.mask &= ~SIG_UNCATCHABLE;
		sig_actions[sig] = act;
		sig_apply_host(sig);
		/* Setting an ignoring action discards what is pending. */
		if (act.handler == X86_SIG_IGN ||
		    (act.handler == X86_SIG_DFL && (SIGBIT(sig) & SIG_DEFAULT_IGNORED)))
			t->pending &= ~SIGBIT(sig);
	}
	sig_unlock();
	sig_sync_host_mask(t);
	if (a[2] && guest_write(a[2], &old, sizeof old))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t set = 0;
	int how = (int)a[0];
	struct sigthread *t = &sig_self;
	if (a[3] != 8)
		return -EINVAL;
	if (a[1] && guest_read(&set, a[1], 8))
		return -EFAULT;
	uint64_t old = t->mask;
	if (a[1]) {
		uint64_t now;
		switch (how) {
		case SIG_BLOCK: now = old | set; break;
		case SIG_UNBLOCK: now = old & ~set; break;
		case SIG_SETMASK: now = set; break;
		default: return -EINVAL;
		}
		sig_block_host();
		t->mask = now & ~SIG_UNCATCHABLE;
		sig_mask_changed(t, cpu);
	}
	if (a[2] && guest_write(a[2], &old, 8))
		return -EFAULT;
	return 0;
}

long sys_sigaltstack(struct cpu *cpu, const uint64_t a[6])
{
	struct x86_stack ss, old;
	if (a[0] && guest_read(&ss, a[0], sizeof ss))
		return -EFAULT;
	int r = sig_altstack(&sig_self, a[0] ? &ss : NULL, &old, cpu->gpr[X86_RSP]);
	if (!r && a[1] && guest_write(a[1], &old, sizeof old))
		return -EFAULT;
	return r;
}

long sys_rt_sigreturn(struct cpu *cpu, const uint64_t a[6])
{
	return sig_return(&sig_self, cpu);
}

long sys_rt_sigpending(struct cpu *cpu, const uint64_t a[6])
{
	struct sigthread *t = &sig_self;
	uint64_t host = 0;
	if (a[1] > 8)
		return -EINVAL;
	syscall(SYS_rt_sigpending, &host, 8);
	uint64_t set = (host | t->pending) & t->mask;
	return guest_write(a[0], &set, a[1]);
}

long sys_rt_sigsuspend(struct cpu *cpu, const uint64_t a[6])
{
	struct sigthread *t = &sig_self;
	uint64_t set;
	if (a[1] != 8)
		return -EINVAL;
	if (guest_read(&set, a[0], 8))
		return -EFAULT;
	if (!sig_temp_mask_begin(t, set)) {
		uint64_t host = sig_host_mask(t);
		syscall(SYS_rt_sigsuspend, &host, 8);
	}
	return sig_temp_mask_end(t, cpu, -EINTR);
}

/* Host signals stay blocked from the check to the wait, which the host
 * call opens atomically with the host mask: none can slip in between. */
bool sig_temp_mask_begin(struct sigthread *t, uint64_t set)
{
	sig_block_host();
	t->saved_mask = t->mask;
	t->restore_mask = true;
	t->mask = set & ~SIG_UNCATCHABLE;
	return t->pending & ~t->mask;
}

/* Interrupted, the call leaves the temporary mask in place until
 * delivery: the handler's frame restores the old one (signal_interrupt
 * restores it itself if nothing was delivered). Otherwise the old mask is
 * back at once, as the kernel puts it back, and what only the temporary
 * mask let through stays pending. */
long sig_temp_mask_end(struct sigthread *t, struct cpu *cpu, long r)
{
	if (r == -EINTR) {
		x86_set_interrupt(cpu, 1);
		return r;
	}
	t->mask = t->saved_mask;
	t->restore_mask = false;
	sig_mask_changed(t, cpu);
	return r;
}

long sys_rt_sigtimedwait(struct cpu *cpu, const uint64_t a[6])
{
	struct sigthread *t = &sig_self;
	uint64_t set;
	if (a[3] != 8)
		return -EINVAL;
	if (guest_read(&set, a[0], 8))
		return -EFAULT;
	set &= ~SIG_UNCATCHABLE;
	sig_block_host();
	uint64_t mine = t->pending & set;
	if (mine & SIG_SYNCHRONOUS)
		mine &= SIG_SYNCHRONOUS;
	if (!mine) {
		/* Not taken from the host yet: the host kernel dequeues it. */
		sig_sync_host_mask(t);
		return abi_syscall(ABI_NR_rt_sigtimedwait, a);
	}
	int sig = __builtin_ctzll(mine) + 1;
	t->pending &= ~SIGBIT(sig);
	sig_sync_host_mask(t);
	if (a[1] && guest_write(a[1], &t->info[sig], sizeof t->info[sig]))
		return -EFAULT;
	return sig;
}

void signal_init(void)
{
	/* Dispositions inherited across exec (SIG_IGN) are the guest's, and
	 * so is the mask. */
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		struct abi_x86_sigaction cur;
		if (syscall(SYS_rt_sigaction, sig, NULL, &cur, 8) == 0)
			sig_actions[sig].handler =
				cur.handler == X86_SIG_IGN ? X86_SIG_IGN : X86_SIG_DFL;
	}
	sig_host_init();
}
