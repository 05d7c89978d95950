/* f80.h — software x87 extended-precision arithmetic.
 *
 * Every x87 computation goes through these functions on both hosts, so
 * that an aarch64 host (whose long double is binary128) and an x86-64 host
 * give the same bits. They implement what the x87 does, not IEEE 754 in
 * the abstract: precision control, the round-up bit C1, denormal-operand
 * reporting, x87 NaN selection, unsupported encodings, and the masked and
 * unmasked responses to each exception.
 *
 * Each call takes a context: the control word in, the status bits the
 * operation raised out (exception flags and condition codes at their
 * status-word positions). The caller merges them into the guest FSW and
 * decides what to write back: when an operation raises an unmasked IE, DE
 * or ZE the value it returns is meaningless and the destination keeps its
 * old value; unmasked OE and UE give the exponent-wrapped result that the
 * x87 writes to a register.
 *
 * The code has no libc calls and no writable globals, so that code
 * translated ahead of time can link it.
 */
#ifndef XLATE_X86_F80_H
#define XLATE_X86_F80_H

#include "translator/x86/x86.h"

/* Status word bits. */
enum {
	F80_IE = 0x0001,
	F80_DE = 0x0002,
	F80_ZE = 0x0004,
	F80_OE = 0x0008,
	F80_UE = 0x0010,
	F80_PE = 0x0020,
	F80_SF = 0x0040,
	F80_ES = 0x0080,
	F80_C0 = 0x0100,
	F80_C1 = 0x0200,
	F80_C2 = 0x0400,
	F80_C3 = 0x4000,
	F80_B = 0x8000,
	F80_EXC = 0x003f, /* the six exception flags, also the mask bits of the FCW */
	F80_CC = F80_C0 | F80_C1 | F80_C2 | F80_C3,
};

/* Control word fields. */
#define F80_CW_PC(cw) (((cw) >> 8) & 3) /* 0: 24 bits, 2: 53 bits, 1 and 3: 64 bits */
#define F80_CW_RC(cw) (((cw) >> 10) & 3)
enum { F80_RC_NEAR, F80_RC_DOWN, F80_RC_UP, F80_RC_ZERO };

struct f80_ctx {
	uint16_t cw; /* in: control word (masks, PC, RC) */
	uint16_t sw; /* out: F80_* bits raised (C1 = the result was rounded up) */
};

/* Bits of sw that stop the destination from being written. */
static inline unsigned f80_suppressed(const struct f80_ctx *c)
{
	return c->sw & ~c->cw & (F80_IE | F80_DE | F80_ZE);
}

/* ---- encodings ---- */

/* How the x87 sees an 80-bit value. Pseudo-denormals (exponent 0, integer
 * bit set) are DENORMAL; unnormals, pseudo-infinities and pseudo-NaNs are
 * UNSUPPORTED and make arithmetic invalid. */
enum f80_class {
	F80_ZERO,
	F80_NORMAL,
	F80_DENORMAL,
	F80_INF,
	F80_QNAN,
	F80_SNAN,
	F80_UNSUPPORTED,
};
static inline enum f80_class f80_classify(struct x86_f80 a)
{
	unsigned e = a.sexp & 0x7fff;
	if (e == 0)
		return a.mant ? F80_DENORMAL : F80_ZERO;
	if (!(a.mant >> 63))
		return F80_UNSUPPORTED;
	if (e != 0x7fff)
		return F80_NORMAL;
	if (!(a.mant << 1))
		return F80_INF;
	return (a.mant >> 62) & 1 ? F80_QNAN : F80_SNAN;
}

#define F80_SIGN    0x8000
#define F80_EXP_MAX 0x7fff
#define F80_BIAS    16383
#define F80_INT_BIT 0x8000000000000000ull

/* The "real indefinite" QNaN the x87 returns for invalid operations. */
static inline struct x86_f80 f80_indefinite(void)
{
	return (struct x86_f80){0xc000000000000000ull, 0xffff};
}

static inline struct x86_f80 f80_make(int sign, unsigned exp, uint64_t mant)
{
	return (struct x86_f80){mant, (uint16_t)((sign ? F80_SIGN : 0) | exp)};
}

/* Tag-word value of a non-empty register: 0 valid, 1 zero, 2 special. */
static inline unsigned f80_tag(struct x86_f80 a)
{
	unsigned e = a.sexp & 0x7fff;
	if (e == 0)
		return a.mant ? 2 : 1;
	return e == 0x7fff || !(a.mant >> 63) ? 2 : 0;
}

/* ---- arithmetic (FADD ... FDIVR, FSQRT): rounded per FCW.PC and FCW.RC ---- */

enum f80_op { F80_ADD, F80_SUB, F80_MUL, F80_DIV };
/* Flags for f80_arith and f80_compare: operand a or b came from memory as
 * a denormal float32/float64 (it is normal once widened, but the x87 still
 * reports DE for it). */
