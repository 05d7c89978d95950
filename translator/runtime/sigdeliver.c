/* sigdeliver.c — getting signals to the guest's handlers.
 *
 * For a signal with a guest handler the runtime installs its own host
 * handler, which only takes note: it records the siginfo for the thread
 * the kernel chose, keeps the signal blocked on the host until it is
 * delivered, and asks the interpreter to stop at the next block boundary
 * (cpu->interrupt). Delivery happens there, or after the system call the
 * thread was in, where the CPU state is exactly the guest's: that is
 * where the frame is built.
 *
 * A blocking system call the signal interrupts must fail with EINTR or be
 * restarted exactly as the kernel would for the guest, and a restarted
 * one only after the guest's handler has run (it may be what unblocks
 * the call). A signal already waiting when the guest makes a call is
 * delivered first (signal_deliverable); one arriving after that check
 * and before the host call blocks must not be left noted while the call
 * blocks. So the guest's host call goes through abi_gate.S, which makes
 * it only if cpu->interrupt is still clear, and the host handler,
 * finding the PC between that check and the system call instruction,
 * sends it to the gate's "not started" exit: the guest's SYSCALL is then
 * executed again after delivery, whatever the handler's SA_RESTART says
 * (as far as the guest can tell, the signal came before it). The host
 * handler is always installed with SA_RESTART: the host kernel then
 * tells, by moving the PC back onto the gate's system call instruction,
 * which calls it restarts; the handler turns that into an EINTR return,
 * and the syscall layer re-executes the guest's SYSCALL after delivery
 * when the guest's handler has SA_RESTART (signal_syscall_restart).
 *
 * Faults of guest code (x86_run's X86_EXIT_FAULT) are delivered at once,
 * as the kernel forces them: unblocked and un-ignored, and fatal without
 * a handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "translator/runtime/abi_gate.h"
#include "translator/runtime/sigstate.h"

__thread struct sigthread sig_self = {.alt = {0, X86_SS_DISABLE, 0, 0}};
struct abi_x86_sigaction sig_actions[SIG_MAX + 1];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* What the host's libc puts in sa_restorer and sa_flags for a handler
 * (x86-64 hosts need a restorer; aarch64 ones use the vDSO's), learned
 * from the handler signal_init installs through libc. The other handlers
 * are installed with the raw call, because libc refuses the signals it
 * keeps for itself (32 and 33), which the guest's libc uses too. */
static uint64_t host_restorer, host_restorer_flag;

void sig_lock(void)
{
	pthread_mutex_lock(&lock);
}

void sig_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static long host_sigaction(int sig, uint64_t handler, uint64_t flags, uint64_t mask)
{
	struct abi_x86_sigaction sa = {handler, flags, 0, mask};
	if (handler > X86_SIG_IGN) {
		sa.flags |= host_restorer_flag;
		sa.restorer = host_restorer;
	}
	return syscall(SYS_rt_sigaction, sig, &sa, NULL, 8) ? -errno : 0;
}

static uint64_t host_mask(int how, uint64_t set)
{
	uint64_t old = 0;
	syscall(SYS_rt_sigprocmask, how, how < 0 ? NULL : &set, &old, 8);
	return old;
}

uint64_t sig_block_host(void)
{
	return host_mask(SIG_SETMASK, ~SIG_RESERVED);
}

uint64_t sig_host_mask(const struct sigthread *t)
{
	return (t->mask | t->pending) & ~SIG_RESERVED;
}

void sig_sync_host_mask(struct sigthread *t)
{
	host_mask(SIG_SETMASK, sig_host_mask(t));
}

void sig_mask_changed(struct sigthread *t, struct cpu *cpu)
{
	if (t->pending & ~t->mask)
		x86_set_interrupt(cpu, 1);
	sig_sync_host_mask(t);
}

/* Runs in a host signal handler: async-signal-safe, this thread only. */
static void take(int sig, const void *si)
{
	struct sigthread *t = &sig_self;
	if (!(t->pending & SIGBIT(sig))) {
		memcpy(&t->info[sig], si, sizeof t->info[sig]);
		t->pending |= SIGBIT(sig);
	}
	if (t->cpu)
		x86_set_interrupt(t->cpu, 1);
}

