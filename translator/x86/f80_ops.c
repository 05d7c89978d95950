/* f80_ops.c — FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1, comparisons, FXAM. */
#include "translator/x86/f80_impl.h"

struct x86_f80 f80_rndint(struct f80_ctx *c, struct x86_f80 a)
{
	enum f80_class k = f80_classify(a);
	struct f80_unp u;
	int32_t sh;
	uint64_t i, rest, half;
	int inc, rc = F80_CW_RC(c->cw);

	if (f80_is_nan_class(k))
		return f80_nan_result(c, a, k, a, F80_ZERO);
	if (k == F80_ZERO || k == F80_INF)
		return a;
	if (k == F80_DENORMAL && f80_denormal(c))
		return a;
	u = f80_unpack(a);
	sh = F80_BIAS + 63 - u.exp; /* fraction bits in m */
	if (sh <= 0)
		return a;
	if (sh > 64) {
		/* |a| < 1/2: only the direction matters. */
		i = 0;
		rest = 1;
		half = 2;
	} else {
		i = sh == 64 ? 0 : u.m >> sh;
		rest = sh == 64 ? u.m : u.m & ((1ull << sh) - 1);
		half = 1ull << (sh - 1);
	}
	if (!rest)
		return a;
	switch (rc) {
	case F80_RC_NEAR: inc = rest > half || (rest == half && (i & 1)); break;
	case F80_RC_DOWN: inc = u.sign; break;
	case F80_RC_UP: inc = !u.sign; break;
	default: inc = 0; break;
	}
	c->sw |= F80_PE | (inc ? F80_C1 : 0);
	i += inc;
	if (!i)
		return f80_zero(u.sign);
	{
		int n = f80_clz64(i);
		return f80_make(u.sign, (unsigned)(F80_BIAS + 63 - n), i << n);
	}
}

struct x86_f80 f80_scale(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b)
{
	enum f80_class ka = f80_classify(a), kb = f80_classify(b);
	struct f80_unp ua, ub;
	int32_t n;

	if (f80_is_nan_class(ka) || f80_is_nan_class(kb))
		return f80_nan_result(c, a, ka, b, kb);
	if (kb == F80_INF) {
		/* 0 * 2^+inf and inf * 2^-inf are invalid. */
		if (f80_sign(b) ? ka == F80_INF : ka == F80_ZERO)
			return f80_invalid(c);
		if ((ka == F80_DENORMAL) && f80_denormal(c))
			return a;
		if (ka == F80_ZERO || ka == F80_INF)
			return a;
		return f80_sign(b) ? f80_zero(f80_sign(a)) : f80_inf(f80_sign(a));
	}
	if ((ka == F80_DENORMAL || kb == F80_DENORMAL) && f80_denormal(c))
		return a;
	if (ka == F80_ZERO || ka == F80_INF)
		return a;
	if (kb == F80_ZERO)
		return f80_canon(a);
	ua = f80_unpack(a);
	/* trunc(b), limited to what cannot change the outcome. */
	ub = f80_unpack(b);
	if (ub.exp < F80_BIAS)
		n = 0;
	else if (ub.exp > F80_BIAS + 16)
		n = 1 << 17;
	else
		n = (int32_t)(ub.m >> (F80_BIAS + 63 - ub.exp));
	if (ub.sign)
		n = -n;
	return f80_round(c, ua.sign, ua.exp + n, (u128)ua.m << 64, 64);
}

void f80_xtract(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 *sig, struct x86_f80 *exp)
{
	enum f80_class k = f80_classify(a);
	struct f80_unp u;

	switch (k) {
	case F80_QNAN:
	case F80_SNAN:
	case F80_UNSUPPORTED: *sig = *exp = f80_nan_result(c, a, k, a, F80_ZERO); return;
	case F80_ZERO:
		c->sw |= F80_ZE;
		*sig = a;
		*exp = f80_inf(1);
		return;
	case F80_INF:
		*sig = a;
		*exp = f80_inf(0);
		return;
	case F80_DENORMAL:
		if (f80_denormal(c))
			return;
		/* fall through */
	default:
		u = f80_unpack(a);
		*sig = f80_make(u.sign, F80_BIAS, u.m);
		*exp = f80_from_int(u.exp - F80_BIAS);
		return;
	}
}

struct x86_f80 f80_prem(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int ieee)
{
	enum f80_class ka = f80_classify(a), kb = f80_classify(b);
	struct f80_unp ua, ub;
	int32_t d, scale;
	uint64_t q, r;
	int sign;

