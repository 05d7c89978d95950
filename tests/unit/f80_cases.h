/* f80_cases.h — the x87 operations the f80 tests exercise, how to emulate
 * each with the f80 library, and an edge-heavy operand generator.
 * Shared by test_f80_native (the CPU as oracle, x86-64 only) and
 * test_f80_vectors (results recorded on x86-64, checked on any host). */
#ifndef XLATE_TESTS_F80_CASES_H
#define XLATE_TESTS_F80_CASES_H

#include <stdint.h>
#include <string.h>

#include "translator/x86/f80.h"

/* One operation on ST0 = a, ST1 = b (and a memory operand m). */
enum case_op {
	OP_FADD,
	OP_FSUB,
	OP_FMUL,
	OP_FDIV,
	OP_FSQRT,
	OP_FRNDINT,
	OP_FSCALE,
	OP_FPREM,
	OP_FPREM1,
	OP_FXTRACT,
	OP_FCOM,
	OP_FUCOM,
	OP_FXAM,
	OP_FIST16,
	OP_FIST32,
	OP_FIST64,
	OP_FISTTP16,
	OP_FISTTP32,
	OP_FISTTP64,
	OP_FST32,
	OP_FST64,
	OP_FLD32,
	OP_FLD64,
	OP_FADD32,
	OP_FMUL64,
	OP_FDIVR32,
	OP_FCOM32,
	OP_FBSTP,
	OP_FBLD,
	OP_FLDCONST,
	OP_F2XM1,
	OP_FYL2X,
	OP_FYL2XP1,
	OP_FPATAN,
	OP_FSIN,
	OP_FCOS,
	OP_FSINCOS,
	OP_FPTAN,
	OP_COUNT
};

static const char *const case_op_name[OP_COUNT] = {
	"fadd",	    "fsub",	"fmul",	    "fdiv",  "fsqrt",	"frndint",  "fscale", "fprem",
	"fprem1",   "fxtract",	"fcom",	    "fucom", "fxam",	"fist16",   "fist32", "fist64",
	"fisttp16", "fisttp32", "fisttp64", "fst32", "fst64",	"fld32",    "fld64",  "fadd32",
	"fmul64",   "fdivr32",	"fcom32",   "fbstp", "fbld",	"fldconst", "f2xm1",  "fyl2x",
	"fyl2xp1",  "fpatan",	"fsin",	    "fcos",  "fsincos", "fptan",
};

/* What an operation leaves: the status word (TOP excluded), the stack
 * from ST0 (depth registers), and memory bytes written. */
struct case_out {
	uint16_t sw;
	uint8_t depth;
	struct x86_f80 st[3];
	uint8_t mem[10];
};

struct case_in {
	uint8_t op;
	uint16_t cw;
	struct x86_f80 a, b;
	uint64_t m; /* memory operand (float bits, BCD bytes, FLD constant number) */
};

/* The FSW bits an operation defines: the rest keep their FNINIT values. */
static inline uint16_t case_sw_mask(int op)
{
	switch (op) {
	case OP_FPREM:
	case OP_FPREM1:
	case OP_FCOM:
	case OP_FUCOM:
	case OP_FXAM:
	case OP_FCOM32:
	case OP_FSIN:
	case OP_FCOS:
	case OP_FSINCOS:
	case OP_FPTAN: return 0xc7ff;
	default: return 0x82ff;
	}
}

static inline uint16_t case_finish_sw(const struct f80_ctx *c)
{
	uint16_t sw = c->sw;
	if (sw & ~c->cw & F80_EXC)
		sw |= F80_ES | F80_B;
	return sw;
}

static inline void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The FBLD operand of a case: mostly decimal digits. */
static inline void case_bcd(const struct case_in *in, uint8_t bcd[10])
{
	uint64_t m = in->m;
	for (int i = 0; i < 9; i++, m = m >> 7 | m << 57)
		bcd[i] = (m & 0x300) ? (uint8_t)((m % 10) | (m / 10 % 10) << 4) : (uint8_t)m;
	bcd[9] = (uint8_t)(in->m & 0x80);
}