/* Where a host signal found the guest's host call (abi_gate.S): */
enum gate_point {
	GATE_ELSEWHERE,
	/* between the check of cpu->interrupt and the system call: the call
	 * is not made (the PC goes to the gate's "not started" exit); */
	GATE_BEFORE,
	/* on the system call instruction, moved back there by the host
	 * kernel to restart the call: the call fails with EINTR instead, so
	 * that the guest's handler runs first, and signal_syscall_restart()
	 * restarts the guest's call, as the kernel would have, if the guest
	 * asked for SA_RESTART. */
	GATE_RESTARTING,
};

#if defined(__x86_64__)
/* RCX is 0 until the SYSCALL has run (abi_gate.S). */
static enum gate_point gate_point(const ucontext_t *uc)
{
	uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
	if (pc == (uintptr_t)abi_gate_syscall && uc->uc_mcontext.gregs[REG_RCX])
		return GATE_RESTARTING;
	if (pc >= (uintptr_t)abi_gate_window && pc <= (uintptr_t)abi_gate_syscall)
		return GATE_BEFORE;
	return GATE_ELSEWHERE;
}

static void gate_leave(ucontext_t *uc, enum gate_point at)
{
	greg_t *r = uc->uc_mcontext.gregs;
	if (at == GATE_BEFORE) {
		r[REG_RIP] = (uintptr_t)abi_gate_not_started;
	} else {
		r[REG_RIP] = (uintptr_t)abi_gate_syscall + 2;
		r[REG_RAX] = -EINTR;
	}
}
#elif defined(__aarch64__)
/* A PC on the SVC itself is ambiguous here: the kernel moves it back
 * there to restart a call without leaving a trace in the registers (x0
 * gets the first argument back). It is taken for the kernel's restart,
 * which is right when it is one; when the SVC has not run yet, the guest
 * gets EINTR (or, with SA_RESTART, its call again) for a signal that came
 * just before the call: its handler runs all the same. qemu-user, which
 * delivers signals at the start of a translated block or by rewinding a
 * system call it has not started, puts the PC on the SVC nearly always. */
static enum gate_point gate_point(const ucontext_t *uc)
{
	uintptr_t pc = uc->uc_mcontext.pc;
	if (pc == (uintptr_t)abi_gate_syscall)
		return GATE_RESTARTING;
	if (pc >= (uintptr_t)abi_gate_window && pc < (uintptr_t)abi_gate_syscall)
		return GATE_BEFORE;
	return GATE_ELSEWHERE;
}

static void gate_leave(ucontext_t *uc, enum gate_point at)
{
	if (at == GATE_BEFORE) {
		uc->uc_mcontext.pc = (uintptr_t)abi_gate_not_started;
	} else {
		uc->uc_mcontext.pc = (uintptr_t)abi_gate_syscall + 4;
		uc->uc_mcontext.regs[0] = (uint64_t)-EINTR;
	}
}
#else
#error "unsupported host"
#endif

/* A signal sent to the guest arrived: noted, see the top. */
static void arrived(int sig, siginfo_t *si, ucontext_t *uc)
{
	struct sigthread *t = &sig_self;
	enum gate_point at = gate_point(uc);
	if (at != GATE_ELSEWHERE)
		gate_leave(uc, at);
	if (at == GATE_RESTARTING && !t->restart_sig)
		t->restart_sig = sig;
	take(sig, si);
}

static void on_host_signal(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	arrived(sig, si, uc);
	/* Still blocked when the interrupted code resumes. */
	sigaddset(&uc->uc_sigmask, sig);
}

