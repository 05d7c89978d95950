/* interp_bench — guest instructions per second of the interpreter on an
 * integer loop and an SSE loop, beside native execution (x86-64 hosts).
 * A benchmark, not a test: `make bench-interp` builds and runs it.
 *
 *   interp_bench [ITERATIONS]     (default 20000000)
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "translator/x86/x86.h"

struct loop {
	const char *name;
	const char *hex;   /* the loop body; RCX iterations, ends in dec ecx; jnz */
	unsigned per_iter; /* instructions per iteration */
};

static const struct loop loops[] = {
	/* add rax, rcx; xor rdx, rax; imul rbx, rdx, 3; rol rax, 7;
	 * lea rsi, [rax+rbx*2+5]; mov [rdi], rsi; add rdx, [rdi]; shr rbx, 3;
	 * cmp rax, rdx; setb r8b; dec ecx; jnz */
	{"integer",
	 "4801c84831c2486bda0348c1c007488d74580548893748031748c1eb034839d0410f92c0ffc975d8", 12},
	/* addps xmm0, xmm1; mulps xmm0, xmm2; movaps xmm3, xmm0;
	 * pxor xmm3, xmm1; paddd xmm4, xmm3; movups [rdi], xmm4; dec ecx; jnz */
	{"SSE", "0f58c10f59c20f28d8660fefd9660ffee30f1127ffc975e8", 8},
};

static uint8_t *code;
static uint8_t data[64] __attribute__((aligned(16)));

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Writes the loop, then `tail` (UD2 for the interpreter, RET natively). */
static size_t emit(const struct loop *l, uint8_t tail0, uint8_t tail1)
{
	size_t n = 0;
	for (const char *h = l->hex; h[0] && h[1]; h += 2)
		code[n++] = (uint8_t)strtoul((char[]){h[0], h[1], 0}, NULL, 16);
	code[n] = tail0;
	code[n + 1] = tail1;
	return n;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	x86_host_fault(sig, si, uc);
	signal(sig, SIG_DFL);
}

/* Returns guest instructions per second, 0 if the loop did not run to its
 * end (an instruction without semantics yet). */
static double run_interp(const struct loop *l, unsigned long iters)
{
	struct cpu cpu;
	size_t n = emit(l, 0x0f, 0x0b);
	double t;

	x86_invalidate((uint64_t)(uintptr_t)code, 4096);
	x86_cpu_init(&cpu);
	cpu.rip = (uint64_t)(uintptr_t)code;
	cpu.gpr[X86_RCX] = iters;
	cpu.gpr[X86_RDI] = (uint64_t)(uintptr_t)data;
	for (int i = 0; i < 4; i++) {
		cpu.xmm[1].f32[i] = 1.0f;
		cpu.xmm[2].f32[i] = 1.0f;
	}
	t = now();
	while (x86_run(&cpu) != X86_EXIT_FAULT)
		;
	t = now() - t;
	if (cpu.rip != (uint64_t)(uintptr_t)code + n)
		return 0;
	return (double)iters * l->per_iter / t;
}

#if defined(__x86_64__)
static double run_native(const struct loop *l, unsigned long iters)
{
	double t;
	unsigned long count = iters;
	static const float ones[4] = {1, 1, 1, 1};
	emit(l, 0xc3, 0x90);
	t = now();
	__asm__ volatile("movups %[o], %%xmm1\n\tmovups %[o], %%xmm2\n\tcall *%[f]"
			 : "+c"(count)
			 : [f] "r"(code), "D"(data), [o] "m"(ones)
			 : "rax", "rdx", "rbx", "rsi", "r8", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
			   "memory", "cc");
	t = now() - t;
	return (double)l->per_iter * (double)iters / t;
}
#endif

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000000;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	if (code == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("%-8s %16s %16s %8s\n", "loop", "interp insn/s", "native insn/s", "ratio");
	for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
		const struct loop *l = &loops[i];
		double ip = run_interp(l, iters);
		double nat = 0;
#if defined(__x86_64__)
		nat = run_native(l, iters);
#endif
		if (ip == 0) {
			printf("%-8s %16s\n", l->name, "(not implemented yet)");
			continue;
		}
		if (nat > 0)
			printf("%-8s %16.3e %16.3e %7.1fx\n", l->name, ip, nat, nat / ip);
		else
			printf("%-8s %16.3e %16s\n", l->name, ip, "-");
	}
	return 0;
}
