/* f80_arith.c — rounding, and the precision-controlled
 * arithmetic: add, subtract, multiply, divide, square root. */
#include "translator/x86/f80_impl.h"

/* Whether rounding away the bits `rest` (half = weight of the first of
 * them) increments the magnitude. */
static inline int round_up(int rc, int sign, u128 rest, u128 half, int odd)
{
	switch (rc) {
	case F80_RC_NEAR: return rest > half || (rest == half && odd);
	case F80_RC_DOWN: return sign && rest;
	case F80_RC_UP: return !sign && rest;
	default: return 0;
	}
}

static struct x86_f80 overflow(struct f80_ctx *c, int sign, int prec)
{
	int rc = F80_CW_RC(c->cw);
	c->sw |= F80_OE | F80_PE;
	if (rc == F80_RC_NEAR || rc == (sign ? F80_RC_DOWN : F80_RC_UP)) {
		c->sw |= F80_C1;
		return f80_inf(sign);
	}
	return f80_make(sign, F80_EXP_MAX - 1, ~0ull << (64 - prec));
}

struct x86_f80 f80_round(struct f80_ctx *c, int sign, int32_t exp, u128 v, int prec)
{
	int rc = F80_CW_RC(c->cw);
	int drop = 128 - prec;
	u128 half = (u128)1 << (drop - 1), mask = ((u128)1 << drop) - 1;
	u128 kept = v >> drop, rest = v & mask;
	int inc = round_up(rc, sign, rest, half, (int)kept & 1);

	if (exp < 1) {
		/* Tiny unless exp 0 rounds up to the smallest normal with an
		 * unbounded exponent (the x87 detects tininess after rounding). */
		int tiny = exp < 0 || !inc || ((kept + 1) >> prec) == 0;
		if (tiny && !(c->cw & F80_UE)) {
			/* Unmasked: wrap the exponent; only FSCALE can go so
			 * far that the x87 gives up and returns zero. */
			c->sw |= F80_UE;
			exp += F80_WRAP;
			if (exp < 1) {
				c->sw |= F80_PE;
				return f80_zero(sign);
			}
		} else {
			v = f80_shr_sticky(v, 1 - exp);
			kept = v >> drop;
			rest = v & mask;
			inc = round_up(rc, sign, rest, half, (int)kept & 1);
			kept += inc;
			if (rest)
				c->sw |= F80_PE | (tiny ? F80_UE : 0) | (inc ? F80_C1 : 0);
			return f80_make(sign, (unsigned)(kept >> (prec - 1)),
					(uint64_t)(kept << (64 - prec)));
		}
	}
	kept += inc;
	if (kept >> prec) {
		kept >>= 1;
		exp++;
	}
	if (exp >= F80_EXP_MAX) {
		if (c->cw & F80_OE)
			return overflow(c, sign, prec);
		c->sw |= F80_OE;
		exp -= F80_WRAP;
		if (exp >= F80_EXP_MAX) {
			/* too far even to wrap (FSCALE): infinity */
			c->sw |= F80_PE | F80_C1;
			return f80_inf(sign);
		}
	}
	if (rest)
		c->sw |= F80_PE | (inc ? F80_C1 : 0);
	return f80_make(sign, (unsigned)exp, (uint64_t)(kept << (64 - prec)));
}

struct x86_f80 f80_nan_result(struct f80_ctx *c, struct x86_f80 a, enum f80_class ka,
			      struct x86_f80 b, enum f80_class kb)
{
	int an = ka == F80_QNAN || ka == F80_SNAN, bn = kb == F80_QNAN || kb == F80_SNAN;
	if (ka == F80_UNSUPPORTED || kb == F80_UNSUPPORTED)
		return f80_invalid(c);
	if (ka == F80_SNAN || kb == F80_SNAN)
		c->sw |= F80_IE;
	if (an && bn) {
		/* A QNaN beats an SNaN; else the larger significand, and of
		 * two equal ones the positive. */
		if (ka != kb)
			return f80_quiet(ka == F80_QNAN ? a : b);
		if (a.mant != b.mant)
			return f80_quiet(a.mant > b.mant ? a : b);
		return f80_quiet(f80_sign(a) ? b : a);
	}
	return f80_quiet(an ? a : b);
}

static struct x86_f80 add(struct f80_ctx *c, struct x86_f80 a, int sa, struct x86_f80 b, int sb,
			  int prec)
{
	struct f80_unp ua, ub;
	int32_t d;
	u128 x, y;

	if (!(a.sexp & F80_EXP_MAX) && !a.mant) {
		if (!(b.sexp & F80_EXP_MAX) && !b.mant) /* 0 + 0 */
			return f80_zero(sa == sb ? sa : F80_CW_RC(c->cw) == F80_RC_DOWN);
		ub = f80_unpack(b);
		return f80_round(c, sb, ub.exp, (u128)ub.m << 64, prec);
	}
	if (!(b.sexp & F80_EXP_MAX) && !b.mant) {
		ua = f80_unpack(a);
		return f80_round(c, sa, ua.exp, (u128)ua.m << 64, prec);
	}
	ua = f80_unpack(a);
	ub = f80_unpack(b);
	if (ua.exp < ub.exp || (ua.exp == ub.exp && ua.m < ub.m)) {
		struct f80_unp t = ua;
		int ts = sa;
		ua = ub, ub = t;
		sa = sb, sb = ts;
	}
	/* |a| >= |b|; one bit of headroom for the carry, 63 guard bits. */
	d = ua.exp - ub.exp;
	x = (u128)ua.m << 63;
	y = f80_shr_sticky((u128)ub.m << 63, d);
	if (sa == sb)
		return f80_norm_round(c, sa, ua.exp + 1, x + y, prec);
	if (x == y)
		return f80_zero(F80_CW_RC(c->cw) == F80_RC_DOWN);
	return f80_norm_round(c, sa, ua.exp + 1, x - y, prec);
}

