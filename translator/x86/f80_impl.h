/* f80_impl.h — internals shared by the f80_*.c files. */
#ifndef XLATE_X86_F80_IMPL_H
#define XLATE_X86_F80_IMPL_H

#include "translator/x86/f80.h"

typedef unsigned __int128 u128;

/* The exponent offset an unmasked overflow or underflow applies. */
#define F80_WRAP 24576

/* A finite nonzero value (-1)^sign * m * 2^(exp - F80_BIAS - 63) with bit
 * 63 of m set; exp is not limited to the encodable range. */
struct f80_unp {
	uint64_t m;
	int32_t exp;
	int sign;
};

static inline int f80_sign(struct x86_f80 a)
{
	return a.sexp >> 15;
}

static inline unsigned f80_bexp(struct x86_f80 a)
{
	return a.sexp & F80_EXP_MAX;
}

static inline int f80_clz64(uint64_t v)
{
	return v ? __builtin_clzll(v) : 64;
}

static inline int f80_clz128(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);
	return hi ? __builtin_clzll(hi) : 64 + f80_clz64((uint64_t)v);
}

/* Unpacks a normal, denormal or pseudo-denormal value. */
static inline struct f80_unp f80_unpack(struct x86_f80 a)
{
	struct f80_unp u = {a.mant, (int32_t)f80_bexp(a), f80_sign(a)};
	if (u.exp == 0) {
		int n = f80_clz64(u.m);
		u.m <<= n;
		u.exp = 1 - n;
	}
	return u;
}

static inline struct x86_f80 f80_zero(int sign)
{
	return f80_make(sign, 0, 0);
}

static inline struct x86_f80 f80_inf(int sign)
{
	return f80_make(sign, F80_EXP_MAX, F80_INT_BIT);
}

/* The value itself, a pseudo-denormal re-encoded with exponent 1 as the
 * x87 does when it passes an operand through unchanged. */
static inline struct x86_f80 f80_canon(struct x86_f80 a)
{
	if (!f80_bexp(a) && (a.mant & F80_INT_BIT))
		a.sexp |= 1;
	return a;
}

static inline struct x86_f80 f80_quiet(struct x86_f80 a)
{
	a.mant |= 1ull << 62;
	return a;
}

static inline int f80_is_nan_class(enum f80_class k)
{
	return k == F80_QNAN || k == F80_SNAN || k == F80_UNSUPPORTED;
}

/* Shifts right by n (any n >= 0), folding the bits shifted out into bit 0. */
static inline u128 f80_shr_sticky(u128 v, int32_t n)
{
	if (n <= 0)
		return v;
	if (n >= 128)
		return v != 0;
	return (v >> n) | ((v & (((u128)1 << n) - 1)) != 0);
}

/* Precision (significand bits) that FCW.PC selects for arithmetic. */
static inline int f80_pc_bits(uint16_t cw)
{
	static const uint8_t bits[4] = {24, 64, 53, 64};
	return bits[F80_CW_PC(cw)];
}

/* Rounds (-1)^sign * v * 2^(exp - F80_BIAS - 127), v having bit 127 set
 * (bit 0 sticky), to `prec` significand bits under FCW.RC, and packs it,
 * with the x87 overflow and underflow responses (tininess after rounding)
 * and PE and C1. */
struct x86_f80 f80_round(struct f80_ctx *c, int sign, int32_t exp, u128 v, int prec);

/* Normalises v (nonzero) to bit 127 and rounds it; the value is
 * (-1)^sign * v * 2^(exp - F80_BIAS - 127). */
static inline struct x86_f80 f80_norm_round(struct f80_ctx *c, int sign, int32_t exp, u128 v,
					    int prec)
{
	int n = f80_clz128(v);
	return f80_round(c, sign, exp - n, v << n, prec);
}

/* a / b for significands with bit 63 set: 128 bits with bit 127 set and
 * a sticky bit 0; *ge tells a >= b (the quotient is then a/b * 2^127,
 * else a/b * 2^128). */
u128 f80_quotient(uint64_t a, uint64_t b, int *ge);

/* The QNaN result of an operation with a NaN or unsupported operand (a
 * and b classified ka and kb; for one operand pass kb = F80_ZERO),
 * raising IE where the x87 does. */
struct x86_f80 f80_nan_result(struct f80_ctx *c, struct x86_f80 a, enum f80_class ka,
			      struct x86_f80 b, enum f80_class kb);

/* The invalid-operation response: IE and the indefinite. */
static inline struct x86_f80 f80_invalid(struct f80_ctx *c)
{
	c->sw |= F80_IE;
	return f80_indefinite();
}

/* Raises DE; returns nonzero when DE is unmasked (the operation stops). */
static inline int f80_denormal(struct f80_ctx *c)
{
	c->sw |= F80_DE;
	return !(c->cw & F80_DE);
}

#endif
