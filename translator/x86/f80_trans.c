/* f80_trans.c — F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS, FPTAN.
 *
 * Intel's results are not correctly rounded. Each function here computes
 * with a 128-bit significand and then reproduces what is known of the
 * x87's own intermediate precision, found by comparing with the CPU over
 * random operands (tests/unit/test_f80_trans.c, which also lists the
 * match rates):
 *   - FSIN, FCOS, FPTAN reduce the argument exactly modulo pi/2 where pi
 *     is Intel's 66-bit approximation;
 *   - FYL2X rounds y * log2(x) with log2(x) truncated to 67 bits;
 *   - F2XM1 computes 2^x - 1 as expm1(x * ln 2) with ln 2 and the product
 *     both truncated to 67 bits;
 *   - FYL2XP1 truncates log2(1 + x) to 67 bits;
 *   - FPATAN and FPTAN (but for powers of two) fall just short of their
 *     result truncated to 70 bits, FSIN just short of the exact sine;
 *   - every computed result is reported inexact, even an exact one;
 *   - below 2^-68, FSIN, FCOS and FPTAN do not compute at all; FPATAN
 *     returns y/x (rounded as FDIV) when that is below 2^-40 and x > 0;
 *     F2XM1 outside [-1, 1] and FYL2XP1 at x <= -1 return x.
 * What remains are mostly near-halfway cases where the CPU's own
 * approximation error (about a tenth of an ulp) decides the rounding.
 */
#include "translator/x86/f80_wide.h"

/* How each instruction's internal result falls short of the exact one,
 * as measured (see above). */
#define LN2_67	   xf_trunc(xf_ln2, 67)
#define EXP_ARG(v) xf_trunc(v, 67)
#define LOG2_OF(v) xf_trunc(v, 67)
#define ATAN_OF(v) xf_below(v, 70)
#define SIN_OF(v)  xf_below(v, 100)
#define TAN_OF(v)  xf_below(v, 70)

/* The x87 reports every computed result inexact, even an exact one (and a
 * denormal one then as an underflow). */
static struct x86_f80 computed(struct f80_ctx *c, struct x86_f80 r)
{
	c->sw |= F80_PE;
	if (!f80_bexp(r) && r.mant)
		c->sw |= F80_UE;
	return r;
}

static int is_one(struct x86_f80 a)
{
	return f80_bexp(a) == F80_BIAS && a.mant == F80_INT_BIT;
}

struct x86_f80 f80_f2xm1(struct f80_ctx *c, struct x86_f80 x)
{
	enum f80_class k = f80_classify(x);
	struct xf t;

	if (f80_is_nan_class(k))
		return f80_nan_result(c, x, k, x, F80_ZERO);
	if (k == F80_ZERO)
		return x;
	if (k == F80_INF)
		return f80_sign(x) ? f80_make(1, F80_BIAS, F80_INT_BIT) : x;
	if (k == F80_DENORMAL && f80_denormal(c))
		return x;
	if (f80_bexp(x) >= F80_BIAS) {
		/* 2^1 - 1 and 2^-1 - 1 are exact; outside [-1, 1] the x87
		 * returns x */
		c->sw |= F80_PE;
		if (is_one(f80_make(0, f80_bexp(x), x.mant)))
			return f80_sign(x) ? f80_make(1, F80_BIAS - 1, F80_INT_BIT) : x;
		return x;
	}
	t = EXP_ARG(xf_mul(xf_from_unp(f80_unpack(x)), LN2_67));
	return computed(c, xf_round(c, xf_expm1(t)));
}

/* y * L, L = log2 of something, truncated as the x87 does. */
static struct x86_f80 times_log(struct f80_ctx *c, struct x86_f80 y, struct xf l)
{
	return computed(c, xf_round(c, xf_mul(xf_from_unp(f80_unpack(y)), l)));
}

struct x86_f80 f80_yl2x(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 y)
{
	enum f80_class kx = f80_classify(x), ky = f80_classify(y);
	int sy = f80_sign(y), below = 0;

	if (f80_is_nan_class(kx) || f80_is_nan_class(ky))
		return f80_nan_result(c, x, kx, y, ky);
	if (f80_sign(x) && kx != F80_ZERO)
		return f80_invalid(c);
	if (kx == F80_ZERO) {
		/* log2(0) = -inf */
		if (ky == F80_ZERO)
			return f80_invalid(c);
		if (ky != F80_INF)
			c->sw |= F80_ZE;
		return f80_inf(!sy);
	}
	if ((kx == F80_INF && ky == F80_ZERO) || (is_one(x) && ky == F80_INF))
		return f80_invalid(c);
	if ((kx == F80_DENORMAL || ky == F80_DENORMAL) && f80_denormal(c))
		return x;
	if (kx == F80_INF)
		return f80_inf(sy);
	if (is_one(x))
		return f80_zero(sy);
	below = f80_bexp(x) < F80_BIAS; /* x < 1 (denormals too) */
	if (ky == F80_INF)
		return f80_inf(sy ^ below);
	if (ky == F80_ZERO)
		return f80_zero(sy ^ below);
	{
		struct f80_unp u = f80_unpack(x);
		struct xf l, m = {(u128)u.m << 64, 0, 0};
		if (u.m == F80_INT_BIT) {
			/* log2 of a power of two is exact, but the x87 has a
			 * negative one a hair toward zero */
			l = xf_from_int(u.exp - F80_BIAS);
			return times_log(c, y, l.s ? xf_below(l, 128) : l);
		}
		l = xf_add(xf_from_int(u.exp - F80_BIAS), xf_mul(xf_ln(m), xf_log2e));
		return times_log(c, y, LOG2_OF(l));
	}
}

