/* simd_fp.h — SSE floating point on bit patterns, exactly as an Intel CPU
 * computes it: MXCSR rounding, exception flags, DAZ and FTZ, NaN rules.
 *
 * Values travel as uint32_t/uint64_t bit patterns, never as host floats, so
 * that no host rule (aarch64 NaN propagation, x87 excess precision, fused
 * multiply-add) can leak in. An operation takes a struct simd_fpenv: the
 * MXCSR it obeys and the flags it raises, which the instruction commits to
 * the guest MXCSR once all its lanes are done (simd_fp_commit).
 *
 * Speed: when MXCSR is the usual "round to nearest, all masked, PE already
 * set" (any program that has computed something; DAZ and FTZ do not matter),
 * +, -, *, / and sqrt of normal numbers with a normal result run on the host FPU:
 * IEEE-754 makes that result exact on both hosts, and no flag but PE can
 * arise. Everything else (NaN, infinities, zeros, denormals, tiny results,
 * other rounding modes, unmasked exceptions, PE still clear) takes the
 * software path in simd_fp.c, which is exact for every case. The build
 * compiles with -ffp-contract=off so the host never fuses a*b+c.
 */
#ifndef XLATE_X86_SIMD_FP_H
#define XLATE_X86_SIMD_FP_H

#include "translator/x86/sem.h"

enum simd_mxcsr {
	MXCSR_IE = 1 << 0, /* invalid operation */
	MXCSR_DE = 1 << 1, /* denormal operand */
	MXCSR_ZE = 1 << 2, /* divide by zero */
	MXCSR_OE = 1 << 3, /* overflow */
	MXCSR_UE = 1 << 4, /* underflow */
	MXCSR_PE = 1 << 5, /* precision (inexact) */
	MXCSR_FLAGS = 0x3f,
	MXCSR_DAZ = 1 << 6,
	MXCSR_MASK_SHIFT = 7, /* IM DM ZM OM UM PM: the flags shifted left by 7 */
	MXCSR_OM = MXCSR_OE << MXCSR_MASK_SHIFT,
	MXCSR_UM = MXCSR_UE << MXCSR_MASK_SHIFT,
	MXCSR_RC_SHIFT = 13,
	MXCSR_RC = 3 << MXCSR_RC_SHIFT,
	MXCSR_FTZ = 1 << 15,
};

/* MXCSR.RC values (also ROUNDPS imm8 bits 0-1). */
enum simd_rc { SIMD_RN, SIMD_RD, SIMD_RU, SIMD_RZ };

/* simd_fcmp results */
enum simd_rel { SIMD_LT, SIMD_EQ, SIMD_GT, SIMD_UN };

enum simd_arith { SIMD_ADD, SIMD_SUB, SIMD_MUL, SIMD_DIV };

struct simd_fpenv {
	uint32_t ctl;	/* the MXCSR the operation obeys (RC possibly overridden) */
	uint32_t flags; /* exception flags raised so far */
};

/* Formats: dbl = 0 for binary32, 1 for binary64. */
#define SIMD_SIGN(dbl)	((dbl) ? 1ull << 63 : 1ull << 31)
#define SIMD_MBITS(dbl) ((dbl) ? 52 : 23)
#define SIMD_EMAX(dbl)	((dbl) ? 0x7ffu : 0xffu)
#define SIMD_QBIT(dbl)	(1ull << (SIMD_MBITS(dbl) - 1))
#define SIMD_INF(dbl)	((uint64_t)SIMD_EMAX(dbl) << SIMD_MBITS(dbl))
/* "Real indefinite", the NaN an invalid operation produces. */
#define SIMD_DEFNAN(dbl) ((dbl) ? 0xfff8000000000000ull : 0xffc00000ull)
/* "Integer indefinite", what an invalid conversion to an integer gives. */
#define SIMD_INTIND(size) (1ull << ((size)*8 - 1))

SEM_INLINE unsigned simd_fexp(int dbl, uint64_t a)
{
	return (unsigned)(a >> SIMD_MBITS(dbl)) & SIMD_EMAX(dbl);
}

SEM_INLINE uint64_t simd_fmant(int dbl, uint64_t a)
{
	return a & ((1ull << SIMD_MBITS(dbl)) - 1);
}

