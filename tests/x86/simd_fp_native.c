/* simd_fp_native — the SSE floating-point core (simd_fp.h) against the
 * x86-64 CPU running the test: every result bit and every MXCSR flag, for
 * edge and random operands, under every rounding mode with and without
 * DAZ, FTZ and a preset PE (which enables the host fast path), and with
 * single exceptions unmasked (SIGFPE on both sides).
 *
 * x86-64 hosts only (it executes the instructions it checks). It also
 * writes a sample of its cases, with the native results, to
 * tests/x86/simd_fp_cases.bin (or argv[1]) for simd_fp_replay, the same
 * check on the aarch64 build. Set SIMD_FP_LONG=1 for 50x more random
 * operands (about a minute), and SIMD_FP_RCP_ALL=1 to check RCPSS/RSQRTSS
 * on all 2^32 operands (about 2 minutes).
 */
#include <immintrin.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "tests/x86/simd_fp_emu.h"
#include "translator/x86/simd_fp.h"

/* ---- the native side ---- */

static sigjmp_buf native_jmp;
static volatile uint32_t native_trap_mxcsr;
static volatile int native_trap;

static void on_sigfpe(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;
	native_trap_mxcsr = u->uc_mcontext.fpregs->mxcsr;
	native_trap = si->si_code;
	siglongjmp(native_jmp, 1);
}

/* Each native op runs one instruction with MXCSR = *mx and returns the low
 * element; *mx gets the MXCSR after it. The host MXCSR is restored. */
#define NATIVE_XX(name, text)                                                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint32_t *mx)                                 \
	{                                                                                          \
		__m128i x = _mm_cvtsi64_si128((long long)a), y = _mm_cvtsi64_si128((long long)b);  \
		uint32_t m = *mx, save;                                                            \
		__asm__ volatile("stmxcsr %[s]\n\tldmxcsr %[m]\n\t" text "\n\t"                    \
				 "stmxcsr %[m]\n\tldmxcsr %[s]"                                    \
				 : [x] "+x"(x), [m] "+m"(m), [s] "=m"(save)                        \
				 : [y] "x"(y));                                                    \
		*mx = m;                                                                           \
		return (uint64_t)_mm_cvtsi128_si64(x);                                             \
	}
/* GPR destination (CVTSS2SI ...) */
#define NATIVE_RX(name, text)                                                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint32_t *mx)                                 \
	{                                                                                          \
		__m128i y = _mm_cvtsi64_si128((long long)a);                                       \
		uint64_t r = b;                                                                    \
		uint32_t m = *mx, save;                                                            \
		__asm__ volatile("stmxcsr %[s]\n\tldmxcsr %[m]\n\t" text "\n\t"                    \
				 "stmxcsr %[m]\n\tldmxcsr %[s]"                                    \
				 : [r] "+r"(r), [m] "+m"(m), [s] "=m"(save)                        \
				 : [y] "x"(y));                                                    \
		*mx = m;                                                                           \
		return r;                                                                          \
	}
/* GPR source (CVTSI2SS ...) */
#define NATIVE_XR(name, text)                                                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint32_t *mx)                                 \
	{                                                                                          \
		__m128i x = _mm_setzero_si128();                                                   \
		uint32_t m = *mx, save;                                                            \
		(void)b;                                                                           \
		__asm__ volatile("stmxcsr %[s]\n\tldmxcsr %[m]\n\t" text "\n\t"                    \
				 "stmxcsr %[m]\n\tldmxcsr %[s]"                                    \
				 : [x] "+x"(x), [m] "+m"(m), [s] "=m"(save)                        \
				 : [r] "r"(a));                                                    \
		*mx = m;                                                                           \
		return (uint64_t)_mm_cvtsi128_si64(x);                                             \
	}
/* RFLAGS destination (COMISS ...): returns ZF PF CF as bits 2 1 0 */
#define NATIVE_FX(name, text)                                                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint32_t *mx)                                 \
	{                                                                                          \
		__m128i x = _mm_cvtsi64_si128((long long)a), y = _mm_cvtsi64_si128((long long)b);  \
		uint32_t m = *mx, save;                                                            \
		uint8_t z, p, c;                                                                   \
		__asm__ volatile(                                                                  \
			"stmxcsr %[s]\n\tldmxcsr %[m]\n\t" text "\n\t"                             \
			"setz %[z]\n\tsetp %[p]\n\tsetc %[c]\n\t"                                  \
			"stmxcsr %[m]\n\tldmxcsr %[s]"                                             \
			: [m] "+m"(m), [s] "=m"(save), [z] "=r"(z), [p] "=r"(p), [c] "=r"(c)       \
			: [x] "x"(x), [y] "x"(y));                                                 \
		*mx = m;                                                                           \
		return (uint64_t)(z << 2 | p << 1 | c);                                            \
	}

