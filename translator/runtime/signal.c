/* signal.c — the guest's signal state and the runtime's fault handler.
 *
 * The guest's dispositions are recorded in x86-64 form. SIG_DFL and
 * SIG_IGN are applied to the host as they are, so that SIGPIPE, SIGCHLD
 * reaping and the like behave natively. A guest handler is recorded but
 * not yet delivered: until signal frames exist (the process-model work),
 * the host keeps the default action for that signal. SIGSEGV and SIGBUS
 * stay the runtime's on the host (guest faults, self-modifying code);
 * the guest's view of them, disposition and mask bit, is kept here. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

#define SIGBIT(s)	  (1ull << ((s)-1))
#define RESERVED	  (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS))
#define X86_SIG_DFL	  0
#define X86_SIG_IGN	  1
#define X86_MINSIGSTKSZ	  2048
#define X86_SS_ONSTACK	  1
#define X86_SS_DISABLE	  2
#define X86_SS_AUTODISARM (1u << 31)

static struct abi_x86_sigaction actions[65];
static __thread uint64_t reserved_blocked; /* the guest's mask bits for RESERVED */
static __thread struct {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
} altstack = {0, X86_SS_DISABLE, 0, 0};

/* Both hosts' kernels read struct sigaction in the x86-64 layout. */
static long host_sigaction(int sig, uint64_t handler, uint64_t flags, uint64_t mask)
{
	struct abi_x86_sigaction sa = {handler, flags, 0, mask};
	return syscall(SYS_rt_sigaction, sig, &sa, NULL, 8) ? -errno : 0;
}

static uint64_t host_mask(int how, uint64_t set)
{
	uint64_t old = 0;
	syscall(SYS_rt_sigprocmask, how, how < 0 ? NULL : &set, &old, 8);
	return old;
}

static void apply_host(int sig)
{
	if (SIGBIT(sig) & RESERVED)
		return;
	uint64_t h = actions[sig].handler == X86_SIG_IGN ? X86_SIG_IGN : X86_SIG_DFL;
	/* The flags that matter without a handler: child reaping and stops. */
	uint64_t flags = actions[sig].flags & (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_RESTART);
	host_sigaction(sig, h, flags, 0);
}

long sys_rt_sigaction(struct cpu *cpu, const uint64_t a[6])
{
	int sig = (int)a[0];
	struct abi_x86_sigaction act;
	if (a[3] != 8 || sig < 1 || sig > 64)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a[1] && guest_read(&act, a[1], sizeof act))
		return -EFAULT;
	if (a[2] && guest_write(a[2], &actions[sig], sizeof act))
		return -EFAULT;
	if (a[1]) {
		actions[sig] = act;
		if (act.handler > X86_SIG_IGN)
			RT_DEBUG("signal %d: guest handler recorded, not delivered yet", sig);
		apply_host(sig);
	}
	return 0;
}

long sys_rt_sigprocmask(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t set;
	int how = (int)a[0];
	if (a[3] != 8)
		return -EINVAL;
	if (a[1] && guest_read(&set, a[1], 8))
		return -EFAULT;
	uint64_t host_old = host_mask(-1, 0);
	uint64_t old = (host_old & ~RESERVED) | reserved_blocked;
	if (a[1]) {
		uint64_t now;
		switch (how) {
		case SIG_BLOCK: now = old | set; break;
		case SIG_UNBLOCK: now = old & ~set; break;
		case SIG_SETMASK: now = set; break;
		default: return -EINVAL;
		}
		now &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
		reserved_blocked = now & RESERVED;
		host_mask(SIG_SETMASK, now & ~RESERVED);
	}
	if (a[2] && guest_write(a[2], &old, 8))
		return -EFAULT;
	return 0;
}

long sys_sigaltstack(struct cpu *cpu, const uint64_t a[6])
{
	__typeof__(altstack) ss, old = altstack;
	if (a[0]) {
		if (guest_read(&ss, a[0], sizeof ss))
			return -EFAULT;
		uint32_t mode = (uint32_t)ss.flags & ~X86_SS_AUTODISARM;
		if (mode != 0 && mode != X86_SS_DISABLE && mode != X86_SS_ONSTACK)
			return -EINVAL;
		if (mode == X86_SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < X86_MINSIGSTKSZ) {
			return -ENOMEM;
		}
		ss.flags = mode == X86_SS_DISABLE ? X86_SS_DISABLE
						  : (int32_t)(ss.flags & X86_SS_AUTODISARM);
		altstack = ss;
	}
	if (a[1] && guest_write(a[1], &old, sizeof old))
		return -EFAULT;
	return 0;
}

_Noreturn void signal_die(int sig)
{
	host_sigaction(sig, X86_SIG_DFL, 0, 0);
	host_mask(SIG_UNBLOCK, SIGBIT(sig));
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
	_exit(128 + sig);
}

void signal_fault(struct cpu *cpu)
{
	const struct x86_fault *f = &cpu->fault;
	if (vsyscall_emulate(cpu))
		return;
	RT_DEBUG("guest fault: signal %d code %d at rip %#llx, address %#llx", f->signo, f->code,
		 (unsigned long long)cpu->rip, (unsigned long long)f->addr);
	if (actions[f->signo].handler > X86_SIG_IGN)
		RT_DEBUG("signal %d: guest handler not delivered yet; default action", f->signo);
	signal_die(f->signo);
}

void signal_interrupt(struct cpu *cpu)
{
	cpu->interrupt = 0;
}

static void on_host_fault(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code <= 0) {
		/* Sent, not raised by an access: the guest's signal. */
		if (actions[sig].handler == X86_SIG_IGN)
			return;
		signal_die(sig);
	}
	if (sig == SIGSEGV && codepage_write_fault((uintptr_t)si->si_addr))
		return;
	guest_copy_fault();
	x86_host_fault(sig, si, uc);
	/* The translator itself faulted: let it die of the signal, with a core. */
	char msg[96];
	int n = snprintf(msg, sizeof msg, "xlate: internal error: signal %d at address %p\n", sig,
			 si->si_addr);
	ssize_t w = write(2, msg, n);
	(void)w;
	host_sigaction(sig, X86_SIG_DFL, 0, 0);
}

void signal_init(void)
{
	/* Dispositions inherited across exec (SIG_IGN) are the guest's. */
	for (int sig = 1; sig <= 64; sig++) {
		struct abi_x86_sigaction cur;
		if (syscall(SYS_rt_sigaction, sig, NULL, &cur, 8) == 0)
			actions[sig].handler =
				cur.handler == X86_SIG_IGN ? X86_SIG_IGN : X86_SIG_DFL;
	}
	static char stack[64 << 10] __attribute__((aligned(16)));
	stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack};
	sigaltstack(&ss, NULL);
	struct sigaction sa = {.sa_sigaction = on_host_fault,
			       .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}