/* Emulates one case with the library the way the x87 instruction uses it. */
static inline void case_emulate(const struct case_in *in, struct case_out *o)
{
	struct f80_ctx c = {in->cw, 0};
	struct x86_f80 a = in->a, b = in->b, r, r2;
	int den, ok;
	int64_t iv;

	memset(o, 0, sizeof *o);
	o->depth = 2;
	o->st[0] = a;
	o->st[1] = b;
	switch (in->op) {
	case OP_FADD:
	case OP_FSUB:
	case OP_FMUL:
	case OP_FDIV:
		r = f80_arith(&c, (enum f80_op)(in->op - OP_FADD), a, b, 0);
		if (!f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FADD32:
	case OP_FMUL64:
	case OP_FDIVR32:
		if (in->op == OP_FMUL64) {
			r2 = f80_widen_f64(in->m, &den);
			r = f80_arith(&c, F80_MUL, a, r2, den ? F80_B_DENORMAL : 0);
		} else if (in->op == OP_FADD32) {
			r2 = f80_widen_f32((uint32_t)in->m, &den);
			r = f80_arith(&c, F80_ADD, a, r2, den ? F80_B_DENORMAL : 0);
		} else {
			r2 = f80_widen_f32((uint32_t)in->m, &den);
			r = f80_arith(&c, F80_DIV, r2, a, den ? F80_A_DENORMAL : 0);
		}
		if (!f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FSQRT:
	case OP_FRNDINT:
		r = in->op == OP_FSQRT ? f80_sqrt(&c, a) : f80_rndint(&c, a);
		if (!f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FSCALE:
	case OP_FPREM:
	case OP_FPREM1:
		r = in->op == OP_FSCALE ? f80_scale(&c, a, b)
					: f80_prem(&c, a, b, in->op == OP_FPREM1);
		if (!f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FXTRACT:
		f80_xtract(&c, a, &r, &r2);
		if (!f80_suppressed(&c)) {
			o->depth = 3;
			o->st[0] = r;
			o->st[1] = r2;
			o->st[2] = b;
		}
		break;
	case OP_FCOM:
	case OP_FUCOM: f80_compare(&c, a, b, in->op == OP_FUCOM, 0); break;
	case OP_FCOM32:
		r2 = f80_widen_f32((uint32_t)in->m, &den);
		f80_compare(&c, a, r2, 0, den ? F80_B_DENORMAL : 0);
		break;
	case OP_FXAM: c.sw = (uint16_t)f80_examine(a, 0); break;
	case OP_FIST16:
	case OP_FIST32:
	case OP_FIST64:
	case OP_FISTTP16:
	case OP_FISTTP32:
	case OP_FISTTP64: {
		/* FIST m16/m32 do not pop; FISTP m64 and FISTTP do */
		int k = (in->op - OP_FIST16) % 3, tt = in->op >= OP_FISTTP16;
		unsigned bytes = 2u << k;
		iv = f80_to_int(&c, a, bytes, tt);
		if (!f80_store_suppressed(&c)) {
			put_le(o->mem, (uint64_t)iv, (int)bytes);
			if (tt || k == 2) {
				o->depth = 1;
				o->st[0] = b;
			}
		}
		break;
	}
	case OP_FST32:
		iv = f80_store_f32(&c, a);
		if (!f80_store_suppressed(&c))
			put_le(o->mem, (uint64_t)iv, 4);
		break;
	case OP_FST64:
		iv = (int64_t)f80_store_f64(&c, a);
		if (!f80_store_suppressed(&c))
			put_le(o->mem, (uint64_t)iv, 8);
		break;
	case OP_FLD32:
	case OP_FLD64:
		r = in->op == OP_FLD32 ? f80_load_f32(&c, (uint32_t)in->m)
				       : f80_load_f64(&c, in->m);
		if (!(c.sw & ~c.cw & F80_IE)) {
			o->depth = 3;
			o->st[0] = r;
			o->st[1] = a;
			o->st[2] = b;
		}
		break;
	case OP_FBSTP:
		f80_to_bcd(&c, a, o->mem);
		if (!f80_store_suppressed(&c)) {
			o->depth = 1;
			o->st[0] = b;
		} else {
			memset(o->mem, 0, sizeof o->mem);
		}
		break;
	case OP_FBLD: {
		uint8_t bcd[10];
		case_bcd(in, bcd);
		o->depth = 3;
		o->st[0] = f80_from_bcd(bcd);
		o->st[1] = a;
		o->st[2] = b;
		break;
	}
	case OP_FLDCONST:
		o->depth = 3;
		o->st[0] = f80_const(&c, (enum f80_const)(in->m % 7));
		o->st[1] = a;
		o->st[2] = b;
		break;
	case OP_F2XM1:
		r = f80_f2xm1(&c, a);
		if (!f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FYL2X:
	case OP_FYL2XP1:
	case OP_FPATAN:
		r = in->op == OP_FYL2X	   ? f80_yl2x(&c, a, b)
		    : in->op == OP_FYL2XP1 ? f80_yl2xp1(&c, a, b)
					   : f80_atan2(&c, b, a);
		if (!f80_suppressed(&c)) {
			o->depth = 1;
			o->st[0] = r;
		}
		break;
	case OP_FSIN:
	case OP_FCOS:
		ok = f80_sincos(&c, a, in->op == OP_FSIN ? &r : NULL,
				in->op == OP_FCOS ? &r : NULL);
		if (ok && !f80_suppressed(&c))
			o->st[0] = r;
		break;
	case OP_FSINCOS:
		ok = f80_sincos(&c, a, &r, &r2);
		if (ok && !f80_suppressed(&c)) {
			o->depth = 3;
			o->st[0] = r2;
			o->st[1] = r;
			o->st[2] = b;
		}
		break;
	case OP_FPTAN:
		ok = f80_tan(&c, a, &r);
		if (ok && !f80_suppressed(&c)) {
			/* a NaN result is pushed instead of 1 */
			enum f80_class k = f80_classify(r);
			o->depth = 3;
			o->st[0] = k == F80_QNAN ? r : f80_from_int(1);
			o->st[1] = r;
			o->st[2] = b;
		}
		break;
	}
	o->sw = case_finish_sw(&c) & case_sw_mask(in->op);
}

/* ---- operands ---- */

static inline uint64_t case_rand(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* A significand with structure: runs of ones or zeros near the rounding
 * positions of 24, 53 and 64 bits, or random bits. */
static inline uint64_t case_mant(uint64_t *s)
{
	uint64_t r = case_rand(s), m;
	switch (r % 6) {
	case 0: m = ~0ull << (r >> 8) % 64; break;
	case 1: m = (1ull << 63) | ((r >> 8) % 4 ? 0 : 1); break;
	case 2: m = ~0ull >> (r >> 8) % 3; break;
	case 3: m = ~0ull << 40 | (1ull << 39) | (case_rand(s) & ((r >> 10) % 2 ? 0 : 0xff)); break;
	case 4: m = ~0ull << 11 | (1ull << 10) | (case_rand(s) & ((r >> 10) % 2 ? 0 : 0xff)); break;
	default: m = case_rand(s); break;
	}
	return m | (1ull << 63);
}

/* An operand; near, when given, is an exponent to stay close to. */
static inline struct x86_f80 case_value(uint64_t *s, int near)
{
	uint64_t r = case_rand(s);
	int sign = (int)(r >> 63);
	unsigned e;
	switch (r % 24) {
	case 0: return f80_make(sign, 0, 0);
	case 1: return f80_make(sign, 0, case_mant(s) >> (1 + (r >> 8) % 63));
	case 2: return f80_make(sign, 0, case_mant(s));
	case 3: return f80_make(sign, 1 + (unsigned)((r >> 8) % 0x7ffe), case_mant(s) >> 1);
	case 4: return f80_make(sign, 0x7fff, 1ull << 63);
	case 5: return f80_make(sign, 0x7fff, (3ull << 62) | (case_rand(s) >> ((r >> 8) % 62 + 2)));
	case 6:
		return f80_make(sign, 0x7fff,
				(1ull << 63) | 1 | (case_rand(s) >> ((r >> 8) % 62 + 2)));
	case 7: return f80_make(sign, 0x7fff, case_rand(s) >> 1);
	case 8: e = 0x7fff - 1 - (unsigned)((r >> 8) % 70); break;
	case 9: e = 1 + (unsigned)((r >> 8) % 70); break;
	case 10: { /* small integers, halves and quarters */
		struct x86_f80 v = f80_from_int((int64_t)((r >> 8) % 2048) - 1024);
		if (v.sexp)
			v.sexp = (uint16_t)(v.sexp - (r >> 20) % 3);
		return v;
	}
	case 11: e = 0x3fff + 60 + (unsigned)((r >> 8) % 8); break;
	case 12:
	case 13:
	case 14:
	case 15:
		if (near) {
			e = (unsigned)(near + (int)((r >> 8) % 140) - 70);
			if (e < 1 || e > 0x7ffe)
				e = (unsigned)near;
			break;
		}
		/* fall through */
	default: e = 0x3fff - 80 + (unsigned)((r >> 8) % 160); break;
	}
	return f80_make(sign, e, case_mant(s));
}

/* A control word: every RC and PC, mostly masked exceptions. */
static inline uint16_t case_cw(uint64_t *s)
{
	uint64_t r = case_rand(s);
	uint16_t masks = (r >> 8) % 4 ? 0x3f : (uint16_t)((r >> 12) & 0x3f);
	return (uint16_t)(0x40 | masks | ((r & 0xf) << 8));
}

/* Memory operands for the float32/float64 forms: edge encodings too. */
static inline uint64_t case_float_bits(uint64_t *s, int dbl)
{
	uint64_t r = case_rand(s), v = case_rand(s);
	int fb = dbl ? 52 : 23, eb = dbl ? 11 : 8;
	uint64_t emax = (1ull << eb) - 1, sign = (r >> 63) << (fb + eb);
	uint64_t frac = v & ((1ull << fb) - 1);
	switch (r % 8) {
	case 0: return sign | (frac >> ((r >> 8) % fb)); /* denormal or zero */
	case 1: return sign | (emax << fb) | (frac >> ((r >> 8) % (fb + 1)));
	case 2: return sign | ((1 + (r >> 8) % 3) << fb) | frac;
	default: return sign | ((emax / 2 - 20 + (r >> 8) % 40) << fb) | frac;
	}
}

/* A finite normal operand with exponent in [lo, hi] (unbiased). */
static inline struct x86_f80 case_ranged(uint64_t *s, int lo, int hi, int sign)
{
	uint64_t r = case_rand(s);
	return f80_make(sign, (unsigned)(F80_BIAS + lo + (int)(r % (uint64_t)(hi - lo + 1))),
			case_mant(s));
}

/* Operands for the transcendental instructions: mostly inside their
 * domains, every eighth one anything at all. */
static inline void case_trans_operands(uint64_t *s, struct case_in *in)
{
	uint64_t r = case_rand(s);
	int sign = (int)(r >> 63);
	in->b = case_ranged(s, -20, 20, (int)(r >> 62) & 1);
	if (r % 8 == 0) {
		in->a = case_value(s, 0);
		in->b = case_value(s, in->a.sexp & 0x7fff);
		return;
	}
	switch (in->op) {
	case OP_F2XM1: in->a = case_ranged(s, -70, -1, sign); break;
	case OP_FYL2X: in->a = case_ranged(s, -200, 200, 0); break;
	case OP_FYL2XP1: in->a = case_ranged(s, -70, -3, sign); break;
	case OP_FPATAN: in->a = case_ranged(s, -40, 40, sign); break;
	default:
		in->a = case_ranged(s, (r >> 8) % 2 ? -70 : -3, (r >> 8) % 4 ? 3 : 62, sign);
		break;
	}
}

static inline void case_random(uint64_t *s, struct case_in *in, int op)
{
	in->op = (uint8_t)op;
	in->cw = case_cw(s);
	if (op >= OP_F2XM1) {
		case_trans_operands(s, in);
		in->m = 0;
		return;
	}
	in->a = case_value(s, 0);
	in->b = case_value(s, in->a.sexp & 0x7fff);
	switch (op) {
	case OP_FLD32:
	case OP_FADD32:
	case OP_FDIVR32:
	case OP_FCOM32: in->m = case_float_bits(s, 0); break;
	case OP_FLD64:
	case OP_FMUL64: in->m = case_float_bits(s, 1); break;
	default: in->m = case_rand(s); break;
	}
}

#endif