static struct x86_f80 mul(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int sign, int prec)
{
	struct f80_unp ua = f80_unpack(a), ub = f80_unpack(b);
	return f80_norm_round(c, sign, ua.exp + ub.exp - F80_BIAS + 1, (u128)ua.m * ub.m, prec);
}

u128 f80_quotient(uint64_t a, uint64_t b, int *ge)
{
	u128 n = (u128)a << ((*ge = a >= b) ? 63 : 64);
	uint64_t q1 = (uint64_t)(n / b), r1 = (uint64_t)(n % b);
	u128 n2 = (u128)r1 << 64;
	uint64_t q2 = (uint64_t)(n2 / b), r2 = (uint64_t)(n2 % b);
	return ((u128)q1 << 64) | q2 | (r2 != 0);
}

static struct x86_f80 divide(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int sign,
			     int prec)
{
	struct f80_unp ua = f80_unpack(a), ub = f80_unpack(b);
	int ge;
	u128 v = f80_quotient(ua.m, ub.m, &ge);
	return f80_round(c, sign, ua.exp - ub.exp + F80_BIAS - !ge, v, prec);
}

struct x86_f80 f80_arith(struct f80_ctx *c, enum f80_op op, struct x86_f80 a, struct x86_f80 b,
			 unsigned flags)
{
	enum f80_class ka = f80_classify(a), kb = f80_classify(b);
	int sa = f80_sign(a), sb = f80_sign(b) ^ (op == F80_SUB), sx = sa ^ sb;
	int prec = f80_pc_bits(c->cw);
	int den = ka == F80_DENORMAL || kb == F80_DENORMAL || flags;

	if (f80_is_nan_class(ka) || f80_is_nan_class(kb))
		return f80_nan_result(c, a, ka, b, kb);
	switch (op) {
	case F80_ADD:
	case F80_SUB:
		if (ka == F80_INF && kb == F80_INF && sa != sb)
			return f80_invalid(c);
		if (den && f80_denormal(c))
			return a;
		if (ka == F80_INF || kb == F80_INF)
			return f80_inf(ka == F80_INF ? sa : sb);
		return add(c, a, sa, b, sb, prec);
	case F80_MUL:
		if ((ka == F80_INF && kb == F80_ZERO) || (ka == F80_ZERO && kb == F80_INF))
			return f80_invalid(c);
		if (den && f80_denormal(c))
			return a;
		if (ka == F80_INF || kb == F80_INF)
			return f80_inf(sx);
		if (ka == F80_ZERO || kb == F80_ZERO)
			return f80_zero(sx);
		return mul(c, a, b, sx, prec);
	default:
		if ((ka == F80_INF && kb == F80_INF) || (ka == F80_ZERO && kb == F80_ZERO))
			return f80_invalid(c);
		if (kb == F80_ZERO && ka != F80_INF) {
			c->sw |= F80_ZE;
			return f80_inf(sx);
		}
		if (den && f80_denormal(c))
			return a;
		if (ka == F80_INF)
			return f80_inf(sx);
		if (ka == F80_ZERO || kb == F80_INF)
			return f80_zero(sx);
		return divide(c, a, b, sx, prec);
	}
}

/* floor(sqrt(n)) for n in [2^126, 2^128). */
static uint64_t isqrt128(u128 n)
{
	uint64_t t = (uint64_t)(n >> 64), s = 0, bit = 1ull << 62;
	u128 r;

	/* 32-bit root of the top half, then one Newton step from it. */
	for (; bit; bit >>= 2) {
		if (t >= s + bit) {
			t -= s + bit;
			s = (s >> 1) + bit;
		} else {
			s >>= 1;
		}
	}
	r = (u128)s << 32;
	r = (r + n / r) >> 1;
	if (r >> 64)
		r = ~0ull;
	while (r * r > n)
		r--;
	while (r != ~0ull && (r + 1) * (r + 1) <= n)
		r++;
	return (uint64_t)r;
}

struct x86_f80 f80_sqrt(struct f80_ctx *c, struct x86_f80 a)
{
	enum f80_class k = f80_classify(a);
	struct f80_unp u;
	int32_t e;
	u128 n;
	uint64_t r, rem_lo;

	if (f80_is_nan_class(k))
		return f80_nan_result(c, a, k, a, F80_ZERO);
	if (k == F80_ZERO)
		return a;
	if (f80_sign(a))
		return f80_invalid(c);
	if (k == F80_INF)
		return a;
	if (k == F80_DENORMAL && f80_denormal(c))
		return a;
	u = f80_unpack(a);
	/* a = m * 2^e; make the radicand's exponent even. */
	e = u.exp - F80_BIAS - 63;
	n = (u128)u.m << ((e & 1) ? 63 : 64);
	e -= (e & 1) ? 63 : 64;
	r = isqrt128(n);
	{
		u128 rem = n - (u128)r * r;
		/* The root's fraction is never exactly one half. */
		rem_lo = !rem ? 0 : rem > r ? F80_INT_BIT | 1 : 1;
	}
	return f80_round(c, 0, e / 2 + F80_BIAS + 63, ((u128)r << 64) | rem_lo, f80_pc_bits(c->cw));
}