#define F80_A_DENORMAL 1u
#define F80_B_DENORMAL 2u
struct x86_f80 f80_arith(struct f80_ctx *c, enum f80_op op, struct x86_f80 a, struct x86_f80 b,
			 unsigned flags);
struct x86_f80 f80_sqrt(struct f80_ctx *c, struct x86_f80 a);

/* ---- the rest of the instruction set (64-bit rounding, PC ignored) ---- */

struct x86_f80 f80_rndint(struct f80_ctx *c, struct x86_f80 a);
/* FSCALE: a * 2^trunc(b). */
struct x86_f80 f80_scale(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b);
/* FXTRACT: a = sig * 2^exp; sig has a's sign and exponent 0. */
void f80_xtract(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 *sig, struct x86_f80 *exp);
/* FPREM (ieee = 0: truncated quotient) and FPREM1 (ieee = 1: nearest):
 * returns the (partial) remainder of a / b; sets C2 when incomplete, else
 * C0, C3, C1 to quotient bits 2, 1, 0 (all condition codes are written). */
struct x86_f80 f80_prem(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int ieee);

/* Compares a with b, setting C3 C2 C0 as FCOM does (000 a > b, 001 a < b,
 * 100 equal, 111 unordered) and clearing C1. quiet: FUCOM (only SNaNs and
 * unsupported operands are invalid) rather than FCOM (any NaN is). */
void f80_compare(struct f80_ctx *c, struct x86_f80 a, struct x86_f80 b, int quiet, unsigned flags);
/* FXAM condition codes (C3 C2 C1 C0) for a register, or for an empty one. */
unsigned f80_examine(struct x86_f80 a, int empty);

/* ---- conversions ---- */

struct x86_f80 f80_from_int(int64_t v); /* exact */
/* FIST/FISTP (truncate = 0, rounds per RC) and FISTTP (truncate = 1) to a
 * signed integer of `bytes` bytes; out of range and NaN give IE and the
 * integer indefinite (the most negative value). */
int64_t f80_to_int(struct f80_ctx *c, struct x86_f80 a, unsigned bytes, int truncate);

/* Float32/float64 memory operands widened exactly, SNaNs kept signalling
 * (the arithmetic that consumes them decides), denormals normalised
 * (*denormal set, for F80_B_DENORMAL). */
struct x86_f80 f80_widen_f32(uint32_t v, int *denormal);
struct x86_f80 f80_widen_f64(uint64_t v, int *denormal);
/* FLD m32/m64: as the widenings, raising DE for a denormal and IE for an
 * SNaN, which is loaded quiet. */
struct x86_f80 f80_load_f32(struct f80_ctx *c, uint32_t v);
struct x86_f80 f80_load_f64(struct f80_ctx *c, uint64_t v);
/* FST m32/m64: rounded per RC (PC does not apply). Unmasked OE/UE mean
 * no store (f80_store_suppressed). */
uint32_t f80_store_f32(struct f80_ctx *c, struct x86_f80 a);
uint64_t f80_store_f64(struct f80_ctx *c, struct x86_f80 a);
static inline unsigned f80_store_suppressed(const struct f80_ctx *c)
{
	return c->sw & ~c->cw & (F80_IE | F80_DE | F80_ZE | F80_OE | F80_UE);
}

/* FBLD and FBSTP: 10-byte packed BCD. */
struct x86_f80 f80_from_bcd(const uint8_t bcd[10]);
void f80_to_bcd(struct f80_ctx *c, struct x86_f80 a, uint8_t bcd[10]);

/* FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (in ops.def order):
 * the constant rounded to 64 bits per RC, as the x87 does (no PE). */
enum f80_const { F80_K_ONE, F80_K_L2T, F80_K_L2E, F80_K_PI, F80_K_LG2, F80_K_LN2, F80_K_ZERO };
struct x86_f80 f80_const(struct f80_ctx *c, enum f80_const k);

/* ---- transcendental instructions ---- */

struct x86_f80 f80_f2xm1(struct f80_ctx *c, struct x86_f80 x);
struct x86_f80 f80_yl2x(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 y);
struct x86_f80 f80_yl2xp1(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 y);
struct x86_f80 f80_atan2(struct f80_ctx *c, struct x86_f80 y, struct x86_f80 x); /* FPATAN */
/* FSIN, FCOS, FSINCOS, FPTAN: for |x| >= 2^63 they set C2 and return 0,
 * leaving the operand alone; otherwise they clear C2 and return 1 with the
 * results. Either output pointer may be NULL. FPTAN returns tan in *s. */
int f80_sincos(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 *s, struct x86_f80 *co);
int f80_tan(struct f80_ctx *c, struct x86_f80 x, struct x86_f80 *t);

#endif