SEM_INLINE bool simd_isnan(int dbl, uint64_t a)
{
	return simd_fexp(dbl, a) == SIMD_EMAX(dbl) && simd_fmant(dbl, a) != 0;
}

SEM_INLINE bool simd_issnan(int dbl, uint64_t a)
{
	return simd_isnan(dbl, a) && !(a & SIMD_QBIT(dbl));
}

SEM_INLINE bool simd_isdenorm(int dbl, uint64_t a)
{
	return simd_fexp(dbl, a) == 0 && simd_fmant(dbl, a) != 0;
}

/* Normal (not zero, denormal, infinite or NaN). */
SEM_INLINE bool simd_isnormal(int dbl, uint64_t a)
{
	return simd_fexp(dbl, a) - 1 < SIMD_EMAX(dbl) - 1;
}

/* A result the fast path may return: normal and above the smallest normal
 * magnitude (which may be a tiny value rounded up: UE then depends on the
 * unrounded value). */
SEM_INLINE bool simd_fast_result(int dbl, uint64_t r)
{
	uint64_t mag = r & ~SIMD_SIGN(dbl);
	uint64_t lo = (1ull << SIMD_MBITS(dbl)) + 1;
	return mag - lo < SIMD_INF(dbl) - lo;
}

/* A source operand as the operation sees it: a denormal is zero under DAZ,
 * and otherwise raises DE. */
SEM_INLINE uint64_t simd_fin(struct simd_fpenv *e, int dbl, uint64_t a)
{
	if (simd_isdenorm(dbl, a)) {
		if (e->ctl & MXCSR_DAZ)
			return a & SIMD_SIGN(dbl);
		e->flags |= MXCSR_DE;
	}
	return a;
}

SEM_INLINE struct simd_fpenv simd_fpenv(const struct cpu *cpu)
{
	return (struct simd_fpenv){cpu->mxcsr, 0};
}

/* The same MXCSR with rounding control rc (truncating conversions, ROUNDPS). */
SEM_INLINE struct simd_fpenv simd_fpenv_rc(const struct cpu *cpu, unsigned rc)
{
	return (struct simd_fpenv){(cpu->mxcsr & ~(uint32_t)MXCSR_RC) | rc << MXCSR_RC_SHIFT, 0};
}

SEM_INLINE bool simd_fast(const struct simd_fpenv *e)
{
	/* RN, all exceptions masked, PE already set. DAZ and FTZ do not
	 * matter: the fast path takes only normal operands and results. */
	return (e->ctl & 0x7fa0) == 0x1fa0;
}

/* ---- the exact software path (simd_fp.c) ---- */

uint64_t simd_soft_arith(struct simd_fpenv *e, int dbl, int op, uint64_t a, uint64_t b);
uint64_t simd_soft_sqrt(struct simd_fpenv *e, int dbl, uint64_t a);
/* binary32 <-> binary64 (to_dbl: 1 for CVTSS2SD, 0 for CVTSD2SS) */
uint64_t simd_cvt_f2f(struct simd_fpenv *e, int to_dbl, uint64_t a);
/* The general cases of simd_cvt_i2f and simd_cvt_f2i below. */
uint64_t simd_soft_cvt_i2f(struct simd_fpenv *e, int dbl, int64_t v);
uint64_t simd_soft_cvt_f2i(struct simd_fpenv *e, int dbl, unsigned size, uint64_t a);
/* ROUNDSS/SD: to an integral value with rounding rc; no PE when quiet */
uint64_t simd_round_int(struct simd_fpenv *e, int dbl, uint64_t a, unsigned rc, bool quiet);
/* RCPSS/RSQRTSS approximations, bit-exact with the Intel CPU we test on */
uint32_t simd_rcp32(uint32_t a);
uint32_t simd_rsqrt32(uint32_t a);
/* Commits flags with an unmasked exception among them: #XM (SIGFPE). */
_Noreturn void simd_fp_trap(struct cpu *cpu, uint32_t flags);

/* ---- operations ---- */

SEM_INLINE float simd_as_f32(uint64_t a)
{
	uint32_t u = (uint32_t)a;
	float f;
	memcpy(&f, &u, 4);
	return f;
}