struct x86_f80 f80_yl2xp1(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 y)
{
	enum f80_class kx = f80_classify(x), ky = f80_classify(y);
	int sx = f80_sign(x), sy = f80_sign(y);
	struct xf xw, one = xf_make(1ull << 63, 0, 0);

	if (f80_is_nan_class(kx) || f80_is_nan_class(ky))
		return f80_nan_result(c, x, kx, y, ky);
	if (kx == F80_ZERO) {
		if (ky == F80_INF)
			return f80_invalid(c);
		if (ky == F80_DENORMAL && f80_denormal(c))
			return x;
		return f80_zero(sx ^ sy);
	}
	if (kx == F80_INF && (sx || ky == F80_ZERO))
		return f80_invalid(c);
	if ((kx == F80_DENORMAL || ky == F80_DENORMAL) && f80_denormal(c))
		return x;
	if (kx == F80_INF)
		return f80_inf(sy);
	xw = xf_from_unp(f80_unpack(x));
	if (ky == F80_INF)
		return f80_inf(sy ^ sx);
	if (ky == F80_ZERO)
		return f80_zero(sy ^ sx);
	if (sx && xw.e >= 0) {
		/* x <= -1: the x87 returns x */
		c->sw |= F80_PE;
		return x;
	}
	{
		struct xf l;
		if (xw.e < -1) {
			l = xf_log1p(xw);
		} else {
			struct xf u = xf_add(one, xw);
			if (u.m == one.m) {
				/* 1 + x a power of two: as FYL2X does with one */
				l = xf_from_int(u.e);
				return times_log(c, y, l.s ? xf_below(l, 128) : l);
			}
			l = xf_ln(u);
		}
		return times_log(c, y, LOG2_OF(xf_mul(l, xf_log2e)));
	}
}

struct x86_f80 f80_atan2(struct f80_ctx *c, struct x86_f80 y, struct x86_f80 x)
{
	enum f80_class kx = f80_classify(x), ky = f80_classify(y);
	int sx = f80_sign(x), sy = f80_sign(y);
	struct xf r, pi = xf_pi;

	if (f80_is_nan_class(kx) || f80_is_nan_class(ky))
		return f80_nan_result(c, x, kx, y, ky);
	if ((kx == F80_DENORMAL || ky == F80_DENORMAL) && f80_denormal(c))
		return x;
	if (ky == F80_ZERO || (kx == F80_INF && ky != F80_INF)) {
		/* angle 0 or pi */
		if (!sx)
			return f80_zero(sy);
		pi.s = sy;
		return xf_round(c, pi);
	}
	if (kx == F80_ZERO || (ky == F80_INF && kx != F80_INF)) {
		pi.e--; /* pi/2 */
		pi.s = sy;
		return xf_round(c, pi);
	}
	if (kx == F80_INF) {
		/* both infinite: pi/4 or 3pi/4 */
		pi.e -= 2;
		if (sx)
			pi = xf_add(pi, xf_add(pi, pi));
		pi.s = sy;
		return xf_round(c, pi);
	}
	{
		struct xf xw = xf_from_unp(f80_unpack(x)), yw = xf_from_unp(f80_unpack(y));
		xw.s = yw.s = 0;
		if (!sx && yw.e - xw.e - (yw.m < xw.m) < -40) {
			/* |y/x| below 2^-40: the x87 returns y/x, from a
			 * quotient it keeps to 67 bits */
			int ge;
			u128 q = f80_quotient((uint64_t)(yw.m >> 64), (uint64_t)(xw.m >> 64), &ge);
			r = (struct xf){q, yw.e - xw.e - !ge, sy};
			return computed(c, xf_round(c, xf_trunc(r, 67)));
		}
		if (xw.e > yw.e || (xw.e == yw.e && xw.m >= yw.m)) {
			r = xf_atan(xf_div(yw, xw));
		} else {
			struct xf half_pi = pi;
			half_pi.e--;
			r = xf_sub(half_pi, xf_atan(xf_div(xw, yw)));
		}
		if (sx)
			r = xf_sub(pi, r);
		r.s = sy;
		return computed(c, xf_round(c, ATAN_OF(r)));
	}
}

