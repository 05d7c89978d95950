/* bench_sse — the interpreter's speed on SSE code, in guest instructions
 * per second, beside native execution (x86-64 hosts). A benchmark, not a
 * test: `tests/bench/bench_sse [ITERATIONS]` (default 2,000,000 per loop;
 * native runs 50 times as many).
 *
 * Two loops over a 4 KiB buffer: packed single precision (a saxpy-like
 * kernel), and scalar double with integer SIMD (what compiled C does most).
 * They start with MXCSR at its reset value, so the first inexact result
 * takes the exact software path and the rest the host fast path.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "translator/x86/x86.h"

struct loop {
	const char *name;
	unsigned insns; /* per iteration */
	unsigned len;
	uint8_t code[96];  /* ends with UD2 */
	uint64_t scale[2]; /* XMM2 */
};

// clang-format off
static const struct loop loops[] = {
	{"packed single", 10, 38, {
		0x0f, 0x28, 0x0c, 0x0e,			/* movaps xmm1, [rsi+rcx] */
		0x0f, 0x59, 0xca,			/* mulps xmm1, xmm2 */
		0x0f, 0x58, 0xc1,			/* addps xmm0, xmm1 */
		0x0f, 0x28, 0x1c, 0x0f,			/* movaps xmm3, [rdi+rcx] */
		0x0f, 0x5f, 0xd8,			/* maxps xmm3, xmm0 */
		0x0f, 0x29, 0x1c, 0x0f,			/* movaps [rdi+rcx], xmm3 */
		0x48, 0x83, 0xc1, 0x10,			/* add rcx, 16 */
		0x81, 0xe1, 0xf0, 0x0f, 0x00, 0x00,	/* and ecx, 0xff0 */
		0x48, 0xff, 0xca,			/* dec rdx */
		0x75, 0xdc,				/* jnz loop */
		0x0f, 0x0b,				/* ud2 */
	}, {0x3e8000003f000000, 0x3f4000003e000000}},	/* 0.5 0.25 0.125 0.75 */
	{"scalar double + integer SIMD", 12, 52, {
		0xf2, 0x0f, 0x10, 0x0c, 0x0e,		/* movsd xmm1, [rsi+rcx] */
		0xf2, 0x0f, 0x59, 0xca,			/* mulsd xmm1, xmm2 */
		0xf2, 0x0f, 0x58, 0xc1,			/* addsd xmm0, xmm1 */
		0xf2, 0x0f, 0x2c, 0xc0,			/* cvttsd2si eax, xmm0 */
		0x66, 0x0f, 0x70, 0xe3, 0x1b,		/* pshufd xmm4, xmm3, 0x1b */
		0x66, 0x0f, 0xfe, 0xdc,			/* paddd xmm3, xmm4 */
		0x66, 0x0f, 0x74, 0xeb,			/* pcmpeqb xmm5, xmm3 */
		0x66, 0x44, 0x0f, 0xd7, 0xc5,		/* pmovmskb r8d, xmm5 */
		0x48, 0x83, 0xc1, 0x08,			/* add rcx, 8 */
		0x81, 0xe1, 0xf8, 0x0f, 0x00, 0x00,	/* and ecx, 0xff8 */
		0x48, 0xff, 0xca,			/* dec rdx */
		0x75, 0xce,				/* jnz loop */
		0x0f, 0x0b,				/* ud2 */
	}, {0x3fe0000000000000, 0}},			/* 0.5 */
};
// clang-format on

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The loop's buffers, refilled before each run so that both runs see the
 * same numbers. */
static float src[1024] __attribute__((aligned(16))), dst[1024] __attribute__((aligned(16)));

static void fill(void)
{
	for (unsigned i = 0; i < 1024; i++) {
		src[i] = 1.0f + (float)i / 1024;
		dst[i] = 2.0f - (float)i / 2048;
	}
}

static double run_interp(const uint8_t *code, const struct loop *l, uint64_t iters)
{
	struct cpu cpu;
	x86_cpu_init(&cpu);
	cpu.rip = (uint64_t)(uintptr_t)code;
	cpu.gpr[X86_RSI] = (uint64_t)(uintptr_t)src;
	cpu.gpr[X86_RDI] = (uint64_t)(uintptr_t)dst;
	cpu.gpr[X86_RDX] = iters;
	memcpy(&cpu.xmm[2], l->scale, 16);
	double t0 = now();
	int rc = x86_run(&cpu);
	double t = now() - t0;
	if (rc != X86_EXIT_FAULT || cpu.fault.signo != X86_SIGILL || cpu.gpr[X86_RDX] != 0) {
		fprintf(stderr,
			"bench_sse: %s: the interpreter stopped early (exit %d, signal %d)\n",
			l->name, rc, cpu.fault.signo);
		exit(1);
	}
	return t;
}

#if defined(__x86_64__)
typedef float v4sf __attribute__((vector_size(16)));

/* The same code, called natively: UD2 becomes RET; the arguments land in
 * RDI RSI RDX RCX and XMM0 XMM1 XMM2 as the loop wants them. */
static double run_native(uint8_t *code, const struct loop *l, uint64_t iters)
{
	v4sf zero = {0, 0, 0, 0}, scale;
	memcpy(&scale, l->scale, 16);
	memset(code + l->len - 2, 0xc3, 2); /* ret */
	void (*fn)(float *, float *, uint64_t, uint64_t, v4sf, v4sf, v4sf) =
		(void (*)(float *, float *, uint64_t, uint64_t, v4sf, v4sf, v4sf))(uintptr_t)code;
	double t0 = now();
	fn(dst, src, iters, 0, zero, zero, scale);
	return now() - t0;
}
#endif

int main(int argc, char **argv)
{
	uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000;
	uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED || !iters) {
		fprintf(stderr, "usage: bench_sse [ITERATIONS > 0] (mmap: %s)\n",
			code == MAP_FAILED ? "failed" : "ok");
		return 2;
	}
	for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
		const struct loop *l = &loops[i];
		double insns = (double)iters * l->insns;
		memcpy(code, l->code, l->len);
		fill();
		double ti = run_interp(code, l, iters);
		printf("%-30s interpreter %8.1f M guest insns/s", l->name, insns / ti / 1e6);
#if defined(__x86_64__)
		fill();
		double tn = run_native(code, l, iters * 50);
		printf("   native %8.1f M insns/s   (native/interpreter %.0fx)",
		       insns * 50 / tn / 1e6, (insns * 50 / tn) / (insns / ti));
#endif
		printf("\n");
	}
	munmap(code, 4096);
	return 0;
}