	if (f80_is_nan_class(ka) || f80_is_nan_class(kb))
		return f80_nan_result(c, a, ka, b, kb);
	if (ka == F80_INF || kb == F80_ZERO)
		return f80_invalid(c);
	if ((ka == F80_DENORMAL || kb == F80_DENORMAL) && f80_denormal(c))
		return a;
	if (ka == F80_ZERO)
		return a;
	ua = f80_unpack(a);
	if (kb == F80_INF)
		return f80_canon(a);
	ub = f80_unpack(b);
	sign = ua.sign;
	d = ua.exp - ub.exp;
	if (d >= 64) {
		/* Partial: reduce the exponent difference to 32..63. */
		scale = d - 32 - (d & 31);
		d -= scale;
		c->sw |= F80_C2;
		u128 n = (u128)ua.m << d;
		r = (uint64_t)(n % ub.m);
	} else {
		scale = 0;
		if (d < 0) {
			if (!ieee || d < -1 || ua.m <= ub.m)
				return f80_round(c, sign, ua.exp, (u128)ua.m << 64, 64);
			/* 1/2 < |a/b| < 1: the nearest quotient is 1. */
			c->sw |= F80_C1;
			return f80_norm_round(c, !sign, ub.exp + 63, ((u128)ub.m << 1) - ua.m, 64);
		}
		u128 n = (u128)ua.m << d;
		q = (uint64_t)(n / ub.m);
		r = (uint64_t)(n % ub.m);
		if (ieee && ((u128)r * 2 > ub.m || ((u128)r * 2 == ub.m && (q & 1)))) {
			q++;
			r = ub.m - r;
			sign ^= 1;
		}
		c->sw |= ((q & 4) ? F80_C0 : 0) | ((q & 2) ? F80_C3 : 0) | ((q & 1) ? F80_C1 : 0);
	}
	if (!r)
		return f80_zero(ua.sign);
	return f80_norm_round(c, sign, ub.exp + scale + 64, r, 64);
}

/* Magnitude order of a non-NaN value: -1, 0, 1 as |a| <, =, > |b|. */
static int cmp_mag(struct x86_f80 a, enum f80_class ka, struct x86_f80 b, enum f80_class kb)
{
	struct f80_unp ua, ub;
	if (ka == F80_ZERO || kb == F80_ZERO || ka == F80_INF || kb == F80_INF) {
		int ra = ka == F80_ZERO ? 0 : ka == F80_INF ? 2 : 1;
		int rb = kb == F80_ZERO ? 0 : kb == F80_INF ? 2 : 1;
		return (ra > rb) - (ra < rb);
	}
	ua = f80_unpack(a);
	ub = f80_unpack(b);
	if (ua.exp != ub.exp)
		return ua.exp > ub.exp ? 1 : -1;
	return (ua.m > ub.m) - (ua.m < ub.m);
}

void f80_compare(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int quiet, unsigned flags)
{
	enum f80_class ka = f80_classify(a), kb = f80_classify(b);
	int r, sa = f80_sign(a), sb = f80_sign(b);

	if (f80_is_nan_class(ka) || f80_is_nan_class(kb)) {
		if (!quiet || ka == F80_SNAN || kb == F80_SNAN || ka == F80_UNSUPPORTED ||
		    kb == F80_UNSUPPORTED)
			c->sw |= F80_IE;
		c->sw |= F80_C3 | F80_C2 | F80_C0;
		return;
	}
	if (ka == F80_DENORMAL || kb == F80_DENORMAL || flags)
		c->sw |= F80_DE;
	if (ka == F80_ZERO && kb == F80_ZERO)
		r = 0;
	else if (sa != sb)
		r = sa ? -1 : 1;
	else
		r = sa ? -cmp_mag(a, ka, b, kb) : cmp_mag(a, ka, b, kb);
	c->sw |= r == 0 ? F80_C3 : r < 0 ? F80_C0 : 0;
}

unsigned f80_examine(struct x86_f80 a, int empty)
{
	/* C3 C2 C0 by class, in enum f80_class order. */
	static const uint16_t cc[] = {
		[F80_ZERO] = F80_C3,
		[F80_NORMAL] = F80_C2,
		[F80_DENORMAL] = F80_C3 | F80_C2,
		[F80_INF] = F80_C2 | F80_C0,
		[F80_QNAN] = F80_C0,
		[F80_SNAN] = F80_C0,
		[F80_UNSUPPORTED] = 0,
	};
	unsigned sw = f80_sign(a) ? F80_C1 : 0;
	return sw | (empty ? F80_C3 | F80_C0 : cc[f80_classify(a)]);
}