/* Intel's pi, 66 bits: pi66 = N66 * 2^-64. */
#define N66 XF_HI(3, 0x243f6a8885a308d3ull)

/* Reduces finite |x| < 2^63 exactly: x = r + q * pi66/2 with |r| <= pi66/4;
 * returns q mod 4. */
static int reduce(struct x86_f80 x, struct xf *r)
{
	struct f80_unp u = f80_unpack(x);
	int32_t e = u.exp - F80_BIAS; /* |x| in [2^e, 2^(e+1)) */
	u128 v, q, rem;
	int neg = 0;

	if (e < -1) { /* |x| < pi66/4 */
		*r = xf_from_unp(u);
		return 0;
	}
	/* |x| * 2^65 is the integer v (e + 2 <= 64) */
	v = (u128)u.m << (e + 2);
	q = v / N66;
	rem = v % N66;
	if (rem > N66 / 2) {
		q++;
		rem = N66 - rem;
		neg = 1;
	}
	*r = xf_norm(u.sign ^ neg, 127 - 65, rem);
	return (int)(u.sign ? -q : q) & 3;
}

/* Below 2^-68 FSIN, FCOS and FPTAN do not compute: they return x (or 1)
 * and report an inexact result that was not rounded up, whatever RC. */
static int tiny(struct x86_f80 x)
{
	return f80_bexp(x) < F80_BIAS - 68;
}

/* x as such an inexact result: a denormal x is a tiny inexact one. */
static struct x86_f80 tiny_result(struct f80_ctx *c, struct x86_f80 x)
{
	struct f80_unp u = f80_unpack(x);
	struct x86_f80 r = f80_round(c, u.sign, u.exp, (u128)u.m << 64, 64);
	if (!f80_bexp(r))
		c->sw |= F80_UE;
	c->sw |= F80_PE;
	return r;
}

/* FSIN, FCOS and FPTAN leave an operand of 2^63 or more to software. */
static int out_of_range(struct f80_ctx *c, struct x86_f80 x)
{
	if (f80_bexp(x) >= F80_BIAS + 63) {
		c->sw |= F80_C2;
		return 1;
	}
	return 0;
}

int f80_sincos(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 *s, struct x86_f80 *co)
{
	enum f80_class k = f80_classify(x);
	struct xf r, sr, cr, sv, cv;
	int q;

	if (f80_is_nan_class(k) || k == F80_INF) {
		struct x86_f80 n =
			k == F80_INF ? f80_invalid(c) : f80_nan_result(c, x, k, x, F80_ZERO);
		if (s)
			*s = n;
		if (co)
			*co = n;
		return 1;
	}
	if (out_of_range(c, x))
		return 0;
	if (k == F80_DENORMAL && f80_denormal(c))
		return 1;
	if (k == F80_ZERO) {
		if (s)
			*s = x;
		if (co)
			*co = f80_from_int(1);
		return 1;
	}
	if (tiny(x)) {
		if (s)
			*s = tiny_result(c, x);
		if (co)
			*co = f80_from_int(1);
		c->sw |= F80_PE;
		return 1;
	}
	q = reduce(x, &r);
	xf_sincos(r, &sr, &cr);
	switch (q) {
	case 0: sv = sr, cv = cr; break;
	case 1: sv = cr, cv = xf_neg(sr); break;
	case 2: sv = xf_neg(sr), cv = xf_neg(cr); break;
	default: sv = xf_neg(cr), cv = sr; break;
	}
	sv = SIN_OF(sv);
	if (s)
		*s = computed(c, xf_round(c, sv));
	if (co) {
		/* FSINCOS: C1 tells about the cosine only */
		c->sw &= (uint16_t)~F80_C1;
		*co = computed(c, xf_round(c, cv));
	}
	return 1;
}

int f80_tan(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 *t)
{
	enum f80_class k = f80_classify(x);
	struct xf r, sr, cr, v;
	int q;

	if (f80_is_nan_class(k) || k == F80_INF) {
		*t = k == F80_INF ? f80_invalid(c) : f80_nan_result(c, x, k, x, F80_ZERO);
		return 1;
	}
	if (out_of_range(c, x))
		return 0;
	if (k == F80_DENORMAL && f80_denormal(c))
		return 1;
	if (k == F80_ZERO) {
		*t = x;
		return 1;
	}
	if (tiny(x)) {
		*t = tiny_result(c, x);
		return 1;
	}
	q = reduce(x, &r);
	xf_sincos(r, &sr, &cr);
	/* tan x = tan r, or -cot r in the odd quadrants */
	v = q & 1 ? xf_neg(xf_div(cr, sr)) : xf_div(sr, cr);
	/* the x87 falls short of tan x, except for a power of two */
	if (x.mant != F80_INT_BIT)
		v = TAN_OF(v);
	*t = computed(c, xf_round(c, v));
	return 1;
}
