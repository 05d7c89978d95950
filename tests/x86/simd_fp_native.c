/* simd_fp_native — the SSE floating-point core (simd_fp.h) against the
 * x86-64 CPU running the test: every result bit and every MXCSR flag, for
 * edge and random operands, under every rounding mode with and without
 * DAZ, FTZ and a preset PE (which enables the host fast path), and with
 * single exceptions unmasked (SIGFPE on both sides).
 *
 * x86-64 hosts only (it executes the instructions it checks). Set
 * SIMD_FP_LONG=1 for 50x more random operands (about a minute), and
 * SIMD_FP_RCP_ALL=1 to check RCPSS/RSQRTSS on all 2^32 operands
 * (about 2 minutes).
 */
#include <immintrin.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "translator/x86/simd_fp.h"

/* ---- the native side ---- */

static sigjmp_buf native_jmp;
static volatile uint32_t native_trap_mxcsr;

static void on_sigfpe(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;
	native_trap_mxcsr = u->uc_mcontext.fpregs->mxcsr;
	siglongjmp(native_jmp, si->si_code);
}

/* Each native op runs one instruction with MXCSR = *mx and returns the low
 * element; *mx gets the MXCSR after it. The host MXCSR is restored. */
#define NATIVE_XX(name, text)                                                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint32_t *mx)                                 \
	{                                                                                          \
		__m128i x = _mm_cvtsi64_si128((long long)a), y = _mm_cvtsi64_si128((long long)b); \
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
		__m128i x = _mm_cvtsi64_si128((long long)a), y = _mm_cvtsi64_si128((long long)b); \
		uint32_t m = *mx, save;                                                            \
		uint8_t z, p, c;                                                                   \
		__asm__ volatile("stmxcsr %[s]\n\tldmxcsr %[m]\n\t" text "\n\t"                    \
				 "setz %[z]\n\tsetp %[p]\n\tsetc %[c]\n\t"                         \
				 "stmxcsr %[m]\n\tldmxcsr %[s]"                                    \
				 : [m] "+m"(m), [s] "=m"(save), [z] "=r"(z), [p] "=r"(p),         \
				   [c] "=r"(c)                                                     \
				 : [x] "x"(x), [y] "x"(y));                                        \
		*mx = m;                                                                           \
		return (uint64_t)(z << 2 | p << 1 | c);                                            \
	}

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

/* ---- the emulated side: one lane, as sem_sse.h computes it ---- */

static struct cpu emu_cpu;
static sigjmp_buf emu_jmp;

_Noreturn void x86_raise(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno)
{
	(void)cpu, (void)signo, (void)addr, (void)trapno;
	siglongjmp(emu_jmp, code);
}

static struct simd_fpenv env(uint32_t mx)
{
	emu_cpu.mxcsr = mx;
	return simd_fpenv(&emu_cpu);
}

#define EMU_ARITH(name, dbl, op)                                                                   \
	static uint64_t name(struct simd_fpenv *e, uint64_t a, uint64_t b)                         \
	{                                                                                          \
		return simd_arith(e, dbl, op, a, b);                                               \
	}
EMU_ARITH(e_addss, 0, SIMD_ADD)
EMU_ARITH(e_subss, 0, SIMD_SUB)
EMU_ARITH(e_mulss, 0, SIMD_MUL)
EMU_ARITH(e_divss, 0, SIMD_DIV)
EMU_ARITH(e_addsd, 1, SIMD_ADD)
EMU_ARITH(e_subsd, 1, SIMD_SUB)
EMU_ARITH(e_mulsd, 1, SIMD_MUL)
EMU_ARITH(e_divsd, 1, SIMD_DIV)
static uint64_t e_sqrtss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_sqrt(e, 0, b);
}
static uint64_t e_sqrtsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_sqrt(e, 1, b);
}
static uint64_t e_minss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 0, a, b, false);
}
static uint64_t e_maxss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 0, a, b, true);
}
static uint64_t e_minsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 1, a, b, false);
}
static uint64_t e_maxsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 1, a, b, true);
}
static uint64_t e_cvtss2sd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_f2f(e, 1, (uint32_t)b);
}
static uint64_t e_cvtsd2ss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_f2f(e, 0, b) | (a & ~0xffffffffull);
}
static uint64_t e_rcpss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_rcp32((uint32_t)b) | (a & ~0xffffffffull);
}
static uint64_t e_rsqrtss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_rsqrt32((uint32_t)b) | (a & ~0xffffffffull);
}
#define EMU_F2I(name, dbl, size, trunc)                                                            \
	static uint64_t name(struct simd_fpenv *e, uint64_t a, uint64_t b)                         \
	{                                                                                          \
		if (trunc)                                                                         \
			e->ctl |= MXCSR_RC;                                                        \
		uint64_t r = simd_cvt_f2i(e, dbl, size, dbl ? a : (uint32_t)a);                    \
		return size == 4 ? (uint32_t)r : r;                                                \
	}