// clang-format off
NATIVE_XX(n_addss, "addss %[y], %[x]")
NATIVE_XX(n_subss, "subss %[y], %[x]")
NATIVE_XX(n_mulss, "mulss %[y], %[x]")
NATIVE_XX(n_divss, "divss %[y], %[x]")
NATIVE_XX(n_sqrtss, "sqrtss %[y], %[x]")
NATIVE_XX(n_minss, "minss %[y], %[x]")
NATIVE_XX(n_maxss, "maxss %[y], %[x]")
NATIVE_XX(n_addsd, "addsd %[y], %[x]")
NATIVE_XX(n_subsd, "subsd %[y], %[x]")
NATIVE_XX(n_mulsd, "mulsd %[y], %[x]")
NATIVE_XX(n_divsd, "divsd %[y], %[x]")
NATIVE_XX(n_sqrtsd, "sqrtsd %[y], %[x]")
NATIVE_XX(n_minsd, "minsd %[y], %[x]")
NATIVE_XX(n_maxsd, "maxsd %[y], %[x]")
NATIVE_XX(n_cvtss2sd, "cvtss2sd %[y], %[x]")
NATIVE_XX(n_cvtsd2ss, "cvtsd2ss %[y], %[x]")
NATIVE_XX(n_rcpss, "rcpss %[y], %[x]")
NATIVE_XX(n_rsqrtss, "rsqrtss %[y], %[x]")
NATIVE_RX(n_cvtss2si32, "cvtss2si %[y], %k[r]")
NATIVE_RX(n_cvtss2si64, "cvtss2si %[y], %q[r]")
NATIVE_RX(n_cvttss2si32, "cvttss2si %[y], %k[r]")
NATIVE_RX(n_cvttss2si64, "cvttss2si %[y], %q[r]")
NATIVE_RX(n_cvtsd2si32, "cvtsd2si %[y], %k[r]")
NATIVE_RX(n_cvtsd2si64, "cvtsd2si %[y], %q[r]")
NATIVE_RX(n_cvttsd2si32, "cvttsd2si %[y], %k[r]")
NATIVE_RX(n_cvttsd2si64, "cvttsd2si %[y], %q[r]")
NATIVE_XR(n_cvtsi2ss32, "cvtsi2ss %k[r], %[x]")
NATIVE_XR(n_cvtsi2ss64, "cvtsi2ss %q[r], %[x]")
NATIVE_XR(n_cvtsi2sd64, "cvtsi2sd %q[r], %[x]")
NATIVE_FX(n_comiss, "comiss %[y], %[x]")
NATIVE_FX(n_ucomiss, "ucomiss %[y], %[x]")
NATIVE_FX(n_comisd, "comisd %[y], %[x]")
NATIVE_FX(n_ucomisd, "ucomisd %[y], %[x]")
#define ROUND(n) NATIVE_XX(n_roundss##n, "roundss $" #n ", %[y], %[x]") \
		 NATIVE_XX(n_roundsd##n, "roundsd $" #n ", %[y], %[x]")
ROUND(0) ROUND(1) ROUND(2) ROUND(3) ROUND(4) ROUND(8) ROUND(9) ROUND(10) ROUND(11) ROUND(12)
#define CMP(n) NATIVE_XX(n_cmpss##n, "vcmpss $" #n ", %[y], %[x], %[x]") \
	       NATIVE_XX(n_cmpsd##n, "vcmpsd $" #n ", %[y], %[x], %[x]")
CMP(0) CMP(1) CMP(2) CMP(3) CMP(4) CMP(5) CMP(6) CMP(7) CMP(8) CMP(9) CMP(10) CMP(11) CMP(12)
CMP(13) CMP(14) CMP(15) CMP(16) CMP(17) CMP(18) CMP(19) CMP(20) CMP(21) CMP(22) CMP(23)
CMP(24) CMP(25) CMP(26) CMP(27) CMP(28) CMP(29) CMP(30) CMP(31)
// clang-format on

/* ---- the cases ---- */

#define X(name, kind) n_##name,
					static uint64_t (*const native_ops[SIMD_FP_NOPS])(
						uint64_t, uint64_t,
						uint32_t *) = {SIMD_FP_TEST_OPS(X)};
#undef X

static const uint32_t edge32[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000,
	0x00800000, 0x80800000, 0x00800001, 0x7f7fffff, 0xff7fffff, 0x7f000000, 0x3f800000,
	0xbf800000, 0x3f800001, 0x3fffffff, 0x40400000, 0x3dcccccd, 0x3f000000, 0x3fc00000,
	0x40200000, 0xbfc00000, 0x4b000000, 0x4b7fffff, 0x4f000000, 0xcf000000, 0x5f000000,
	0xdf000000, 0x4effffff, 0xdf000001, 0x1f800000, 0x20000000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fc12345, 0xffc00001, 0x7f800001, 0xff812345, 0x7fa00000,
	0x7fbfffff, 0x34000000, 0x33ffffff, 0x0c000000, 0x1a000000,
	/* halves on both sides of even and odd integers (rounding to nearest even) */
	0x40600000, 0xc0200000, 0x4e7fffff, 0xcb7fffff,
};
static const uint64_t edge64[] = {
	0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x8000000000000001,
	0x000fffffffffffff, 0x800fffffffffffff, 0x0008000000000000, 0x0010000000000000,
	0x8010000000000000, 0x0010000000000001, 0x7fefffffffffffff, 0xffefffffffffffff,
	0x7fe0000000000000, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000001,
	0x3fffffffffffffff, 0x4008000000000000, 0x3fb999999999999a, 0x3fe0000000000000,
	0x3ff8000000000000, 0x4004000000000000, 0xbff8000000000000, 0x4330000000000000,
	0x433fffffffffffff, 0x41e0000000000000, 0xc1e0000000000000, 0x41dfffffffc00000,
	0xc1e0000000100000, 0xc1e00000001fffff, 0x41dfffffffffffff, 0x43e0000000000000,
	0xc3e0000000000000, 0x43dfffffffffffff, 0xc3e0000000000001, 0x1ff0000000000000,
	0x2000000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
	0xfff8000000000000, 0x7ff8000012345678, 0xfff8000000000001, 0x7ff0000000000001,
	0xfff0000012345678, 0x7ff4000000000000, 0x7ff7ffffffffffff, 0x47efffffe0000000,
	0x47efffff00000000, 0x47f0000000000000, 0x3810000000000000, 0x380fffffffffffff,
	0x36a0000000000000, 0x369fffffffffffff, 0x3690000000000000, 0x3ca0000000000000,
	0x3cb0000000000000, 0x7fd0000000000000, 0x0020000000000000,
	/* 3.5, -2.5, +-(2^31 - 0.5), below and at 2^62 (the conversions' fast-path bounds) */
	0x400c000000000000, 0xc004000000000000, 0x41dfffffffe00000, 0xc1dfffffffe00000,
	0x43cfffffffffffff, 0x43d0000000000000, 0xc3d0000000000000,
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A random operand: arbitrary bits, or an edge value nudged, or an
 * exponent near the range ends so that results under/overflow. */
static uint64_t rnd_operand(enum simd_fp_kind k)
{
	uint64_t r = rnd(), sel = rnd() % 8;
	switch (k) {
	case K_F32:
		if (sel == 0)
			return edge32[r % (sizeof edge32 / 4)] + (rnd() % 5) - 2;
		if (sel <= 2) /* exponent 0..31 or 223..254 */
			return (r & 0x807fffff) | (uint64_t)((r >> 32) % 32 + (sel == 1 ? 0 : 223))
							  << 23;
		if (sel == 3) /* near one */
			return (r & 0x800fffff) | 0x3f700000;
		return (uint32_t)r;
	case K_F64:
		if (sel == 0)
			return edge64[r % (sizeof edge64 / 8)] + (rnd() % 5) - 2;
		if (sel <= 2)
			return (r & 0x800fffffffffffff) | ((r >> 52) % 64 + (sel == 1 ? 0 : 1983) +
							   (sel == 1 && r % 3 == 0 ? 832 : 0))
								  << 52;
		if (sel == 3)
			return (r & 0x8001ffffffffffff) | 0x3fe0000000000000;
		return r;
	case K_I32:
		return sel == 0	  ? (uint32_t)(int32_t)(int8_t)r
		       : sel == 1 ? (uint32_t)r >> (r % 32)
				  : (uint32_t)r;
	default: return sel == 0 ? (uint64_t)(int8_t)r : sel == 1 ? r >> (r % 64) : r;
	}
}

static unsigned long cases, failures, op_failures[SIMD_FP_NOPS];
static FILE *record;
static unsigned long record_every = 97;

static void check(unsigned op, uint32_t mx, uint64_t a, uint64_t b)
{
	struct simd_fp_case n = {op, mx, a, b, 0, mx, 0}, e = n;

	native_trap = 0;
	if (sigsetjmp(native_jmp, 0) == 0) {
		n.result = native_ops[op](a, b, &n.mxcsr_after);
	} else {
		n.trap = native_trap;
		n.mxcsr_after = native_trap_mxcsr;
	}
	simd_fp_emu(&e);

	if (record && cases % record_every == 0 && fwrite(&n, sizeof n, 1, record) != 1) {
		perror("simd_fp_native: writing the record");
		exit(99);
	}
	cases++;
	if (memcmp(&n, &e, sizeof n)) {
		failures++;
		if (op_failures[op]++ < 4)
			printf("FAIL %-12s mxcsr %04x a %016" PRIx64 " b %016" PRIx64
			       ": native %016" PRIx64 " mxcsr %04x trap %d, emulated %016" PRIx64
			       " mxcsr %04x trap %d\n",
			       simd_fp_op_names[op], mx, a, b, n.result, n.mxcsr_after, n.trap,
			       e.result, e.mxcsr_after, e.trap);
	}
}

static void edge_pairs(unsigned op, uint32_t mx)
{
	switch (simd_fp_op_kinds[op]) {
	case K_F32:
		for (size_t i = 0; i < sizeof edge32 / 4; i++)
			for (size_t j = 0; j < sizeof edge32 / 4; j++)
				check(op, mx, edge32[i] | 0x1234567800000000ull, edge32[j]);
		break;
	case K_F64:
		for (size_t i = 0; i < sizeof edge64 / 8; i++)
			for (size_t j = 0; j < sizeof edge64 / 8; j++)
				check(op, mx, edge64[i], edge64[j]);
		break;
	default: {
		static const int64_t ints[] = {0,
					       1,
					       -1,
					       2,
					       3,
					       0x7fffffff,
					       -0x7fffffff - 1,
					       0xffffff,
					       0x1000001,
					       0x1000003,
					       -0x1000003,
					       INT64_MAX,
					       INT64_MIN,
					       0x20000000000001,
					       0x20000000000003,
					       -0x20000000000003};
		for (size_t i = 0; i < sizeof ints / 8; i++)
			check(op, mx, (uint64_t)ints[i], 0);
	}
	}
}

static unsigned op_index(const char *name)
{
	for (unsigned o = 0; o < SIMD_FP_NOPS; o++)
		if (!strcmp(simd_fp_op_names[o], name))
			return o;
	abort();
}

/* RCPSS/RSQRTSS ignore MXCSR: check them over a range of operands. */
static void rcp_sweep(uint64_t step)
{
	unsigned rcp = op_index("rcpss"), rsqrt = op_index("rsqrtss");
	for (uint64_t x = 0; x < 1ull << 32; x += step) {
		check(rcp, 0x1f80, 0, x);
		check(rsqrt, 0x1f80, 0, x);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_sigaction = on_sigfpe, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGFPE, &sa, NULL);
	unsigned long random_pairs = getenv("SIMD_FP_LONG") ? 100000 : 2000;
	/* where the cases for simd_fp_replay go (the aarch64 build's check) */
	const char *path = argc > 1 ? argv[1] : "tests/x86/simd_fp_cases.bin";
	if (!(record = fopen(path, "wb"))) {
		perror(path);
		return 99;
	}
	if (random_pairs > 2000)
		record_every *= 50;

	/* all masked: RC x DAZ x FTZ x preset PE */
	for (uint32_t c = 0; c < 32; c++) {
		uint32_t mx = 0x1f80 | (c & 3) << MXCSR_RC_SHIFT | (c & 4 ? MXCSR_DAZ : 0) |
			      (c & 8 ? MXCSR_FTZ : 0) | (c & 16 ? MXCSR_PE : 0);
		for (unsigned o = 0; o < SIMD_FP_NOPS; o++) {
			edge_pairs(o, mx);
			for (unsigned long i = 0; i < random_pairs; i++)
				check(o, mx, rnd_operand(simd_fp_op_kinds[o]),
				      rnd_operand(simd_fp_op_kinds[o]));
		}
	}
	/* one exception unmasked at a time, with and without FTZ/DAZ */
	for (uint32_t c = 0; c < 24; c++) {
		uint32_t mx = (0x1f80 & ~(0x80u << (c % 6))) | (c / 6 & 1 ? MXCSR_FTZ : 0) |
			      (c / 12 ? MXCSR_DAZ : 0);
		for (unsigned o = 0; o < SIMD_FP_NOPS; o++) {
			edge_pairs(o, mx);
			for (unsigned long i = 0; i < random_pairs / 4; i++)
				check(o, mx, rnd_operand(simd_fp_op_kinds[o]),
				      rnd_operand(simd_fp_op_kinds[o]));
		}
	}
	record_every = 4099;
	rcp_sweep(getenv("SIMD_FP_RCP_ALL") ? 1 : 4099);

	if (fclose(record)) {
		perror(path);
		return 99;
	}
	for (unsigned o = 0; o < SIMD_FP_NOPS; o++)
		if (op_failures[o])
			printf("%-12s %lu failures\n", simd_fp_op_names[o], op_failures[o]);
	printf("simd_fp_native: %lu cases, %lu failures\n", cases, failures);
	return failures != 0;
}