static void on_host_fault(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code <= 0) {
		/* Sent (kill, tgkill, sigqueue), not raised by an access. */
		arrived(sig, si, uc);
		return;
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

void sig_apply_host(int sig)
{
	if (SIGBIT(sig) & (SIG_RESERVED | SIG_UNCATCHABLE))
		return;
	const struct abi_x86_sigaction *a = &sig_actions[sig];
	/* The flags that the host kernel must act on: child reaping, stops,
	 * and system call restarting. */
	uint64_t flags = a->flags & (X86_SA_NOCLDSTOP | X86_SA_NOCLDWAIT | X86_SA_RESTART);
	/* With a handler, always SA_RESTART: on_host_signal learns from the
	 * host kernel's restart which calls the guest's SA_RESTART restarts. */
	if (a->handler > X86_SIG_IGN)
		host_sigaction(sig, (uintptr_t)on_host_signal,
			       flags | SA_RESTART | SA_SIGINFO | SA_ONSTACK, ~0ull);
	else
		host_sigaction(sig, a->handler, flags, 0);
}

_Noreturn void signal_die(int sig)
{
	host_sigaction(sig, X86_SIG_DFL, 0, 0);
	host_mask(SIG_UNBLOCK, SIGBIT(sig));
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
	_exit(128 + sig);
}

/* The kernel's force_sig: a blocked or ignored signal is unblocked and
 * reset to its default action. */
static void force(struct sigthread *t, int sig)
{
	sig_lock();
	bool blocked = t->mask & SIGBIT(sig);
	if (blocked || sig_actions[sig].handler == X86_SIG_IGN) {
		sig_actions[sig].handler = X86_SIG_DFL;
		sig_apply_host(sig);
		t->mask &= ~SIGBIT(sig);
	}
	sig_unlock();
}

static void post_forced(struct sigthread *t, struct cpu *cpu, int sig,
			const struct x86_siginfo *info)
{
	force(t, sig);
	t->info[sig] = *info;
	t->pending |= SIGBIT(sig);
	x86_set_interrupt(cpu, 1);
}

/* The default action of a signal taken from the host: the host's
 * disposition is the default too by now, so sending it again lets the
 * host kernel do it (stop, ignore, or die with the right status) once
 * the mask is synced. */
static void default_action(int sig)
{
	if (SIGBIT(sig) & SIG_RESERVED)
		signal_die(sig);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

/* Runs sig's action on this thread; host signals are blocked. */
static void deliver(struct sigthread *t, struct cpu *cpu, int sig, const struct x86_siginfo *info)
{
	sig_lock();
	struct abi_x86_sigaction act = sig_actions[sig];
	if (act.handler > X86_SIG_IGN && (act.flags & X86_SA_RESETHAND)) {
		sig_actions[sig].handler = X86_SIG_DFL;
		sig_apply_host(sig);
	}
	sig_unlock();
	if (act.handler == X86_SIG_IGN)
		return;
	if (act.handler == X86_SIG_DFL) {
		default_action(sig);
		return;
	}
	uint64_t saved = t->restore_mask ? t->saved_mask : t->mask;
	if (sigframe_push(t, cpu, sig, &act, info, saved)) {
		/* The kernel's force_sigsegv: no frame, no handler. */
		RT_DEBUG("signal %d: no room for the frame at rsp %#llx", sig,
			 (unsigned long long)cpu->gpr[X86_RSP]);
		if (sig == SIGSEGV)
			signal_die(SIGSEGV);
		post_forced(t, cpu, SIGSEGV,
			    &(struct x86_siginfo){SIGSEGV, 0, X86_SI_KERNEL, 0, {0}});
		return;
	}
	t->restore_mask = false;
	uint64_t m = t->mask | act.mask;
	if (!(act.flags & X86_SA_NODEFER))
		m |= SIGBIT(sig);
	t->mask = m & ~SIG_UNCATCHABLE;
}

/* Synchronous signals first, then the lowest number, as the kernel. */
static int next_signal(const struct sigthread *t)
{
	uint64_t ready = t->pending & ~t->mask;
	if (ready & SIG_SYNCHRONOUS)
		ready &= SIG_SYNCHRONOUS;
	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

/* Every deliverable signal gets its frame now, each one nested on the
 * previous handler, as the kernel does before returning to user mode. */
void sig_deliver_pending(struct sigthread *t, struct cpu *cpu)
{
	int sig;
	while ((sig = next_signal(t))) {
		struct x86_siginfo info = t->info[sig];
		t->pending &= ~SIGBIT(sig);
		deliver(t, cpu, sig, &info);
	}
	x86_set_interrupt(cpu, 0);
	if (t->restore_mask) {
		t->mask = t->saved_mask;
		t->restore_mask = false;
	}
}

void signal_interrupt(struct cpu *cpu)
{
	struct sigthread *t = &sig_self;
	sig_block_host();
	sig_deliver_pending(t, cpu);
	sig_sync_host_mask(t);
}

void signal_fault(struct cpu *cpu)
{
	const struct x86_fault *f = &cpu->fault;
	struct sigthread *t = &sig_self;
	if (vsyscall_emulate(cpu))
		return;
	RT_DEBUG("guest fault: signal %d code %d at rip %#llx, address %#llx", f->signo, f->code,
		 (unsigned long long)cpu->rip, (unsigned long long)f->addr);
	sig_block_host();
	t->trapno = f->trapno;
	t->err = f->err;
	if (f->trapno == 14)
		t->cr2 = f->addr;
	force(t, f->signo);
	if (sig_actions[f->signo].handler == X86_SIG_DFL)
		signal_die(f->signo);
	struct x86_siginfo info = {.signo = f->signo, .code = f->code, .fields = {f->addr}};
	deliver(t, cpu, f->signo, &info);
	sig_deliver_pending(t, cpu);
	sig_sync_host_mask(t);
}

long sig_return(struct sigthread *t, struct cpu *cpu)
{
	sig_block_host();
	if (sigframe_pop(t, cpu)) {
		post_forced(t, cpu, SIGSEGV,
			    &(struct x86_siginfo){SIGSEGV, 0, X86_SI_KERNEL, 0, {0}});
		sig_sync_host_mask(t);
		return 0;
	}
	sig_mask_changed(t, cpu);
	return (long)cpu->gpr[X86_RAX];
}

void signal_syscall_enter(struct cpu *cpu)
{
	sig_self.restart_sig = 0;
	abi_gate_arm(&cpu->interrupt);
}

bool signal_deliverable(void)
{
	return sig_self.pending & ~sig_self.mask;
}

bool signal_syscall_restart(long r)
{
	struct sigthread *t = &sig_self;
	abi_gate_disarm();
	/* cpu->interrupt is set: delivery comes first. */
	if (r == ABI_NOT_STARTED)
		return true;
	int sig = t->restart_sig;
	if (r != -EINTR || !sig)
		return false;
	return sig_actions[sig].flags & X86_SA_RESTART;
}

void signal_thread_start(struct cpu *cpu)
{
	struct sigthread *t = &sig_self;
	/* A new thread starts with its creator's mask, as pthread_create
	 * gives the host thread. */
	t->mask = sig_block_host() & ~SIG_UNCATCHABLE;
	t->cpu = cpu;
	if (t->pending)
		x86_set_interrupt(cpu, 1);
	sig_sync_host_mask(t);
}

void signal_thread_exit(void)
{
	struct sigthread *t = &sig_self;
	sig_block_host();
	t->cpu = NULL;
	pid_t pid = getpid();
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		if (!(t->pending & SIGBIT(sig)))
			continue;
		t->pending &= ~SIGBIT(sig);
		/* Those sent to this thread (tgkill) die with it, as natively;
		 * the rest are queued again with their siginfo, which the
		 * kernel allows a process to do to itself. */
		if (t->info[sig].code != SI_TKILL)
			syscall(SYS_rt_sigqueueinfo, pid, sig, &t->info[sig]);
	}
}

void signal_fork_child(bool vfork)
{
	/* A vfork child shares the lock with its parent's other threads. */
	if (!vfork)
		pthread_mutex_init(&lock, NULL);
	/* Pending signals are not inherited. */
	sig_self.pending = 0;
	sig_self.restart_sig = 0;
	sig_sync_host_mask(&sig_self);
}

/* Host signals stay blocked from the save to the restore, so that none
 * is taken into the shared state meanwhile (the child unblocks them for
 * itself in signal_fork_child). */
void *signal_state_save(void)
{
	sig_block_host();
	struct sigthread *copy = malloc(sizeof *copy);
	if (copy)
		*copy = sig_self;
	return copy;
}

void signal_state_restore(void *saved)
{
	if (saved) {
		sig_self = *(struct sigthread *)saved;
		free(saved);
	}
	if (sig_self.cpu && (sig_self.pending & ~sig_self.mask))
		x86_set_interrupt(sig_self.cpu, 1);
	sig_sync_host_mask(&sig_self);
}

void sig_host_init(void)
{
	static char stack[64 << 10] __attribute__((aligned(16)));
	stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack};
	sigaltstack(&ss, NULL);
	struct sigaction sa = {.sa_sigaction = on_host_fault,
			       .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART};
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	struct abi_x86_sigaction cur;
	if (syscall(SYS_rt_sigaction, SIGSEGV, NULL, &cur, 8) == 0) {
		host_restorer = cur.restorer;
		host_restorer_flag = cur.flags & X86_SA_RESTORER;
	}
}
