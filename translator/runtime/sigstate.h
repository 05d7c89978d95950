/* sigstate.h — the guest's signal state, shared by signal.c (the system
 * calls), sigdeliver.c (host handlers and delivery) and sigframe.c (the
 * x86-64 frame). Not for the rest of the runtime: runtime.h has the entry
 * points.
 *
 * Signal numbers, the 64-bit sigset, SA_* bits and siginfo_t are the same
 * on both hosts (abi.h, abi_consts.c), so the guest's values are used on
 * the host as they are. */
#ifndef XLATE_SIGSTATE_H
#define XLATE_SIGSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"

#define SIG_MAX	  64
#define SIGBIT(s) (1ull << ((s)-1))

/* x86-64 values the guest ABI fixes. */
#define X86_SIG_DFL	  0
#define X86_SIG_IGN	  1
#define X86_SA_NOCLDSTOP  0x00000001ull
#define X86_SA_NOCLDWAIT  0x00000002ull
#define X86_SA_SIGINFO	  0x00000004ull
#define X86_SA_EXPOSE_TAG 0x00000800ull
#define X86_SA_RESTORER	  0x04000000ull
#define X86_SA_ONSTACK	  0x08000000ull
#define X86_SA_RESTART	  0x10000000ull
#define X86_SA_NODEFER	  0x40000000ull
#define X86_SA_RESETHAND  0x80000000ull
#define X86_SS_ONSTACK	  1
#define X86_SS_DISABLE	  2
#define X86_SS_AUTODISARM (1u << 31)
#define X86_MINSIGSTKSZ	  2048
#define X86_SI_KERNEL	  0x80

/* SIGKILL and SIGSTOP: never blocked, caught or ignored. */
#define SIG_UNCATCHABLE (SIGBIT(9) | SIGBIT(19))
/* SIGSEGV and SIGBUS stay the runtime's on the host (guest faults,
 * self-modifying code): never blocked there, their host handler is
 * always the runtime's. */
#define SIG_RESERVED (SIGBIT(11) | SIGBIT(7))
/* Dequeued before the others, as the kernel does. */
#define SIG_SYNCHRONOUS (SIGBIT(11) | SIGBIT(7) | SIGBIT(4) | SIGBIT(5) | SIGBIT(8) | SIGBIT(31))

/* siginfo_t (128 bytes, the same layout on both hosts). */
struct x86_siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t fields[14]; /* si_addr, si_pid/si_uid, ... by si_code */
};

/* stack_t as x86-64 lays it out. */
struct x86_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};

/* One guest thread's signal state. Lives in the host thread's TLS. The
 * host handler writes `pending` and `info` with every other host signal
 * blocked; the thread reads them with the host signals blocked too. */
struct sigthread {
	struct cpu *cpu;     /* NULL until the thread runs guest code */
	uint64_t mask;	     /* the guest's blocked set */
	uint64_t saved_mask; /* the mask to restore after rt_sigsuspend ... */
	bool restore_mask;   /* ... when no handler frame saved it */
	/* Signals the host handed this thread, not yet delivered. Each is
	 * blocked on the host meanwhile, so that the next one of the same
	 * number stays pending in the kernel (standard signals merge there,
	 * real-time ones queue) until this one is delivered. */
	volatile uint64_t pending;
	struct x86_siginfo info[SIG_MAX + 1];
	struct x86_stack alt; /* sigaltstack, as the kernel keeps sas_ss_* */
	/* The kernel's thread.trap_nr, error_code and cr2: the last fault's,
	 * written into every frame's sigcontext. */
	uint64_t trapno, err, cr2;
	/* The first signal whose arrival the host kernel would have
	 * restarted the guest's host call for (sigdeliver.c). */
	volatile int restart_sig;
};
extern __thread struct sigthread sig_self;

/* The process's dispositions (x86-64 struct sigaction), under sig_lock. */
extern struct abi_x86_sigaction sig_actions[SIG_MAX + 1];
void sig_lock(void);
void sig_unlock(void);

/* ---- sigdeliver.c ---- */

/* Sets the host's disposition for sig to follow the guest's. */
void sig_apply_host(int sig);
/* The host's mask for this thread, from the guest's and what is pending
 * (sig_host_mask), and installing it. */
uint64_t sig_host_mask(const struct sigthread *t);
void sig_sync_host_mask(struct sigthread *t);
/* After the guest's mask changed: the host's follows, and a pending
 * signal it no longer blocks is delivered at the next boundary. */
void sig_mask_changed(struct sigthread *t, struct cpu *cpu);
/* Blocks every host signal but SIG_RESERVED; returns the previous mask. */
uint64_t sig_block_host(void);
/* Delivers every deliverable pending signal; host signals are blocked. */
void sig_deliver_pending(struct sigthread *t, struct cpu *cpu);
/* rt_sigreturn: the restored RAX (0 and a SIGSEGV for a bad frame). */
long sig_return(struct sigthread *t, struct cpu *cpu);
/* The runtime's host handlers (SIGSEGV, SIGBUS) and what libc needs. */
void sig_host_init(void);

/* ---- signal.c ---- */

/* A call that takes a temporary mask (rt_sigsuspend, ppoll, pselect6,
 * epoll_pwait, epoll_pwait2), as the kernel runs it: begin installs `set`
 * as the guest's mask with every host signal blocked, and says whether a
 * signal it lets through is already waiting (the call then fails with
 * EINTR at once, without waiting); the host call itself gets
 * sig_host_mask, which it installs atomically; end takes the call's
 * result r and returns it. A signal that interrupts the call has its
 * handler run with the temporary mask, and the frame restores the
 * original one. */
bool sig_temp_mask_begin(struct sigthread *t, uint64_t set);
long sig_temp_mask_end(struct sigthread *t, struct cpu *cpu, long r);

/* ---- sigframe.c ---- */

/* Builds the kernel's rt_sigframe for a handler of sig on the guest
 * stack (or alt stack) and points the CPU at the handler. `saved` is the
 * mask the frame restores. Returns 0 or -EFAULT (no room, no
 * SA_RESTORER, unwritable stack), with the CPU untouched. */
int sigframe_push(struct sigthread *t, struct cpu *cpu, int sig,
		  const struct abi_x86_sigaction *act, const struct x86_siginfo *info,
		  uint64_t saved);
/* rt_sigreturn: restores the CPU, the mask and the alt stack from the
 * frame below the guest's RSP. Returns 0 or -EFAULT (bad frame). */
int sigframe_pop(struct sigthread *t, struct cpu *cpu);

/* sigaltstack(2) as the kernel does it for stack pointer sp: 0 or -errno. */
int sig_altstack(struct sigthread *t, const struct x86_stack *ss, struct x86_stack *old,
		 uint64_t sp);

#endif
