/* f80_conv.c — conversions between extended precision and integers,
 * float32/float64, packed BCD, and the FLD constants. */
#include "translator/x86/f80_impl.h"

struct x86_f80 f80_from_int(int64_t v)
{
	uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int n;
	if (!m)
		return f80_zero(0);
	n = f80_clz64(m);
	return f80_make(v < 0, (unsigned)(F80_BIAS + 63 - n), m << n);
}

/* Rounds |a| (finite) to an integer per rc; *inexact and *up report the
 * rounding. Returns 0 with *big set when |a| >= 2^64. */
static uint64_t to_uint(struct x86_f80 a, enum f80_class k, int rc, int *inexact, int *up, int *big)
{
	struct f80_unp u;
	int32_t sh;
	uint64_t i, rest, half;

	*inexact = *up = *big = 0;
	if (k == F80_ZERO)
		return 0;
	u = f80_unpack(a);
	sh = F80_BIAS + 63 - u.exp;
	if (sh < 0) {
		*big = 1;
		return 0;
	}
	if (sh == 0)
		return u.m;
	if (sh > 64) {
		i = 0;
		rest = 1;
		half = 2;
	} else {
		i = sh == 64 ? 0 : u.m >> sh;
		rest = sh == 64 ? u.m : u.m & ((1ull << sh) - 1);
		half = 1ull << (sh - 1);
	}
	*inexact = rest != 0;
	switch (rc) {
	case F80_RC_NEAR: *up = rest > half || (rest == half && (i & 1)); break;
	case F80_RC_DOWN: *up = u.sign && rest; break;
	case F80_RC_UP: *up = !u.sign && rest; break;
	default: break;
	}
	if (*up && !++i)
		*big = 1;
	return i;
}

int64_t f80_to_int(struct f80_ctx *c, struct x86_f80 a, unsigned bytes, int truncate)
{
	enum f80_class k = f80_classify(a);
	uint64_t lim = 1ull << (bytes * 8 - 1), i;
	int inexact, up, big, neg = f80_sign(a);

	if (f80_is_nan_class(k) || k == F80_INF)
		goto invalid;
	i = to_uint(a, k, truncate ? F80_RC_ZERO : F80_CW_RC(c->cw), &inexact, &up, &big);
	if (big || i > lim || (i == lim && !neg))
		goto invalid;
	if (inexact)
		c->sw |= F80_PE | (up ? F80_C1 : 0);
	return neg ? -(int64_t)(i - 1) - 1 : (int64_t)i;
invalid:
	c->sw |= F80_IE;
	return (int64_t)(~0ull << (bytes * 8 - 1));
}

/* Widens a binary interchange float with `fb` fraction bits and `eb`
 * exponent bits. */
static struct x86_f80 widen(uint64_t v, int fb, int eb, int *denormal)
{
	int sign = (int)(v >> (fb + eb)) & 1;
	unsigned emax = (1u << eb) - 1, bias = emax >> 1;
	unsigned e = (unsigned)(v >> fb) & emax;
	uint64_t f = v & ((1ull << fb) - 1);
	int n;

	*denormal = 0;
	if (e == emax)
		return f80_make(sign, F80_EXP_MAX, F80_INT_BIT | (f << (63 - fb)));
	if (e)
		return f80_make(sign, e - bias + F80_BIAS, F80_INT_BIT | (f << (63 - fb)));
	if (!f)
		return f80_zero(sign);
	*denormal = 1;
	n = f80_clz64(f);
	return f80_make(sign, (unsigned)(F80_BIAS + 1 - (int)bias - fb + 63 - n), f << n);
}

struct x86_f80 f80_widen_f32(uint32_t v, int *denormal)
{
	return widen(v, 23, 8, denormal);
}

struct x86_f80 f80_widen_f64(uint64_t v, int *denormal)
{
	return widen(v, 52, 11, denormal);
}

static struct x86_f80 load(struct f80_ctx *c, struct x86_f80 a, int denormal)
{
	if (denormal)
		c->sw |= F80_DE;
	if (f80_classify(a) == F80_SNAN) {
		c->sw |= F80_IE;
		return f80_quiet(a);
	}
	return a;
}

struct x86_f80 f80_load_f32(struct f80_ctx *c, uint32_t v)
{
	int den;
	struct x86_f80 a = f80_widen_f32(v, &den);
	return load(c, a, den);
}

struct x86_f80 f80_load_f64(struct f80_ctx *c, uint64_t v)
{
	int den;
	struct x86_f80 a = f80_widen_f64(v, &den);
	return load(c, a, den);
}

/* Rounds a to a binary interchange format with `prec` significand bits
 * and `eb` exponent bits, per RC, with that format's exponent range. */
