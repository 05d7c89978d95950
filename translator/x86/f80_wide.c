/* f80_wide.c — 128-bit-significand arithmetic and elementary functions. */
#include "translator/x86/f80_wide.h"

const struct xf xf_ln2 = {XF_HI(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull), -1, 0};
const struct xf xf_log2e = {XF_HI(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e89ull), 0, 0};
const struct xf xf_pi = {XF_HI(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull), 1, 0};

struct xf xf_add(struct xf a, struct xf b)
{
	u128 bm, r;
	int32_t d;

	if (!b.m)
		return a;
	if (!a.m)
		return b;
	if (a.e < b.e || (a.e == b.e && a.m < b.m)) {
		struct xf t = a;
		a = b;
		b = t;
	}
	d = a.e - b.e;
	bm = f80_shr_sticky(b.m, d);
	if (a.s == b.s) {
		r = a.m + bm;
		if (r < a.m) /* carry out of bit 127 */
			return (struct xf){(r >> 1) | ((u128)1 << 127) | (r & 1), a.e + 1, a.s};
		return (struct xf){r, a.e, a.s};
	}
	return xf_norm(a.s, a.e, a.m - bm);
}

struct xf xf_mul(struct xf a, struct xf b)
{
	uint64_t ah = (uint64_t)(a.m >> 64), al = (uint64_t)a.m;
	uint64_t bh = (uint64_t)(b.m >> 64), bl = (uint64_t)b.m;
	u128 hh = (u128)ah * bh, hl = (u128)ah * bl, lh = (u128)al * bh, ll = (u128)al * bl;
	u128 mid = (hl & ~0ull) + (lh & ~0ull) + (ll >> 64);
	u128 hi = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
	uint64_t lo = (uint64_t)mid, sticky = (uint64_t)ll;
	int32_t e = a.e + b.e;

	if (!a.m || !b.m)
		return (struct xf){0, 0, a.s ^ b.s};
	if (hi >> 127) {
		hi |= (lo | sticky) != 0;
		return (struct xf){hi, e + 1, a.s ^ b.s};
	}
	hi = (hi << 1) | (lo >> 63);
	hi |= ((lo << 1) | sticky) != 0;
	return (struct xf){hi, e, a.s ^ b.s};
}

/* m * 2^k divided by n, as a normalised 128-bit quotient. */
struct xf xf_div_small(struct xf a, uint64_t n)
{
	uint64_t hi = (uint64_t)(a.m >> 64), lo = (uint64_t)a.m, r;
	u128 q, t;
	uint64_t qx;
	int sh;

	q = (u128)(hi / n) << 64;
	r = hi % n;
	t = ((u128)r << 64) | lo;
	q |= (uint64_t)(t / n);
	r = (uint64_t)(t % n);
	t = (u128)r << 64;
	qx = (uint64_t)(t / n);
	sh = f80_clz128(q);
	if (sh)
		q = (q << sh) | (qx >> (64 - sh));
	return (struct xf){q | ((t % n) != 0), a.e - sh, a.s};
}

struct xf xf_div(struct xf a, struct xf b)
{
	/* 1/b by one Newton step from a 64-bit estimate, then a * (1/b). */
	uint64_t bh = (uint64_t)(b.m >> 64);
	u128 r0 = ((u128)1 << 126) / ((bh >> 1) + 1); /* 2^191 / b.m to 62 bits */
	struct xf y = xf_norm(0, 63 - b.e, r0), two = xf_make(1ull << 63, 0, 1);
	struct xf bb = b;
	bb.s = 0;
	y = xf_mul(y, xf_sub(two, xf_mul(bb, y)));
	y = xf_mul(y, xf_sub(two, xf_mul(bb, y)));
	y.s = b.s;
	return xf_mul(a, y);
}

/* 2 atanh(s) = s * 2 (1 + s^2/3 + s^4/5 + ...), for |s| <= 0.18. */
static struct xf atanh2(struct xf s)
{
	struct xf s2 = xf_mul(s, s), p = s2, sum = xf_make(1ull << 63, 0, 0);
	/* the first term always, so that a tiny s still makes it inexact */
	for (uint64_t k = 3; p.m; k += 2) {
		sum = xf_add(sum, xf_div_small(p, k));
		p = xf_mul(p, s2);
		if (p.e < -132)
			break;
	}
	sum = xf_mul(sum, s);
	sum.e += 1;
	return sum;
}

struct xf xf_ln(struct xf x)
{
	/* x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh((m-1)/(m+1)). */
	int32_t e = x.e;
	struct xf m = {x.m, 0, 0}, one = xf_make(1ull << 63, 0, 0);
	if (m.m > XF_HI(0xb504f333f9de6484ull, 0x597d89b3754abe9full)) {
		m.e = -1;
		e++;
	}
	struct xf r = atanh2(xf_div(xf_sub(m, one), xf_add(m, one)));
	return xf_add(xf_mul(xf_from_int(e), xf_ln2), r);
}

