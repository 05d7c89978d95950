/* simd_fp.c — the exact software path of SSE floating point (simd_fp.h).
 *
 * Integer arithmetic only. A finite nonzero value is held unpacked as
 * sig * 2^(exp - 62) with the leading bit of sig at bit 62 (bit 63 is room
 * for a carry); bits below the kept precision are "jammed" into bit 0 so
 * that rounding sees whether anything nonzero was shifted out.
 *
 * What an Intel CPU does that IEEE-754 leaves open, as measured on the CPU we
 * test on and checked by tests/x86/simd_fp_native.c:
 *  - tininess is detected after rounding; a masked underflow sets UE only
 *    when the result is also inexact;
 *  - FTZ turns every tiny result into a zero of the same sign, with UE|PE;
 *  - DAZ reads every denormal operand as a zero of the same sign, with no DE;
 *  - a NaN operand: the first NaN source, quieted (IE if any is signaling);
 *    a NaN result from non-NaN operands is the real indefinite.
 */
#include "translator/x86/simd_fp.h"

struct fmt {
	int dbl, mbits, bias;
	unsigned emax;
	uint64_t sign;
};

static struct fmt fmt_of(int dbl)
{
	return (struct fmt){dbl, SIMD_MBITS(dbl), dbl ? 1023 : 127, SIMD_EMAX(dbl), SIMD_SIGN(dbl)};
}

static bool is_zero(struct fmt f, uint64_t a)
{
	return (a & ~f.sign) == 0;
}

static bool is_inf(struct fmt f, uint64_t a)
{
	return (a & ~f.sign) == SIMD_INF(f.dbl);
}

static uint64_t shift_right_jam(uint64_t x, unsigned n)
{
	if (n == 0)
		return x;
	if (n >= 64)
		return x != 0;
	return (x >> n) | ((x & ((1ull << n) - 1)) != 0);
}

/* Unpacks a finite nonzero value; returns exp, sets *sig. */
static int unpack(struct fmt f, uint64_t a, uint64_t *sig)
{
	unsigned ex = simd_fexp(f.dbl, a);
	uint64_t m = simd_fmant(f.dbl, a);
	if (ex)
		m |= 1ull << f.mbits;
	else
		ex = 1;
	int sh = __builtin_clzll(m) - 1;
	*sig = m << sh;
	return (int)ex - f.bias - (sh - (62 - f.mbits));
}

/* sig >> drop, rounded per rc (neg: the value's sign) */
static uint64_t round_sig(uint64_t sig, unsigned drop, unsigned rc, bool neg)
{
	uint64_t q = sig >> drop, rem = sig & ((1ull << drop) - 1), half = 1ull << (drop - 1);
	switch (rc) {
	case SIMD_RN: q += rem > half || (rem == half && (q & 1)); break;
	case SIMD_RD: q += neg && rem; break;
	case SIMD_RU: q += !neg && rem; break;
	default: break;
	}
	return q;
}