static uint64_t narrow(struct f80_ctx *c, struct x86_f80 a, int prec, int eb)
{
	enum f80_class k = f80_classify(a);
	int sign = f80_sign(a), fb = prec - 1, drop = 64 - prec, rc = F80_CW_RC(c->cw);
	uint64_t emax = (1u << eb) - 1, bias = emax >> 1, s = (uint64_t)sign << (fb + eb);
	uint64_t inf = s | (emax << fb), kept, rest, half = 1ull << (drop - 1);
	struct f80_unp u;
	int32_t e;
	int inc, tiny = 0;

	switch (k) {
	case F80_UNSUPPORTED:
		c->sw |= F80_IE;
		return inf | (1ull << (fb - 1)) | (1ull << (fb + eb));
	case F80_SNAN:
		c->sw |= F80_IE;
		/* fall through */
	case F80_QNAN: return inf | (1ull << (fb - 1)) | ((a.mant << 1) >> (64 - fb));
	case F80_INF: return inf;
	case F80_ZERO: return s;
	default: break;
	}
	u = f80_unpack(a);
	e = u.exp - F80_BIAS + (int32_t)bias; /* biased in the target format */
	if (e < 1) {
		/* Tiny unless it rounds to the smallest normal unbounded. */
		kept = u.m >> drop;
		rest = u.m & ((1ull << drop) - 1);
		inc = (e == 0) && ((kept + 1) >> prec) &&
		      ((rc == F80_RC_NEAR && rest >= half) ||
		       (rc == (sign ? F80_RC_DOWN : F80_RC_UP) && rest));
		tiny = !inc;
		if (tiny && !(c->cw & F80_UE)) {
			c->sw |= F80_UE;
			return 0;
		}
		u.m = (uint64_t)f80_shr_sticky(u.m, 1 - e);
		e = 0;
	}
	kept = u.m >> drop;
	rest = u.m & ((1ull << drop) - 1);
	switch (rc) {
	case F80_RC_NEAR: inc = rest > half || (rest == half && (kept & 1)); break;
	case F80_RC_DOWN: inc = sign && rest; break;
	case F80_RC_UP: inc = !sign && rest; break;
	default: inc = 0; break;
	}
	kept += inc;
	if (e == 0) {
		e = (int32_t)(kept >> fb); /* rounded up to the smallest normal */
	} else if (kept >> prec) {
		kept >>= 1;
		e++;
	}
	if (e >= (int32_t)emax) {
		if (!(c->cw & F80_OE)) {
			c->sw |= F80_OE;
			return 0;
		}
		c->sw |= F80_OE | F80_PE;
		if (rc == F80_RC_NEAR || rc == (sign ? F80_RC_DOWN : F80_RC_UP)) {
			c->sw |= F80_C1;
			return inf;
		}
		return inf - 1;
	}
	if (rest)
		c->sw |= F80_PE | (tiny ? F80_UE : 0) | (inc ? F80_C1 : 0);
	return s | ((uint64_t)e << fb) | (kept & ((1ull << fb) - 1));
}

uint32_t f80_store_f32(struct f80_ctx *c, struct x86_f80 a)
{
	return (uint32_t)narrow(c, a, 24, 8);
}

uint64_t f80_store_f64(struct f80_ctx *c, struct x86_f80 a)
{
	return narrow(c, a, 53, 11);
}

struct x86_f80 f80_from_bcd(const uint8_t bcd[10])
{
	/* Nibbles above 9 are not digits; the x87 weighs them all the same. */
	uint64_t v = 0;
	int i;
	for (i = 8; i >= 0; i--)
		v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
	if (!v)
		return f80_zero(bcd[9] >> 7);
	{
		struct x86_f80 r = f80_from_int((int64_t)v);
		r.sexp |= (uint16_t)((bcd[9] & 0x80) << 8);
		return r;
	}
}

void f80_to_bcd(struct f80_ctx *c, struct x86_f80 a, uint8_t bcd[10])
{
	static const uint8_t indefinite[10] = {0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff};
	enum f80_class k = f80_classify(a);
	int inexact, up, big, i;
	uint64_t v;

	if (f80_is_nan_class(k) || k == F80_INF)
		goto invalid;
	v = to_uint(a, k, F80_CW_RC(c->cw), &inexact, &up, &big);
	if (big || v > 999999999999999999ull)
		goto invalid;
	if (inexact)
		c->sw |= F80_PE | (up ? F80_C1 : 0);
	for (i = 0; i < 9; i++, v /= 100)
		bcd[i] = (uint8_t)((v % 10) | ((v / 10 % 10) << 4));
	bcd[9] = f80_sign(a) ? 0x80 : 0;
	return;
invalid:
	c->sw |= F80_IE;
	for (i = 0; i < 10; i++)
		bcd[i] = indefinite[i];
}

struct x86_f80 f80_const(struct f80_ctx *c, enum f80_const k)
{
	/* Each constant truncated to 64 bits, and whether the rest of it is
	 * at least half an ulp: the x87 rounds them so (PE never set). */
	// clang-format off
	static const struct { uint64_t m; uint16_t e; uint8_t half_up; } tab[] = {
		[F80_K_ONE]  = {0x8000000000000000ull, 0x3fff, 0},
		[F80_K_L2T]  = {0xd49a784bcd1b8afeull, 0x4000, 0},
		[F80_K_L2E]  = {0xb8aa3b295c17f0bbull, 0x3fff, 1},
		[F80_K_PI]   = {0xc90fdaa22168c234ull, 0x4000, 1},
		[F80_K_LG2]  = {0x9a209a84fbcff798ull, 0x3ffd, 1},
		[F80_K_LN2]  = {0xb17217f7d1cf79abull, 0x3ffe, 1},
		[F80_K_ZERO] = {0, 0, 0},
	};
	// clang-format on
	int rc = F80_CW_RC(c->cw), exact = k == F80_K_ONE || k == F80_K_ZERO;
	uint64_t m = tab[k].m;
	if (!exact && (rc == F80_RC_UP || (rc == F80_RC_NEAR && tab[k].half_up)))
		m++;
	return (struct x86_f80){m, tab[k].e};
}