struct xf xf_log1p(struct xf x)
{
	/* ln(1 + x) = 2 atanh(x / (2 + x)) */
	struct xf two = xf_make(1ull << 63, 0, 1);
	return atanh2(xf_div(x, xf_add(two, x)));
}

struct xf xf_expm1(struct xf x)
{
	/* Halve the argument to |x| < 2^-8, sum the series, then square up:
	 * expm1(2t) = expm1(t) * (expm1(t) + 2). */
	int k = x.e > -9 ? x.e + 9 : 0;
	struct xf t = x, sum, term, two = xf_make(1ull << 63, 0, 1);
	if (!x.m)
		return x;
	t.e -= k;
	sum = t;
	term = t;
	for (uint64_t n = 2; term.m; n++) {
		term = xf_div_small(xf_mul(term, t), n);
		sum = xf_add(sum, term);
		if (term.e < t.e - 132)
			break;
	}
	while (k--)
		sum = xf_mul(sum, xf_add(sum, two));
	return sum;
}

/* atan(k/16) for k = 1..16. */
static const struct xf atan_tab[16] = {
	{XF_HI(0xffaaddb967ef4e36ull, 0xcb2792dc0e2e0d51ull), -5, 0},
	{XF_HI(0xfeadd4d5617b6e32ull, 0xc897989f3e888ef8ull), -4, 0},
	{XF_HI(0xbdcbda5e72d81134ull, 0x7b0b4f881c9c7488ull), -3, 0},
	{XF_HI(0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e6ull), -3, 0},
	{XF_HI(0x9b13b9b83f5e5e69ull, 0xc5abb498d27af328ull), -2, 0},
	{XF_HI(0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull), -2, 0},
	{XF_HI(0xd327761e611fe5b6ull, 0x427c95e9001e7136ull), -2, 0},
	{XF_HI(0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull), -2, 0},
	{XF_HI(0x832bf4a6d9867e2aull, 0x4b6a09cb61a515c1ull), -1, 0},
	{XF_HI(0x8f005d5ef7f59f9bull, 0x5c835e1665c43748ull), -1, 0},
	{XF_HI(0x9a2f80e671bdda20ull, 0x4226f8e2204ff3bdull), -1, 0},
	{XF_HI(0xa4bc7d1934f70924ull, 0x19a87f2a457dac9full), -1, 0},
	{XF_HI(0xaeac4c38b4d8c080ull, 0x14725e2f3e52070aull), -1, 0},
	{XF_HI(0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull), -1, 0},
	{XF_HI(0xc0ce85b8ac526640ull, 0x89dd62c46e92fa25ull), -1, 0},
	{XF_HI(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull), -1, 0},
};

struct xf xf_atan(struct xf x)
{
	struct xf a = x, base = {0, 0, 0}, u, u2, p, sum;
	int inv = 0, sign = x.s, k;

	if (!x.m)
		return x;
	a.s = 0;
	if (a.e >= 0 && !(a.e == 0 && a.m == (u128)1 << 127)) {
		/* |x| > 1: atan x = pi/2 - atan(1/x) */
		a = xf_div(xf_make(1ull << 63, 0, 0), a);
		inv = 1;
	}
	/* a in [0, 1]: atan a = atan(k/16) + atan((a - k/16) / (1 + a k/16)) */
	k = a.e < -5 ? 0 : (int)((a.m >> (127 - 5 - a.e)) + 1) / 2;
	if (k) {
		struct xf c = xf_div_small(xf_from_int(k), 16);
		base = atan_tab[k - 1];
		a = xf_div(xf_sub(a, c), xf_add(xf_make(1ull << 63, 0, 0), xf_mul(a, c)));
	}
	/* |a| <= 1/32: a - a^3/3 + a^5/5 - ... */
	u = a;
	u2 = xf_mul(a, a);
	sum = a;
	p = a;
	for (uint64_t n = 3; p.m; n += 2) {
		p = xf_neg(xf_mul(p, u2));
		sum = xf_add(sum, xf_div_small(p, n));
		if (p.e < u.e - 132)
			break;
	}
	sum = xf_add(base, sum);
	if (inv) {
		struct xf half_pi = xf_pi;
		half_pi.e--;
		sum = xf_sub(half_pi, sum);
	}
	sum.s ^= sign;
	return sum;
}

void xf_sincos(struct xf x, struct xf *s, struct xf *c)
{
	/* Taylor series on |x| <= pi/4. */
	struct xf x2 = xf_mul(x, x), ts = x, tc = xf_make(1ull << 63, 0, 0);
	struct xf ss = x, cc = tc;
	if (!x.m) {
		*s = x;
		*c = cc;
		return;
	}
	for (uint64_t n = 1; ts.m; n += 2) {
		tc = xf_neg(xf_div_small(xf_mul(tc, x2), n * (n + 1)));
		cc = xf_add(cc, tc);
		ts = xf_neg(xf_div_small(xf_mul(ts, x2), (n + 1) * (n + 2)));
		ss = xf_add(ss, ts);
		if (ts.e < x.e - 132)
			break;
	}
	*s = ss;
	*c = cc;
}
