/* sigframe.c — the x86-64 signal frame and the alternate stack it may go
 * on, laid out and placed exactly as the x86-64 Linux kernel does
 * (arch/x86/kernel/signal*.c), because guests read it: glibc's unwinder
 * walks through it, handlers edit the ucontext, longjmp-free handlers
 * return through rt_sigreturn.
 *
 * The emulated CPU has no XSAVE (cpuid.c), so the floating-point state is
 * the 512-byte FXSAVE image, 64-byte aligned, and uc_flags say so, as on
 * a kernel running on such a CPU. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "translator/runtime/sigstate.h"

struct x86_sigcontext {
	uint64_t gpr[16]; /* r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp */
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate;
	uint64_t reserved1[8];
};

struct x86_ucontext {
	uint64_t uc_flags, uc_link;
	struct x86_stack uc_stack;
	struct x86_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct x86_rt_sigframe {
	uint64_t pretcode; /* the handler returns here: sa_restorer */
	struct x86_ucontext uc;
	struct x86_siginfo info;
};

_Static_assert(sizeof(struct x86_sigcontext) == 256, "sigcontext_64");
_Static_assert(offsetof(struct x86_ucontext, uc_mcontext) == 40, "ucontext");
_Static_assert(offsetof(struct x86_ucontext, uc_sigmask) == 296, "ucontext");
_Static_assert(offsetof(struct x86_rt_sigframe, info) == 312, "rt_sigframe");
_Static_assert(sizeof(struct x86_siginfo) == 128, "siginfo");
_Static_assert(sizeof(struct x86_stack) == 24, "stack_t");

/* The sigcontext's register order. */
static const uint8_t sc_gpr[16] = {
	X86_R8,	 X86_R9,  X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_RDI, X86_RSI, X86_RBP, X86_RBX, X86_RDX, X86_RAX, X86_RCX, X86_RSP,
};

enum {
	UC_SIGCONTEXT_SS = 2, /* ss in the sigcontext is meaningful */
	UC_STRICT_RESTORE_SS = 4,
	USER_CS = 0x33,
	USER_SS = 0x2b,
	RED_ZONE = 128,
	FPSTATE_SIZE = 512,
	/* The RFLAGS bits rt_sigreturn takes from the frame (FIX_EFLAGS):
	 * CF PF AF ZF SF TF DF OF RF AC. */
	FIX_EFLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x10000 | 0x40000,
	EFLAGS_DF = 0x400,
};

/* Strictly inside (sp, sp + size]: the kernel's __on_sig_stack. */
static bool within_alt(const struct sigthread *t, uint64_t sp)
{
	return sp > t->alt.sp && sp - t->alt.sp <= t->alt.size;
}

/* on_sig_stack: with SS_AUTODISARM the kernel no longer tracks it. */
static bool on_alt(const struct sigthread *t, uint64_t sp)
{
	if ((uint32_t)t->alt.flags & X86_SS_AUTODISARM)
		return false;
	return within_alt(t, sp);
}

static int32_t alt_state(const struct sigthread *t, uint64_t sp)
{
	if (!t->alt.size)
		return X86_SS_DISABLE;
	return on_alt(t, sp) ? X86_SS_ONSTACK : 0;
}

int sig_altstack(struct sigthread *t, const struct x86_stack *ss, struct x86_stack *old,
		 uint64_t sp)
{
	if (old) {
		*old = (struct x86_stack){t->alt.sp, 0, 0, t->alt.size};
		old->flags =
			alt_state(t, sp) | (int32_t)((uint32_t)t->alt.flags & X86_SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (on_alt(t, sp))
		return -EPERM;
	uint32_t mode = (uint32_t)ss->flags & ~X86_SS_AUTODISARM;
	if (mode != 0 && mode != X86_SS_DISABLE && mode != X86_SS_ONSTACK)
		return -EINVAL;
	struct x86_stack n = {ss->sp, ss->flags, 0, ss->size};
	if (mode == X86_SS_DISABLE)
		n.sp = n.size = 0;
	else if (n.size < X86_MINSIGSTKSZ)
		return -ENOMEM;
	t->alt = n;
	return 0;
}

/* The FPU state a handler starts with: the x86 reset state. */
static void fpu_init(struct cpu *cpu)
{
	uint8_t area[FPSTATE_SIZE] = {0};
	const uint16_t fcw = 0x37f;
	const uint32_t mxcsr = 0x1f80;
	memcpy(area, &fcw, sizeof fcw);
	memcpy(area + 24, &mxcsr, sizeof mxcsr);
	x86_fxrstor(cpu, area);
	memset(cpu->ymmh, 0, sizeof cpu->ymmh);
}

int sigframe_push(struct sigthread *t, struct cpu *cpu, int sig,
		  const struct abi_x86_sigaction *act, const struct x86_siginfo *info,
		  uint64_t saved)
{
	uint64_t rsp = cpu->gpr[X86_RSP];
	bool nested = on_alt(t, rsp), entering = false;
	uint64_t sp = rsp - RED_ZONE;

	if ((act->flags & X86_SA_ONSTACK) && alt_state(t, sp) == 0) {
		sp = t->alt.sp + t->alt.size;
		entering = true;
	}
	uint64_t fp = (sp - FPSTATE_SIZE) & ~63ull;
	/* Aligned as if the handler had been called: RSP + 8 on 16. */
	uint64_t at = ((fp - sizeof(struct x86_rt_sigframe)) & ~15ull) - 8;
	if ((nested || entering) && !within_alt(t, at))
		return -EFAULT; /* would overflow the alt stack: the kernel gives up */
	if (!(act->flags & X86_SA_RESTORER))
		return -EFAULT; /* x86-64 has no vDSO trampoline to fall back on */

	uint8_t fx[FPSTATE_SIZE] = {0};
	x86_fxsave(cpu, fx);
	struct x86_rt_sigframe f = {.pretcode = act->restorer};
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack = (struct x86_stack){t->alt.sp, t->alt.flags, 0, t->alt.size};
	struct x86_sigcontext *sc = &f.uc.uc_mcontext;
	for (int i = 0; i < 16; i++)
		sc->gpr[i] = cpu->gpr[sc_gpr[i]];
	sc->rip = cpu->rip;
	sc->eflags = x86_get_rflags(cpu);
	sc->cs = USER_CS;
	sc->ss = USER_SS;
	sc->err = t->err;
	sc->trapno = t->trapno;
	sc->oldmask = saved;
	sc->cr2 = t->cr2;
	sc->fpstate = fp;
	f.uc.uc_sigmask = saved;
	f.info = *info;
	if (guest_write(fp, fx, sizeof fx) || guest_write(at, &f, sizeof f))
		return -EFAULT;

	if ((uint32_t)t->alt.flags & X86_SS_AUTODISARM)
		t->alt = (struct x86_stack){0, X86_SS_DISABLE, 0, 0};
	cpu->gpr[X86_RDI] = (uint64_t)sig;
	cpu->gpr[X86_RAX] = 0; /* for handlers declared without a prototype (varargs) */
	cpu->gpr[X86_RSI] = at + offsetof(struct x86_rt_sigframe, info);
	cpu->gpr[X86_RDX] = at + offsetof(struct x86_rt_sigframe, uc);
	cpu->gpr[X86_RSP] = at;
	cpu->rip = act->handler;
	x86_set_rflags(cpu, sc->eflags & ~(uint64_t)EFLAGS_DF);
	fpu_init(cpu);
	return 0;
}

int sigframe_pop(struct sigthread *t, struct cpu *cpu)
{
	struct x86_rt_sigframe f;
	uint64_t at = cpu->gpr[X86_RSP] - 8; /* the handler's RET took pretcode */
	if (guest_read(&f, at, sizeof f))
		return -EFAULT;
	const struct x86_sigcontext *sc = &f.uc.uc_mcontext;
	uint8_t fx[FPSTATE_SIZE];
	if (sc->fpstate && guest_read(fx, sc->fpstate, sizeof fx))
		return -EFAULT;

	t->mask = f.uc.uc_sigmask & ~SIG_UNCATCHABLE;
	for (int i = 0; i < 16; i++)
		cpu->gpr[sc_gpr[i]] = sc->gpr[i];
	cpu->rip = sc->rip;
	x86_set_rflags(cpu,
		       (x86_get_rflags(cpu) & ~(uint64_t)FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS));
	if (sc->fpstate)
		x86_fxrstor(cpu, fx);
	else
		fpu_init(cpu);
	/* Only a fault reading uc_stack is the frame's; the kernel squashes
	 * sigaltstack's other errors here. */
	sig_altstack(t, &f.uc.uc_stack, NULL, cpu->gpr[X86_RSP]);
	return 0;
}