EMU_F2I(e_cvtss2si32, 0, 4, 0)
EMU_F2I(e_cvtss2si64, 0, 8, 0)
EMU_F2I(e_cvttss2si32, 0, 4, 1)
EMU_F2I(e_cvttss2si64, 0, 8, 1)
EMU_F2I(e_cvtsd2si32, 1, 4, 0)
EMU_F2I(e_cvtsd2si64, 1, 8, 0)
EMU_F2I(e_cvttsd2si32, 1, 4, 1)
EMU_F2I(e_cvttsd2si64, 1, 8, 1)
static uint64_t e_cvtsi2ss32(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 0, (int32_t)a);
}
static uint64_t e_cvtsi2ss64(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 0, (int64_t)a);
}
static uint64_t e_cvtsi2sd64(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 1, (int64_t)a);
}
static uint64_t comi(struct simd_fpenv *e, int dbl, uint64_t a, uint64_t b, bool sig)
{
	static const uint8_t zpc[] = {[SIMD_LT] = 1, [SIMD_EQ] = 4, [SIMD_GT] = 0, [SIMD_UN] = 7};
	return zpc[simd_fcmp(e, dbl, dbl ? a : (uint32_t)a, dbl ? b : (uint32_t)b, sig)];
}
static uint64_t e_comiss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 0, a, b, true);
}
static uint64_t e_ucomiss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 0, a, b, false);
}
static uint64_t e_comisd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 1, a, b, true);
}
static uint64_t e_ucomisd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 1, a, b, false);
}
#define EMU_ROUND(n)                                                                               \
	static uint64_t e_roundss##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                 \
	{                                                                                          \
		unsigned rc = (n & 4) ? (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT : (n & 3);          \
		return simd_round_int(e, 0, (uint32_t)b, rc, n & 8) | (a & ~0xffffffffull);        \
	}                                                                                          \
	static uint64_t e_roundsd##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                 \
	{                                                                                          \
		unsigned rc = (n & 4) ? (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT : (n & 3);          \
		return simd_round_int(e, 1, b, rc, n & 8);                                         \
	}
EMU_ROUND(0) EMU_ROUND(1) EMU_ROUND(2) EMU_ROUND(3) EMU_ROUND(4) EMU_ROUND(8) EMU_ROUND(9)
EMU_ROUND(10) EMU_ROUND(11) EMU_ROUND(12)

#define EMU_CMP(n)                                                                                 \
	static uint64_t e_cmpss##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                   \
	{                                                                                          \
		return (simd_fcmp_pred(e, 0, (uint32_t)a, (uint32_t)b, n) ? 0xffffffffu : 0) |           \
		       (a & ~0xffffffffull);                                                       \
	}                                                                                          \
	static uint64_t e_cmpsd##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                   \
	{                                                                                          \
		return simd_fcmp_pred(e, 1, a, b, n) ? ~0ull : 0;                                        \
	}
EMU_CMP(0) EMU_CMP(1) EMU_CMP(2) EMU_CMP(3) EMU_CMP(4) EMU_CMP(5) EMU_CMP(6) EMU_CMP(7)
EMU_CMP(8) EMU_CMP(9) EMU_CMP(10) EMU_CMP(11) EMU_CMP(12) EMU_CMP(13) EMU_CMP(14) EMU_CMP(15)
EMU_CMP(16) EMU_CMP(17) EMU_CMP(18) EMU_CMP(19) EMU_CMP(20) EMU_CMP(21) EMU_CMP(22) EMU_CMP(23)
EMU_CMP(24) EMU_CMP(25) EMU_CMP(26) EMU_CMP(27) EMU_CMP(28) EMU_CMP(29) EMU_CMP(30) EMU_CMP(31)

/* scalar single ops keep the destination's bits 32-63 */
#define KEEP_HI32(name)                                                                            \
	static uint64_t name##_k(struct simd_fpenv *e, uint64_t a, uint64_t b)                     \
	{                                                                                          \
		return name(e, (uint32_t)a, (uint32_t)b) | (a & ~0xffffffffull);                   \
	}
KEEP_HI32(e_addss) KEEP_HI32(e_subss) KEEP_HI32(e_mulss) KEEP_HI32(e_divss)
KEEP_HI32(e_sqrtss) KEEP_HI32(e_minss) KEEP_HI32(e_maxss)

/* ---- the cases ---- */

enum kind { K_F32, K_F64, K_I32, K_I64 }; /* what the operands are */

struct op {
	const char *name;
	uint64_t (*native)(uint64_t, uint64_t, uint32_t *);
	uint64_t (*emu)(struct simd_fpenv *, uint64_t, uint64_t);
	enum kind kind;
};

#define OP(n, k) {#n, n_##n, e_##n, k}
#define OPK(n, k) {#n, n_##n, e_##n##_k, k}
#define ROUND_OPS(n) OP(roundss##n, K_F32), OP(roundsd##n, K_F64)
#define CMP_OPS(n) OP(cmpss##n, K_F32), OP(cmpsd##n, K_F64)
static const struct op ops[] = {
	OPK(addss, K_F32), OPK(subss, K_F32), OPK(mulss, K_F32), OPK(divss, K_F32),
	OPK(sqrtss, K_F32), OPK(minss, K_F32), OPK(maxss, K_F32),
	OP(addsd, K_F64), OP(subsd, K_F64), OP(mulsd, K_F64), OP(divsd, K_F64),
	OP(sqrtsd, K_F64), OP(minsd, K_F64), OP(maxsd, K_F64),
	OP(cvtss2sd, K_F32), OP(cvtsd2ss, K_F64), OP(rcpss, K_F32), OP(rsqrtss, K_F32),
	OP(cvtss2si32, K_F32), OP(cvtss2si64, K_F32), OP(cvttss2si32, K_F32),
	OP(cvttss2si64, K_F32), OP(cvtsd2si32, K_F64), OP(cvtsd2si64, K_F64),
	OP(cvttsd2si32, K_F64), OP(cvttsd2si64, K_F64),
	OP(cvtsi2ss32, K_I32), OP(cvtsi2ss64, K_I64), OP(cvtsi2sd64, K_I64),
	OP(comiss, K_F32), OP(ucomiss, K_F32), OP(comisd, K_F64), OP(ucomisd, K_F64),
	ROUND_OPS(0), ROUND_OPS(1), ROUND_OPS(2), ROUND_OPS(3), ROUND_OPS(4), ROUND_OPS(8),
	ROUND_OPS(9), ROUND_OPS(10), ROUND_OPS(11), ROUND_OPS(12),
	CMP_OPS(0), CMP_OPS(1), CMP_OPS(2), CMP_OPS(3), CMP_OPS(4), CMP_OPS(5), CMP_OPS(6),
	CMP_OPS(7), CMP_OPS(8), CMP_OPS(9), CMP_OPS(10), CMP_OPS(11), CMP_OPS(12), CMP_OPS(13),
	CMP_OPS(14), CMP_OPS(15), CMP_OPS(16), CMP_OPS(17), CMP_OPS(18), CMP_OPS(19),
	CMP_OPS(20), CMP_OPS(21), CMP_OPS(22), CMP_OPS(23), CMP_OPS(24), CMP_OPS(25),
	CMP_OPS(26), CMP_OPS(27), CMP_OPS(28), CMP_OPS(29), CMP_OPS(30), CMP_OPS(31),
};

static const uint32_t edge32[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000,
	0x00800000, 0x80800000, 0x00800001, 0x7f7fffff, 0xff7fffff, 0x7f000000, 0x3f800000,
	0xbf800000, 0x3f800001, 0x3fffffff, 0x40400000, 0x3dcccccd, 0x3f000000, 0x3fc00000,
	0x40200000, 0xbfc00000, 0x4b000000, 0x4b7fffff, 0x4f000000, 0xcf000000, 0x5f000000,
	0xdf000000, 0x4effffff, 0xdf000001, 0x1f800000, 0x20000000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fc12345, 0xffc00001, 0x7f800001, 0xff812345, 0x7fa00000,
	0x7fbfffff, 0x34000000, 0x33ffffff, 0x0c000000, 0x1a000000,
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
static uint64_t rnd_operand(enum kind k)
{
	uint64_t r = rnd(), sel = rnd() % 8;
	switch (k) {
	case K_F32:
		if (sel == 0)
			return edge32[r % (sizeof edge32 / 4)] + (rnd() % 5) - 2;
		if (sel <= 2) /* exponent 0..31 or 223..254 */
			return (r & 0x807fffff) | (uint64_t)((r >> 32) % 32 + (sel == 1 ? 0 : 223)) << 23;
		if (sel == 3) /* near one */
			return (r & 0x800fffff) | 0x3f700000;
		return (uint32_t)r;
	case K_F64:
		if (sel == 0)
			return edge64[r % (sizeof edge64 / 8)] + (rnd() % 5) - 2;
		if (sel <= 2)
			return (r & 0x800fffffffffffff) |
			       ((r >> 52) % 64 + (sel == 1 ? 0 : 1983) + (sel == 1 && r % 3 == 0 ? 832 : 0)) << 52;
		if (sel == 3)
			return (r & 0x8001ffffffffffff) | 0x3fe0000000000000;
		return r;
	case K_I32:
		return sel == 0 ? (uint32_t)(int32_t)(int8_t)r : sel == 1 ? (uint32_t)r >> (r % 32) : (uint32_t)r;
	default:
		return sel == 0 ? (uint64_t)(int8_t)r : sel == 1 ? r >> (r % 64) : r;
	}
}

static unsigned long cases, failures, op_failures[sizeof ops / sizeof ops[0]];

static void check(const struct op *op, uint32_t mx, uint64_t a, uint64_t b)
{
	uint32_t nmx = mx, emx;
	volatile uint64_t nr = 0, er = 0;
	int ntrap, etrap;
	cases++;

	native_trap_mxcsr = 0;
	if (!(ntrap = sigsetjmp(native_jmp, 0)))
		nr = op->native(a, b, &nmx);
	else
		nmx = native_trap_mxcsr;

	struct simd_fpenv e = env(mx);
	if (!(etrap = sigsetjmp(emu_jmp, 0))) {
		er = op->emu(&e, a, b);
		simd_fp_commit(&emu_cpu, &e);
	}
	emx = emu_cpu.mxcsr;

	if (ntrap != etrap || nmx != emx || (!ntrap && nr != er)) {
		failures++;
		if (op_failures[op - ops]++ < 4)
			printf("FAIL %-12s mxcsr %04x a %016" PRIx64 " b %016" PRIx64
			       ": native %016" PRIx64 " mxcsr %04x trap %d, emulated %016" PRIx64
			       " mxcsr %04x trap %d\n",
			       op->name, mx, a, b, nr, nmx, ntrap, er, emx, etrap);
	}
}

static void edge_pairs(const struct op *op, uint32_t mx)
{
	switch (op->kind) {
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
		static const int64_t ints[] = {0, 1, -1, 2, 3, 0x7fffffff, -0x7fffffff - 1, 0xffffff,
					       0x1000001, 0x1000003, -0x1000003, INT64_MAX, INT64_MIN,
					       0x20000000000001, 0x20000000000003, -0x20000000000003};
		for (size_t i = 0; i < sizeof ints / 8; i++)
			check(op, mx, (uint64_t)ints[i], 0);
	}
	}
}

/* RCPSS/RSQRTSS are MXCSR-independent: check them over a range of operands. */
static void rcp_sweep(uint64_t step)
{
	for (uint64_t x = 0; x < 1ull << 32; x += step) {
		check(&ops[16], 0x1f80, 0, x);
		check(&ops[17], 0x1f80, 0, x);
	}
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigfpe, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGFPE, &sa, NULL);
	unsigned long random_pairs = getenv("SIMD_FP_LONG") ? 100000 : 2000;

	/* all masked: RC x DAZ x FTZ x preset PE (and preset other flags) */
	for (uint32_t c = 0; c < 32; c++) {
		uint32_t mx = 0x1f80 | (c & 3) << MXCSR_RC_SHIFT | (c & 4 ? MXCSR_DAZ : 0) |
			      (c & 8 ? MXCSR_FTZ : 0) | (c & 16 ? MXCSR_PE : 0);
		for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
			edge_pairs(&ops[o], mx);
			for (unsigned long i = 0; i < random_pairs; i++)
				check(&ops[o], mx, rnd_operand(ops[o].kind), rnd_operand(ops[o].kind));
		}
	}
	/* one exception unmasked at a time, with and without FTZ/DAZ */
	for (uint32_t c = 0; c < 24; c++) {
		uint32_t mx = (0x1f80 & ~(0x80u << (c % 6))) | (c / 6 & 1 ? MXCSR_FTZ : 0) |
			      (c / 12 ? MXCSR_DAZ : 0);
		for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
			edge_pairs(&ops[o], mx);
			for (unsigned long i = 0; i < random_pairs / 4; i++)
				check(&ops[o], mx, rnd_operand(ops[o].kind), rnd_operand(ops[o].kind));
		}
	}
	rcp_sweep(getenv("SIMD_FP_RCP_ALL") ? 1 : 4099);

	for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
		if (op_failures[o])
			printf("%-12s %lu failures\n", ops[o].name, op_failures[o]);
	printf("simd_fp_native: %lu cases, %lu failures\n", cases, failures);
	return failures != 0;
}
