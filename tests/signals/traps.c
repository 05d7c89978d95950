/* traps.c — SIGFPE (#DE), SIGILL (ud2) and SIGTRAP (int3) delivered to
 * handlers that read the kernel's frame and then edit the ucontext (RIP
 * past the instruction, new register values) and return into it. Also
 * what a handler starts with: the stack alignment, a reset FPU, the
 * frame's flags and selectors, and the caller's SSE state kept. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile long insn_rip;

static void show(const char *what, int sig, const siginfo_t *si, const ucontext_t *uc)
{
	const mcontext_t *m = &uc->uc_mcontext;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	printf("%s: signal %d code %d addr-is-rip %d rip-offset %ld trapno %lld err %lld\n", what,
	       sig, si->si_code, (long)si->si_addr == insn_rip, (long)m->gregs[REG_RIP] - insn_rip,
	       (long long)m->gregs[REG_TRAPNO], (long long)m->gregs[REG_ERR]);
	unsigned short cs = (unsigned short)m->gregs[REG_CSGSFS];
	unsigned short ss = (unsigned short)(m->gregs[REG_CSGSFS] >> 48);
	/* UC_FP_XSTATE (1) follows the CPU's XSAVE, which the emulated CPU
	 * does not have: compared without it. */
	printf("  uc_flags %#lx cs %#x ss %#x fpstate-aligned %d sp-aligned %d link %p\n",
	       uc->uc_flags & ~1ul, cs, ss, ((uintptr_t)m->fpregs & 63) == 0, (sp & 15) == 0,
	       (void *)uc->uc_link);
	printf("  saved mxcsr %#x fcw %#x; handler mxcsr %#x\n", m->fpregs->mxcsr, m->fpregs->cwd,
	       __builtin_ia32_stmxcsr());
}

static void on_fpe(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	show("div by zero", sig, si, uc);
	uc->uc_mcontext.gregs[REG_RIP] += 3; /* div %rcx with REX.W */
	uc->uc_mcontext.gregs[REG_RAX] = 4242;
	uc->uc_mcontext.gregs[REG_RDX] = 17;
}

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	show("ud2", sig, si, uc);
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RBX] = 0x1234567890;
	uc->uc_mcontext.gregs[REG_EFL] |= 1; /* CF */
	uc->uc_mcontext.fpregs->_xmm[3].element[0] = 0xabcdef;
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	show("int3", sig, si, uc);
	uc->uc_mcontext.gregs[REG_R12] = 99;
	/* Clobbers the handler's own SSE registers: the caller's are in the frame. */
	volatile double x = 3.0;
	printf("  handler computes %.3f\n", x / 7.0);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	install(SIGFPE, on_fpe);
	install(SIGILL, on_ill);
	install(SIGTRAP, on_trap);
	__builtin_ia32_ldmxcsr(0x9f80); /* the handler must start with 0x1f80 */

	long rax = 100, rdx = 0, rcx = 0;
	__asm__ volatile("lea 1f(%%rip), %%r8\n\t"
			 "mov %%r8, %3\n"
			 "1:\tdiv %%rcx"
			 : "+a"(rax), "+d"(rdx), "+c"(rcx), "=m"(insn_rip)
			 :
			 : "r8", "memory");
	printf("after div: rax %ld rdx %ld\n", rax, rdx);

	long rbx = 0;
	unsigned char cf;
	double keep;
	__asm__ volatile("movq $0x55, %%rax\n\t"
			 "movq %%rax, %%xmm3\n\t"
			 "clc\n\t"
			 "lea 1f(%%rip), %%r8\n\t"
			 "mov %%r8, %2\n"
			 "1:\tud2\n\t"
			 "setc %1\n\t"
			 "movq %%xmm3, %%rax\n\t"
			 "movq %%rax, %3"
			 : "+b"(rbx), "=r"(cf), "=m"(insn_rip), "=m"(keep)
			 :
			 : "rax", "r8", "xmm3", "memory", "cc");
	uint64_t k;
	memcpy(&k, &keep, 8);
	printf("after ud2: rbx %#lx cf %d xmm3 %#lx\n", rbx, cf, (unsigned long)k);

	register long r12 __asm__("r12") = 1;
	double y = 2.5, z;
	__asm__ volatile("movsd %3, %%xmm7\n\t"
			 "lea 1f(%%rip), %%r8\n\t"
			 "mov %%r8, %1\n\t"
			 "1:\tint3\n\t"
			 "movsd %%xmm7, %2"
			 : "+r"(r12), "=m"(insn_rip), "=m"(z)
			 : "m"(y)
			 : "r8", "xmm7", "memory");
	printf("after int3: r12 %ld xmm7 kept %d mxcsr %#x\n", r12, z == 2.5,
	       __builtin_ia32_stmxcsr());
	return 0;
}