SEM_INLINE double simd_as_f64(uint64_t a)
{
	double f;
	memcpy(&f, &a, 8);
	return f;
}

SEM_INLINE uint64_t simd_bits_f32(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

SEM_INLINE uint64_t simd_bits_f64(double f)
{
	uint64_t u;
	memcpy(&u, &f, 8);
	return u;
}

/* a op b for op in enum simd_arith. */
SEM_INLINE uint64_t simd_arith(struct simd_fpenv *e, int dbl, int op, uint64_t a, uint64_t b)
{
	if (simd_fast(e) && simd_isnormal(dbl, a) && simd_isnormal(dbl, b)) {
		uint64_t r;
		if (dbl) {
			double x = simd_as_f64(a), y = simd_as_f64(b);
			r = simd_bits_f64(op == SIMD_ADD   ? x + y
					  : op == SIMD_SUB ? x - y
					  : op == SIMD_MUL ? x * y
							   : x / y);
		} else {
			float x = simd_as_f32(a), y = simd_as_f32(b);
			r = simd_bits_f32(op == SIMD_ADD   ? x + y
					  : op == SIMD_SUB ? x - y
					  : op == SIMD_MUL ? x * y
							   : x / y);
		}
		if (simd_fast_result(dbl, r))
			return r;
	}
	return simd_soft_arith(e, dbl, op, a, b);
}

/* Signed integer to float, rounded per e->ctl. A magnitude up to
 * 2^(mantissa bits + 1) converts exactly in every rounding mode and raises
 * nothing: the host's conversion then (loops compare a counter with a
 * double, converting it every iteration). */
SEM_INLINE uint64_t simd_cvt_i2f(struct simd_fpenv *e, int dbl, int64_t v)
{
	uint64_t exact = 1ull << (SIMD_MBITS(dbl) + 1);
	if ((uint64_t)v + exact <= 2 * exact)
		return dbl ? simd_bits_f64((double)v) : simd_bits_f32((float)v);
	return simd_soft_cvt_i2f(e, dbl, v);
}

/* Float to a signed integer of `size` bytes (4 or 8), rounded per e->ctl;
 * invalid or out of range gives the integer indefinite and IE. A normal
 * operand well inside the range, rounded to nearest or toward zero, takes
 * the host's truncating conversion (no libm in images: rounding to nearest
 * even is done here from the exact fraction), with PE when inexact. */
SEM_INLINE uint64_t simd_cvt_f2i(struct simd_fpenv *e, int dbl, unsigned size, uint64_t a)
{
	unsigned rc = (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT;
	double x = dbl ? simd_as_f64(a) : simd_as_f32(a);
	/* No rounding from inside these bounds leaves the range. */
	double lim = size == 4 ? 0x1p31 - 1 : 0x1p62;
	if ((rc == SIMD_RN || rc == SIMD_RZ) && simd_isnormal(dbl, a) && x > -lim && x < lim) {
		int64_t t = (int64_t)x;
		double frac = x - (double)t; /* exact */
		if (rc == SIMD_RN &&
		    (frac > 0.5 || frac < -0.5 || ((frac == 0.5 || frac == -0.5) && (t & 1))))
			t += frac > 0 ? 1 : -1;
		if (frac != 0)
			e->flags |= MXCSR_PE;
		return (uint64_t)t;
	}
	return simd_soft_cvt_f2i(e, dbl, size, a);
}

SEM_INLINE uint64_t simd_sqrt(struct simd_fpenv *e, int dbl, uint64_t a)
{
	if (simd_fast(e) && simd_isnormal(dbl, a) && !(a & SIMD_SIGN(dbl)))
		return dbl ? simd_bits_f64(__builtin_sqrt(simd_as_f64(a)))
			   : simd_bits_f32(__builtin_sqrtf(simd_as_f32(a)));
	return simd_soft_sqrt(e, dbl, a);
}

/* Orders a and b; IE for an SNaN, and for a QNaN too when `signaling`. */
/* Neither NaN nor denormal: compares raise nothing. */
SEM_INLINE bool simd_fcmp_plain(int dbl, uint64_t a)
{
	return simd_fmant(dbl, a) == 0 || simd_fexp(dbl, a) - 1 < SIMD_EMAX(dbl) - 1;
}

/* Where a plain value (zeros, normals, infinities) stands in the order of
 * signed integers: its magnitude, negated when the sign is set (so both
 * zeros are 0). */
SEM_INLINE int64_t simd_fcmp_key(int dbl, uint64_t a)
{
	int64_t m = (int64_t)(a & (SIMD_SIGN(dbl) - 1));
	return a & SIMD_SIGN(dbl) ? -m : m;
}

SEM_INLINE int simd_fcmp(struct simd_fpenv *e, int dbl, uint64_t a, uint64_t b, bool signaling)
{
	if (__builtin_expect(simd_fcmp_plain(dbl, a) && simd_fcmp_plain(dbl, b), 1)) {
		int64_t ka = simd_fcmp_key(dbl, a), kb = simd_fcmp_key(dbl, b);
		return ka < kb ? SIMD_LT : ka == kb ? SIMD_EQ : SIMD_GT;
	}
	if (simd_isnan(dbl, a) || simd_isnan(dbl, b)) {
		if (signaling || simd_issnan(dbl, a) || simd_issnan(dbl, b))
			e->flags |= MXCSR_IE;
		return SIMD_UN;
	}
	a = simd_fin(e, dbl, a);
	b = simd_fin(e, dbl, b);
	uint64_t s = SIMD_SIGN(dbl);
	if (((a | b) & ~s) == 0 || a == b)
		return SIMD_EQ;
	/* sign-magnitude order */
	bool lt = (a & s) ? ((b & s) == 0 || (a & ~s) > (b & ~s)) : ((b & s) == 0 && a < b);
	return lt ? SIMD_LT : SIMD_GT;
}

/* CMPPS predicate n (0-31) of a and b. */
SEM_INLINE bool simd_fcmp_pred(struct simd_fpenv *e, int dbl, uint64_t a, uint64_t b, unsigned n)
{
	/* Bit r of an entry is set when relation r (enum simd_rel) satisfies
	 * the predicate, bit 4 when it signals on QNaN. Predicates 16-31 are
	 * 0-15 with the signaling bit flipped. */
	// clang-format off
	static const uint8_t pred[16] = {
		0x02 /* EQ_OQ */,  0x11 /* LT_OS */,  0x13 /* LE_OS */,  0x08 /* UNORD_Q */,
		0x0d /* NEQ_UQ */, 0x1e /* NLT_US */, 0x1c /* NLE_US */, 0x07 /* ORD_Q */,
		0x0a /* EQ_UQ */,  0x19 /* NGE_US */, 0x1b /* NGT_US */, 0x00 /* FALSE_OQ */,
		0x05 /* NEQ_OQ */, 0x16 /* GE_OS */,  0x14 /* GT_OS */,  0x0f /* TRUE_UQ */,
	};
	// clang-format on
	uint8_t p = pred[n & 15] ^ (n & 16);
	return p >> simd_fcmp(e, dbl, a, b, p & 16) & 1;
}

/* MINPS/MAXPS: the second source when either is a NaN (IE, QNaN too) or
 * when they are equal (so both zeros give the second, whatever signs). */
SEM_INLINE uint64_t simd_minmax(struct simd_fpenv *e, int dbl, uint64_t a, uint64_t b, bool max)
{
	if (e->ctl & MXCSR_DAZ) {
		if (simd_isdenorm(dbl, a))
			a &= SIMD_SIGN(dbl);
		if (simd_isdenorm(dbl, b))
			b &= SIMD_SIGN(dbl);
	}
	if (simd_isnan(dbl, a) || simd_isnan(dbl, b)) {
		e->flags |= MXCSR_IE;
		return b;
	}
	int rel = simd_fcmp(e, dbl, a, b, false);
	return rel == (max ? SIMD_GT : SIMD_LT) ? a : b;
}

/* Makes the flags the instruction raised visible in MXCSR, or raises #XM
 * when one of them is unmasked (the destination is then left unwritten). */
SEM_INLINE void simd_fp_commit(struct cpu *cpu, const struct simd_fpenv *e)
{
	if (e->flags & ~(cpu->mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS)
		simd_fp_trap(cpu, e->flags);
	cpu->mxcsr |= e->flags;
}

#endif