/* Rounds and packs the nonzero value (-1)^neg * sig * 2^(exp - 62). */
static uint64_t round_pack(struct simd_fpenv *e, struct fmt f, bool neg, int exp, uint64_t sig)
{
	if (sig >> 63) {
		sig = shift_right_jam(sig, 1);
		exp++;
	} else {
		int sh = __builtin_clzll(sig) - 1;
		sig <<= sh;
		exp -= sh;
	}
	unsigned rc = (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT;
	unsigned drop = 62 - f.mbits;
	uint64_t lost = (1ull << drop) - 1;
	uint64_t s = neg ? f.sign : 0;
	int be = exp + f.bias;

	if (be < 1) {
		/* Tiny unless rounding to full precision with an unbounded
		 * exponent carries it up to the smallest normal. */
		bool tiny = be < 0 || !(round_sig(sig, drop, rc, neg) >> (f.mbits + 1));
		uint64_t d = shift_right_jam(sig, 1 - be);
		bool inexact = (d & lost) != 0;
		if (tiny && !(e->ctl & MXCSR_UM)) {
			/* unmasked: a trap, reporting the precision of the
			 * result rounded with an unbounded exponent */
			e->flags |= (sig & lost) ? MXCSR_UE | MXCSR_PE : MXCSR_UE;
			return s;
		}
		if (tiny && (e->ctl & MXCSR_FTZ)) {
			e->flags |= MXCSR_UE | MXCSR_PE;
			return s;
		}
		if (inexact)
			e->flags |= tiny ? MXCSR_UE | MXCSR_PE : MXCSR_PE;
		/* a carry out of the denormal range lands in the exponent field */
		return s | round_sig(d, drop, rc, neg);
	}

	uint64_t q = round_sig(sig, drop, rc, neg);
	if (q >> (f.mbits + 1)) {
		q >>= 1;
		be++;
	}
	if ((unsigned)be >= f.emax) {
		if (!(e->ctl & MXCSR_OM)) { /* unmasked: as for underflow */
			e->flags |= (sig & lost) ? MXCSR_OE | MXCSR_PE : MXCSR_OE;
			return s;
		}
		e->flags |= MXCSR_OE | MXCSR_PE;
		bool to_inf = rc == SIMD_RN || (rc == SIMD_RU && !neg) || (rc == SIMD_RD && neg);
		return s | (to_inf ? SIMD_INF(f.dbl) : SIMD_INF(f.dbl) - 1);
	}
	if (sig & lost)
		e->flags |= MXCSR_PE;
	return s | (((uint64_t)(be - 1) << f.mbits) + q);
}

/* Invalid operation: IE, and the real indefinite. IE takes precedence over
 * DE, which `flags` (as they were before the operand checks) drops. */
static uint64_t invalid(struct simd_fpenv *e, struct fmt f, uint32_t flags)
{
	e->flags = flags | MXCSR_IE;
	return SIMD_DEFNAN(f.dbl);
}

/* The NaN result of an operation with a NaN operand: the first NaN source,
 * quieted. */
static uint64_t nan_result(struct simd_fpenv *e, struct fmt f, uint64_t a, uint64_t b)
{
	if (simd_issnan(f.dbl, a) || simd_issnan(f.dbl, b))
		e->flags |= MXCSR_IE;
	return (simd_isnan(f.dbl, a) ? a : b) | SIMD_QBIT(f.dbl);
}

/* a + b for finite a, b; nb is b's sign as the operation sees it. */
static uint64_t add(struct simd_fpenv *e, struct fmt f, uint64_t a, bool nb, uint64_t b)
{
	bool na = (a & f.sign) != 0;
	unsigned rc = (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT;
	uint64_t sa = 0, sb = 0;
	if (is_zero(f, a) && is_zero(f, b))
		return (na == nb ? na : rc == SIMD_RD) ? f.sign : 0;
	/* x + 0 still goes through rounding: a denormal x meets FTZ there */
	int ea = is_zero(f, a) ? 0 : unpack(f, a, &sa);
	int eb = is_zero(f, b) ? 0 : unpack(f, b, &sb);
	if (!sb)
		return round_pack(e, f, na, ea, sa);
	if (!sa)
		return round_pack(e, f, nb, eb, sb);
	if (ea < eb || (ea == eb && sa < sb)) {
		uint64_t t = sa;
		sa = sb;
		sb = t;
		int te = ea;
		ea = eb;
		eb = te;
		bool tn = na;
		na = nb;
		nb = tn;
	}
	sb = shift_right_jam(sb, (unsigned)(ea - eb));
	if (na == nb)
		return round_pack(e, f, na, ea, sa + sb);
	if (sa == sb) /* exact cancellation */
		return rc == SIMD_RD ? f.sign : 0;
	return round_pack(e, f, na, ea, sa - sb);
}

uint64_t simd_soft_arith(struct simd_fpenv *e, int dbl, int op, uint64_t a, uint64_t b)
{
	struct fmt f = fmt_of(dbl);
	if (simd_isnan(dbl, a) || simd_isnan(dbl, b))
		return nan_result(e, f, a, b);
	uint32_t flags = e->flags;
	a = simd_fin(e, dbl, a);
	b = simd_fin(e, dbl, b);
	bool na = (a & f.sign) != 0, nb = (b & f.sign) != 0;
	bool neg = na != nb;
	uint64_t sa, sb;

	switch (op) {
	case SIMD_ADD:
	case SIMD_SUB:
		if (op == SIMD_SUB)
			nb = !nb;
		if (is_inf(f, a) && is_inf(f, b) && na != nb)
			return invalid(e, f, flags);
		if (is_inf(f, a))
			return a;
		if (is_inf(f, b))
			return SIMD_INF(dbl) | (nb ? f.sign : 0);
		return add(e, f, a, nb, b);
	case SIMD_MUL:
		if ((is_inf(f, a) && is_zero(f, b)) || (is_zero(f, a) && is_inf(f, b)))
			return invalid(e, f, flags);
		if (is_inf(f, a) || is_inf(f, b))
			return SIMD_INF(dbl) | (neg ? f.sign : 0);
		if (is_zero(f, a) || is_zero(f, b))
			return neg ? f.sign : 0;
		{
			int ex = unpack(f, a, &sa);
			ex += unpack(f, b, &sb);
			unsigned __int128 p = (unsigned __int128)sa * sb;
			uint64_t hi =
				(uint64_t)(p >> 62) | (((uint64_t)p & ((1ull << 62) - 1)) != 0);
			return round_pack(e, f, neg, ex, hi);
		}
	default: /* SIMD_DIV */
		if ((is_zero(f, a) && is_zero(f, b)) || (is_inf(f, a) && is_inf(f, b)))
			return invalid(e, f, flags);
		if (is_inf(f, a))
			return SIMD_INF(dbl) | (neg ? f.sign : 0);
		if (is_inf(f, b) || is_zero(f, a))
			return neg ? f.sign : 0;
		if (is_zero(f, b)) { /* ZE takes precedence over DE too */
			e->flags = flags | MXCSR_ZE;
			return SIMD_INF(dbl) | (neg ? f.sign : 0);
		}
		{
			int ex = unpack(f, a, &sa);
			ex -= unpack(f, b, &sb);
			unsigned __int128 n = (unsigned __int128)sa << 62;
			uint64_t q = (uint64_t)(n / sb);
			if (n % sb)
				q |= 1;
			return round_pack(e, f, neg, ex, q);
		}
	}
}

uint64_t simd_soft_sqrt(struct simd_fpenv *e, int dbl, uint64_t a)
{
	struct fmt f = fmt_of(dbl);
	if (simd_isnan(dbl, a))
		return nan_result(e, f, a, a);
	uint32_t flags = e->flags;
	a = simd_fin(e, dbl, a);
	if (is_zero(f, a))
		return a;
	if (a & f.sign)
		return invalid(e, f, flags);
	if (is_inf(f, a))
		return a;
	uint64_t sig;
	int ex = unpack(f, a, &sig);
	/* value = sig * 2^(ex - 62); make ex even, then
	 * sqrt = isqrt(sig << 62) * 2^(ex / 2 - 62) */
	unsigned __int128 n = (unsigned __int128)sig << (ex & 1 ? 63 : 62);
	ex = (ex - (ex & 1)) / 2;
	uint64_t r = 0;
	unsigned __int128 rem = 0;
	for (int i = 63; i >= 0; i--) {
		/* classic digit-by-digit square root, two bits of n per step */
		rem = (rem << 2) | ((uint64_t)(n >> (2 * i)) & 3);
		unsigned __int128 t = ((unsigned __int128)r << 2) | 1;
		r <<= 1;
		if (rem >= t) {
			rem -= t;
			r |= 1;
		}
	}
	return round_pack(e, f, false, ex, r | (rem != 0));
}

uint64_t simd_cvt_f2f(struct simd_fpenv *e, int to_dbl, uint64_t a)
{
	struct fmt f = fmt_of(!to_dbl), t = fmt_of(to_dbl);
	bool neg = (a & f.sign) != 0;
	uint64_t s = neg ? t.sign : 0;
	if (simd_isnan(f.dbl, a)) {
		if (simd_issnan(f.dbl, a))
			e->flags |= MXCSR_IE;
		uint64_t m = simd_fmant(f.dbl, a);
		m = to_dbl ? m << (t.mbits - f.mbits) : m >> (f.mbits - t.mbits);
		return s | SIMD_INF(t.dbl) | SIMD_QBIT(t.dbl) | m;
	}
	a = simd_fin(e, f.dbl, a);
	if (is_inf(f, a))
		return s | SIMD_INF(t.dbl);
	if (is_zero(f, a))
		return s;
	uint64_t sig;
	int ex = unpack(f, a, &sig);
	return round_pack(e, t, neg, ex, sig);
}

uint64_t simd_soft_cvt_i2f(struct simd_fpenv *e, int dbl, int64_t v)
{
	if (v == 0)
		return 0;
	bool neg = v < 0;
	uint64_t mag = neg ? 0 - (uint64_t)v : (uint64_t)v;
	return round_pack(e, fmt_of(dbl), neg, 62, mag);
}

/* Rounds a finite value to an integer magnitude per rc; *inexact says
 * whether that lost anything. Saturates at 2^64 - 1 (callers check range
 * well below that). */
static uint64_t to_integer(struct fmt f, uint64_t a, unsigned rc, bool *inexact)
{
	*inexact = false;
	if (is_zero(f, a))
		return 0;
	uint64_t sig;
	int ex = unpack(f, a, &sig);
	bool neg = (a & f.sign) != 0;
	if (ex > 63)
		return ~0ull;
	if (ex == 63)
		return sig << 1;
	*inexact = true;
	if (ex < -1) /* below one half: only the fraction's nonzeroness counts */
		return round_sig(1, 2, rc, neg);
	unsigned drop = (unsigned)(62 - ex);
	if (drop == 0) {
		*inexact = false;
		return sig;
	}
	*inexact = (sig & ((1ull << drop) - 1)) != 0;
	return round_sig(sig, drop, rc, neg);
}

uint64_t simd_soft_cvt_f2i(struct simd_fpenv *e, int dbl, unsigned size, uint64_t a)
{
	struct fmt f = fmt_of(dbl);
	uint64_t ind = SIMD_INTIND(size);
	if (simd_fexp(dbl, a) == f.emax) { /* NaN or infinity */
		e->flags |= MXCSR_IE;
		return ind;
	}
	if ((e->ctl & MXCSR_DAZ) && simd_isdenorm(dbl, a))
		return 0;
	bool neg = (a & f.sign) != 0, inexact;
	uint64_t m = to_integer(f, a, (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT, &inexact);
	if (m > ind - !neg) {
		e->flags |= MXCSR_IE;
		return ind;
	}
	if (inexact)
		e->flags |= MXCSR_PE;
	return neg ? 0 - m : m;
}

uint64_t simd_round_int(struct simd_fpenv *e, int dbl, uint64_t a, unsigned rc, bool quiet)
{
	struct fmt f = fmt_of(dbl);
	if (simd_isnan(dbl, a))
		return nan_result(e, f, a, a);
	if ((e->ctl & MXCSR_DAZ) && simd_isdenorm(dbl, a)) /* DAZ applies, but no DE */
		a &= f.sign;
	if (simd_fexp(dbl, a) >= (unsigned)f.bias + f.mbits) /* infinite or integral */
		return a;
	bool neg = (a & f.sign) != 0, inexact;
	uint64_t m = to_integer(f, a, rc, &inexact);
	if (inexact && !quiet)
		e->flags |= MXCSR_PE;
	if (m == 0)
		return a & f.sign;
	return round_pack(e, f, neg, 62, m); /* exact: m is a small integer */
}

/* RCPSS/RSQRTSS on Intel: the result has 12 significant bits, a function
 * of the operand's exponent and its 11 leading significand bits (RSQRT: the
 * exponent's parity and 10 bits). Each value is the exact reciprocal (root)
 * of the midpoint of the operand's interval, rounded to nearest. Found and
 * checked against every binary32 operand on the Intel CPU we test on
 * (tests/x86/simd_fp_native.c); MXCSR does not affect them, and they raise
 * no exceptions. Denormal operands count as zeros; results below the normal
 * range are flushed to zero. */
uint32_t simd_rcp32(uint32_t a)
{
	uint32_t s = a & 0x80000000u;
	unsigned ex = simd_fexp(0, a);
	if (simd_isnan(0, a))
		return a | 0x400000u;
	if (ex == 0)
		return s | 0x7f800000u;
	if (ex >= 253) /* the reciprocal is below the normal range (or an infinity's) */
		return s;
	uint32_t d = 4097 + 2 * ((a >> 12) & 0x7ff); /* 4096 * the midpoint, doubled */
	uint32_t r = ((1u << 26) / d + 1) >> 1;	     /* 2^25 / d to nearest: in [4097, 8190] */
	return s | (((252 - ex) << 23) + (r << 11));
}

uint32_t simd_rsqrt32(uint32_t a)
{
	unsigned ex = simd_fexp(0, a);
	if (simd_isnan(0, a))
		return a | 0x400000u;
	if (ex == 0)
		return (a & 0x80000000u) | 0x7f800000u;
	if (a & 0x80000000u)
		return 0xffc00000u;
	if (ex == 0xff)
		return 0;
	/* The operand is x0 * 4^k with x0 in [0.5, 2): d / 4096 (x0 < 1) or
	 * d / 2048 (x0 >= 1) is the midpoint of x0's interval, and the result's
	 * 13-bit significand is round(sqrt(2^36 / d)), resp. sqrt(2^37 / d). */
	bool odd = ex & 1;
	uint32_t d = 2049 + 2 * ((a >> 13) & 0x3ff);
	unsigned rex = odd ? 126 - (ex - 127) / 2 : 127 - (ex - 126) / 2;
	/* the largest r with (2r - 1)^2 * d <= 2^38 (2^39): no ties, d is odd */
	uint32_t r = 4096;
	for (uint32_t bit = 2048; bit; bit >>= 1) {
		uint64_t t = 2 * (uint64_t)(r + bit) - 1;
		if (t * t * d <= 1ull << (38 + odd))
			r += bit;
	}
	return ((rex - 1) << 23) + (r << 11);
}

_Noreturn void simd_fp_trap(struct cpu *cpu, uint32_t flags)
{
	uint32_t unmasked = ~(cpu->mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
	/* Invalid, denormal and divide-by-zero are detected before computing:
	 * when one of them is unmasked, the CPU stops there. */
	uint32_t pre = flags & (MXCSR_IE | MXCSR_DE | MXCSR_ZE);
	cpu->mxcsr |= (pre & unmasked) ? pre : flags;
	/* si_code as Linux derives it from MXCSR (fpu__exception_code) */
	uint32_t err = cpu->mxcsr & unmasked;
	int code = err & MXCSR_IE		 ? X86_FPE_FLTINV
		   : err & MXCSR_ZE		 ? X86_FPE_FLTDIV
		   : err & MXCSR_OE		 ? X86_FPE_FLTOVF
		   : err & (MXCSR_UE | MXCSR_DE) ? X86_FPE_FLTUND
		   : err & MXCSR_PE		 ? X86_FPE_FLTRES
						 : 0;
	x86_raise(cpu, X86_SIGFPE, code, cpu->rip, 19);
}
