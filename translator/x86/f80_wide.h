/* f80_wide.h — 128-bit-significand floating point for the transcendental
 * instructions: enough precision to round their results to 64 bits, or to
 * reproduce the narrower intermediates the x87 itself keeps. Not exposed
 * outside the f80 files. Operations truncate (with a sticky bit), which
 * costs at most a few units in the 127th bit. */
#ifndef XLATE_X86_F80_WIDE_H
#define XLATE_X86_F80_WIDE_H

#include "translator/x86/f80_impl.h"

/* (-1)^s * m * 2^(e - 127); m has bit 127 set, or is 0 for zero. */
struct xf {
	u128 m;
	int32_t e;
	int s;
};

#define XF_HI(hi, lo) (((u128)(hi) << 64) | (lo))

static inline struct xf xf_make(uint64_t hi, uint64_t lo, int32_t e)
{
	return (struct xf){XF_HI(hi, lo), e, 0};
}

static inline struct xf xf_neg(struct xf a)
{
	a.s ^= 1;
	return a;
}

static inline int xf_is_zero(struct xf a)
{
	return a.m == 0;
}

/* v * 2^(e - 127) normalised (v may be 0). */
static inline struct xf xf_norm(int s, int32_t e, u128 v)
{
	int n = v ? f80_clz128(v) : 0;
	return (struct xf){v << n, v ? e - n : 0, s};
}

static inline struct xf xf_from_unp(struct f80_unp u)
{
	return (struct xf){(u128)u.m << 64, u.exp - F80_BIAS, u.sign};
}

static inline struct xf xf_from_int(int64_t v)
{
	uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
	return xf_norm(v < 0, 127, m);
}

/* Keeps the top p bits of the significand (truncation toward zero). */
static inline struct xf xf_trunc(struct xf a, int p)
{
	a.m &= ~(u128)0 << (128 - p);
	return a;
}

/* Just below the top p bits of |a|: the truncation less an infinitesimal
 * (the x87's internal results for several functions fall short so). */
static inline struct xf xf_below(struct xf a, int p)
{
	a = xf_trunc(a, p);
	if (!a.m)
		return a;
	return xf_norm(a.s, a.e + 1, (a.m >> 1) - 1);
}

/* Rounds to 64 bits per the context (PC does not apply). */
static inline struct x86_f80 xf_round(struct f80_ctx *c, struct xf a)
{
	if (!a.m)
		return f80_zero(a.s);
	return f80_round(c, a.s, a.e + F80_BIAS, a.m, 64);
}

struct xf xf_add(struct xf a, struct xf b);
struct xf xf_mul(struct xf a, struct xf b);
struct xf xf_div(struct xf a, struct xf b);
struct xf xf_div_small(struct xf a, uint64_t n);

static inline struct xf xf_sub(struct xf a, struct xf b)
{
	return xf_add(a, xf_neg(b));
}

/* Constants. */
extern const struct xf xf_ln2, xf_log2e, xf_pi;

/* Elementary functions on the wide format. */
struct xf xf_ln(struct xf x);				 /* x > 0 */
struct xf xf_log1p(struct xf x);			 /* |x| < 1/2 */
struct xf xf_expm1(struct xf x);			 /* |x| <= 1 */
struct xf xf_atan(struct xf x);				 /* any x */
void xf_sincos(struct xf x, struct xf *s, struct xf *c); /* |x| <= pi/4 */

#endif
