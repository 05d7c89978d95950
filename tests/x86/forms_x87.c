/* forms_x87.c — differential-test forms of the x87 semantics (sem_x87.h).
 * Set "x87".
 *
 * FORM_X87 gives random TOP, RC and PC and eight valid registers; the
 * setup hooks here then vary what the x87 sees around the operands:
 *   - the stack depth (so that pushes overflow only sometimes) and, now
 *     and then, empty operand registers (stack underflow);
 *   - unmasked exceptions (one case in four), sticky flags and condition
 *     codes, and a pending unmasked exception (one in sixteen: every
 *     waiting instruction must then fault with #MF, SIGFPE);
 *   - operands of the memory formats (BCD, environment images).
 * The transcendental instructions are not correctly rounded by the CPU,
 * and the emulation matches it only most of the time (test_f80_trans
 * measures that), so here their operands come from the classes whose
 * results are exact: zeros, infinities, NaNs, unsupported encodings,
 * out-of-range and tiny arguments, domain edges, empty registers.
 */
#include "config.h"

#include <string.h>

#include "tests/x86/forms.h"
#include "translator/x86/x86.h"

/* ---- the FXSAVE image ---- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_st(struct snip *s, unsigned i, uint64_t mant, uint16_t sexp)
{
	memcpy(s->init.fx + 32 + 16 * i, &mant, 8);
	put16(s->init.fx + 32 + 16 * i + 8, sexp);
}

static unsigned top_of(const struct snip *s)
{
	return s->init.fx[3] >> 3 & 7;
}

/* Marks ST(i) valid (v) or empty. */
static void set_valid(struct snip *s, unsigned i, int v)
{
	unsigned p = (top_of(s) + i) & 7;
	if (v)
		s->init.fx[4] |= (uint8_t)(1u << p);
	else
		s->init.fx[4] &= (uint8_t) ~(1u << p);
}

/* ---- common setup ---- */

static void x87_state(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c);
	uint16_t fcw = get16(s->init.fx), fsw = get16(s->init.fx + 2);
	unsigned depth = 8, used = 0;

	/* The stack: ST0..ST(depth-1) valid, holding the operands. */
	for (int i = 0; i < c->nopnd; i++)
		if (c->opnd[i].xmm >= 0 && (unsigned)c->opnd[i].xmm + 1 > used)
			used = (unsigned)c->opnd[i].xmm + 1;
	switch (r % 8) {
	case 0: break; /* full */
	case 1:	       /* any pattern: operands may be empty */
		s->init.fx[4] = (uint8_t)(r >> 8);
		depth = 0;
		break;
	default:
		depth = 1 + (unsigned)(r >> 8) % 7;
		if (depth < used)
			depth = used;
		break;
	}
	if (depth)
		for (unsigned i = 0; i < 8; i++)
			set_valid(s, i, i < depth);

	/* Some registers moved to the edges of the exponent range, where
	 * results overflow, underflow or come out denormal. */
	for (unsigned i = 0; i < 8; i++) {
		uint64_t q = x86_case_rand(c);
		uint8_t *st = s->init.fx + 32 + 16 * i;
		uint16_t sign = (uint16_t)(get16(st + 8) & 0x8000);
		static const uint16_t exps[] = {0x7ffe, 0x7ffd, 0x7fc0, 0x0001,
						0x0002, 0x0040, 0x0000};
		if (q % 8 == 0)
			put16(st + 8, sign | exps[(q >> 8) % 7]);
	}

	/* Control: now and then unmasked exceptions, the reserved PC 01, IC. */
	if ((r >> 16) % 4 == 0)
		fcw = (uint16_t)((fcw & ~0x3fu) | (r >> 20 & 0x3f));
	if ((r >> 26) % 8 == 0)
		fcw = (uint16_t)((fcw & ~0x300u) | 0x100);
	fcw |= (uint16_t)((r >> 29 & 1) << 12);

	/* Status: condition codes, sticky flags (masked ones, or ES would be
	 * pending), and one case in sixteen a pending exception. */
	fsw = (uint16_t)((fsw & 0x3800) | (r >> 32 & 0x4700) | (r >> 40 & fcw & 0x3f) |
			 (r >> 46 & 0x40));
	if ((r >> 48) % 16 == 0) {
		unsigned e = 1u << ((r >> 52) % 6);
		fcw &= (uint16_t)~e;
		fsw |= (uint16_t)(e | 0x8080);
	}
	put16(s->init.fx, fcw);
	put16(s->init.fx + 2, fsw);
}

/* ---- operands of the memory formats ---- */

/* FBLD: 18 digits, sometimes non-digit nibbles, a sign bit. */
static void bcd_operand(struct snip *s, struct x86_case *c)
{
	uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	uint64_t r = x86_case_rand(c);
	x87_state(s, c);
	for (unsigned i = 0; i < 9; i++) {
		uint64_t d = x86_case_rand(c);
		m[i] = (r & 7) ? (uint8_t)(d % 10 | (d / 10 % 10) << 4) : (uint8_t)d;
		if (i >= 1 + (r >> 4) % 9)
			m[i] = 0;
	}
	m[9] = (uint8_t)(r >> 8 & 0x80);
}

/* FBSTP, FIST*: values near the integer and BCD limits as well. */
static void int_store_operand(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c);
	static const uint16_t exps[] = {0x400e, 0x401e, 0x403e, 0x403a, 0x3ffe, 0x3fff, 0x4000};
	x87_state(s, c);
	if (r % 3 == 0)
		put_st(s, 0, x86_case_rand(c) | 1ull << 63,
		       (uint16_t)(exps[(r >> 8) % 7] - (r >> 12) % 2 + (r >> 14 & 0x8000)));
	set_valid(s, 0, (r >> 20) % 16 != 0);
}

/* FLDENV/FRSTOR: an image with plausible fields. */
static void env_operand(struct snip *s, struct x86_case *c)
{
	uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	uint64_t r = x86_case_rand(c);
	int small = s->code[0] == 0x66;
	unsigned w = small ? 2 : 4, n = small ? 14 : 28;
	x87_state(s, c);
	put16(m, (uint16_t)((r & 0x1f3f) | 0x40 | (r >> 16 & 0xc080)));
	put16(m + w, (uint16_t)(x86_case_rand(c) & (r & 0x100000 ? 0xff7f : 0xffff)));
	put16(m + 2 * w, (uint16_t)x86_case_rand(c));
	for (unsigned i = 0; i < 8; i++) {
		uint64_t v = x86_case_rand(c);
		uint16_t e = (uint16_t)(0x3fff + (int)(x86_case_rand(c) % 160) - 80);
		if (i % 3 == 2)
			e = (uint16_t)x86_case_rand(c);
		memcpy(m + n + 10 * i, &v, 8);
		put16(m + n + 10 * i + 8, e);
	}
}

/* FLDCW: a random control word. */
static void cw_operand(struct snip *s, struct x86_case *c)
{
	x87_state(s, c);
	put16(s->init.mem + (c->ea - SNIP_MEM_ADDR), (uint16_t)x86_case_rand(c));
}

/* ---- transcendental operands with exact results ---- */

struct cls {
	uint64_t mant;
	uint16_t sexp;
};

// clang-format off
static const struct cls specials[] = {
	{0, 0}, {0, 0x8000},					 /* zeros */
	{1ull << 63, 0x7fff}, {1ull << 63, 0xffff},		 /* infinities */
	{0xc000000000000000, 0x7fff}, {0xe000000000000001, 0xffff}, /* QNaNs */
	{0x8000000000000001, 0x7fff}, {0xa000000000000000, 0xffff}, /* SNaNs */
	{0x4000000000000000, 0x3fff}, {0, 0x7fff}, {0x4000000000000000, 0x7fff}, /* unsupported */
	{1ull << 63, 0x3fff}, {1ull << 63, 0xbfff},		 /* +-1 */
};
// clang-format on
#define NSPECIAL (sizeof specials / sizeof specials[0])

static void put_special(struct snip *s, unsigned i, uint64_t r)
{
	const struct cls *k = &specials[r % NSPECIAL];
	put_st(s, i, k->mant, k->sexp);
}

/* FSIN, FCOS, FSINCOS, FPTAN: specials, |x| >= 2^63 (C2), |x| < 2^-68. */
static void trig_operand(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c), m = x86_case_rand(c) | 1ull << 63;
	uint16_t sign = (uint16_t)(r >> 8 & 0x8000);
	x87_state(s, c);
	switch (r % 4) {
	case 0: put_special(s, 0, r >> 16); break;
	case 1: put_st(s, 0, m, (uint16_t)(0x403e + (r >> 16) % 200) | sign); break;
	case 2: put_st(s, 0, m, (uint16_t)(0x3fba - (r >> 16) % 300) | sign); break;
	default: put_st(s, 0, m >> (r >> 16) % 64, sign); break; /* denormal */
	}
}

/* F2XM1: specials and |x| > 1 (the CPU returns x). */
static void f2xm1_operand(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c), m = x86_case_rand(c) | 1ull << 63;
	x87_state(s, c);
	if (r % 2)
		put_special(s, 0, r >> 8);
	else
		put_st(s, 0, m | 1,
		       (uint16_t)(0x3fff + (r >> 8) % 100) | (uint16_t)(r >> 16 & 0x8000));
}

/* FYL2X, FYL2XP1, FPATAN: special x or y, the other anything; FYL2XP1
 * also x <= -1; FPATAN tiny |y/x| with x > 0. */
static void log_operands(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c), m = x86_case_rand(c) | 1ull << 63;
	unsigned op = s->code[1];
	x87_state(s, c);
	switch (r % 4) {
	case 0: put_special(s, 0, r >> 8); break;
	case 1: put_special(s, 1, r >> 8); break;
	case 2:
		put_special(s, 0, r >> 8);
		put_special(s, 1, r >> 16);
		break;
	default:
		if (op == 0xf9) /* x <= -1 */
			put_st(s, 0, m, (uint16_t)(0xbfff + (r >> 8) % 70));
		else if (op == 0xf3) /* y/x below 2^-40 */
			put_st(s, 1, m,
			       (uint16_t)(0x3fff - 41 - (r >> 8) % 60 + (r >> 16 & 0x8000)));
		else
			put_special(s, 0, r >> 8);
		if (op == 0xf3)
			put_st(s, 0, x86_case_rand(c) | 1ull << 63,
			       (uint16_t)(0x3fff + (r >> 24) % 16));
		break;
	}
}

/* ---- the forms ---- */

#define X FORM_X87
#define ST                                                                                         \
	{                                                                                          \
		VC_F80, VC_F80                                                                     \
	}
#define A(setup)    0, 0, NULL, setup
#define N(n, setup) 0, n, NULL, setup

// clang-format off
static const struct x86_form forms[] = {
	/* loads and stores */
	{"D9 /0",    "FLD m32fp",            X, {VC_F32}, A(x87_state)},
	{"DD /0",    "FLD m64fp",            X, {VC_F64}, A(x87_state)},
	{"DB /5",    "FLD m80fp",            X, {VC_F80}, A(x87_state)},
	{"D9 C0+i",  "FLD ST(i)",            X, ST, A(x87_state)},
	{"D9 /2",    "FST m32fp",            X, {0}, A(x87_state)},
	{"DD /2",    "FST m64fp",            X, {0}, A(x87_state)},
	{"DD D0+i",  "FST ST(i)",            X, ST, A(x87_state)},
	{"D9 /3",    "FSTP m32fp",           X, {0}, A(x87_state)},
	{"DD /3",    "FSTP m64fp",           X, {0}, A(x87_state)},
	{"DB /7",    "FSTP m80fp",           X, {0}, A(x87_state)},
	{"DD D8+i",  "FSTP ST(i)",           X, ST, A(x87_state)},
	{"D9 D8+i",  "FSTP1 ST(i)",          X, ST, A(x87_state)},
	{"DF D0+i",  "FSTP8 ST(i)",          X, ST, A(x87_state)},
	{"DF D8+i",  "FSTP9 ST(i)",          X, ST, A(x87_state)},
	{"DF /0",    "FILD m16int",          X, {VC_INT}, A(x87_state)},
	{"DB /0",    "FILD m32int",          X, {VC_INT}, A(x87_state)},
	{"DF /5",    "FILD m64int",          X, {VC_INT}, A(x87_state)},
	{"DF /2",    "FIST m16int",          X, {0}, A(int_store_operand)},
	{"DB /2",    "FIST m32int",          X, {0}, A(int_store_operand)},
	{"DF /3",    "FISTP m16int",         X, {0}, A(int_store_operand)},
	{"DB /3",    "FISTP m32int",         X, {0}, A(int_store_operand)},
	{"DF /7",    "FISTP m64int",         X, {0}, A(int_store_operand)},
	{"DF /1",    "FISTTP m16int",        X, {0}, A(int_store_operand)},
	{"DB /1",    "FISTTP m32int",        X, {0}, A(int_store_operand)},
	{"DD /1",    "FISTTP m64int",        X, {0}, A(int_store_operand)},
	{"DF /4",    "FBLD m80bcd",          X, {VC_RANDOM}, A(bcd_operand)},
	{"DF /6",    "FBSTP m80bcd",         X, {0}, A(int_store_operand)},
	{"D9 C8+i",  "FXCH ST(i)",           X, ST, A(x87_state)},
	{"DD C8+i",  "FXCH4 ST(i)",          X, ST, A(x87_state)},
	{"DF C8+i",  "FXCH7 ST(i)",          X, ST, A(x87_state)},
	{"DA C0+i",  "FCMOVB ST(0), ST(i)",  X, ST, A(x87_state)},
	{"DA C8+i",  "FCMOVE ST(0), ST(i)",  X, ST, A(x87_state)},
	{"DA D0+i",  "FCMOVBE ST(0), ST(i)", X, ST, A(x87_state)},
	{"DA D8+i",  "FCMOVU ST(0), ST(i)",  X, ST, A(x87_state)},
	{"DB C0+i",  "FCMOVNB ST(0), ST(i)", X, ST, A(x87_state)},
	{"DB C8+i",  "FCMOVNE ST(0), ST(i)", X, ST, A(x87_state)},
	{"DB D0+i",  "FCMOVNBE ST(0), ST(i)", X, ST, A(x87_state)},
	{"DB D8+i",  "FCMOVNU ST(0), ST(i)", X, ST, A(x87_state)},
	{"D9 E8",    "FLD1",                 X, {0}, A(x87_state)},
	{"D9 E9",    "FLDL2T",               X, {0}, A(x87_state)},
	{"D9 EA",    "FLDL2E",               X, {0}, A(x87_state)},
	{"D9 EB",    "FLDPI",                X, {0}, A(x87_state)},
	{"D9 EC",    "FLDLG2",               X, {0}, A(x87_state)},
	{"D9 ED",    "FLDLN2",               X, {0}, A(x87_state)},
	{"D9 EE",    "FLDZ",                 X, {0}, A(x87_state)},

	/* arithmetic */
	{"D8 /0",    "FADD m32fp",           X, {VC_F32}, A(x87_state)},
	{"DC /0",    "FADD m64fp",           X, {VC_F64}, A(x87_state)},
	{"D8 C0+i",  "FADD ST(0), ST(i)",    X, ST, A(x87_state)},
	{"DC C0+i",  "FADD ST(i), ST(0)",    X, ST, A(x87_state)},
	{"DE C0+i",  "FADDP ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DA /0",    "FIADD m32int",         X, {VC_INT}, A(x87_state)},
	{"DE /0",    "FIADD m16int",         X, {VC_INT}, A(x87_state)},
	{"D8 /4",    "FSUB m32fp",           X, {VC_F32}, A(x87_state)},
	{"DC /4",    "FSUB m64fp",           X, {VC_F64}, A(x87_state)},
	{"D8 E0+i",  "FSUB ST(0), ST(i)",    X, ST, A(x87_state)},
	{"DC E8+i",  "FSUB ST(i), ST(0)",    X, ST, A(x87_state)},
	{"DE E8+i",  "FSUBP ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DA /4",    "FISUB m32int",         X, {VC_INT}, A(x87_state)},
	{"DE /4",    "FISUB m16int",         X, {VC_INT}, A(x87_state)},
	{"D8 /5",    "FSUBR m32fp",          X, {VC_F32}, A(x87_state)},
	{"DC /5",    "FSUBR m64fp",          X, {VC_F64}, A(x87_state)},
	{"D8 E8+i",  "FSUBR ST(0), ST(i)",   X, ST, A(x87_state)},
	{"DC E0+i",  "FSUBR ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DE E0+i",  "FSUBRP ST(i), ST(0)",  X, ST, A(x87_state)},
	{"DA /5",    "FISUBR m32int",        X, {VC_INT}, A(x87_state)},
	{"DE /5",    "FISUBR m16int",        X, {VC_INT}, A(x87_state)},
	{"D8 /1",    "FMUL m32fp",           X, {VC_F32}, A(x87_state)},
	{"DC /1",    "FMUL m64fp",           X, {VC_F64}, A(x87_state)},
	{"D8 C8+i",  "FMUL ST(0), ST(i)",    X, ST, A(x87_state)},
	{"DC C8+i",  "FMUL ST(i), ST(0)",    X, ST, A(x87_state)},
	{"DE C8+i",  "FMULP ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DA /1",    "FIMUL m32int",         X, {VC_INT}, A(x87_state)},
	{"DE /1",    "FIMUL m16int",         X, {VC_INT}, A(x87_state)},
	{"D8 /6",    "FDIV m32fp",           X, {VC_F32}, A(x87_state)},
	{"DC /6",    "FDIV m64fp",           X, {VC_F64}, A(x87_state)},
	{"D8 F0+i",  "FDIV ST(0), ST(i)",    X, ST, A(x87_state)},
	{"DC F8+i",  "FDIV ST(i), ST(0)",    X, ST, A(x87_state)},
	{"DE F8+i",  "FDIVP ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DA /6",    "FIDIV m32int",         X, {VC_INT}, A(x87_state)},
	{"DE /6",    "FIDIV m16int",         X, {VC_INT}, A(x87_state)},
	{"D8 /7",    "FDIVR m32fp",          X, {VC_F32}, A(x87_state)},
	{"DC /7",    "FDIVR m64fp",          X, {VC_F64}, A(x87_state)},
	{"D8 F8+i",  "FDIVR ST(0), ST(i)",   X, ST, A(x87_state)},
	{"DC F0+i",  "FDIVR ST(i), ST(0)",   X, ST, A(x87_state)},
	{"DE F0+i",  "FDIVRP ST(i), ST(0)",  X, ST, A(x87_state)},
	{"DA /7",    "FIDIVR m32int",        X, {VC_INT}, A(x87_state)},
	{"DE /7",    "FIDIVR m16int",        X, {VC_INT}, A(x87_state)},
	{"D9 FA",    "FSQRT",                X, {0}, N(400, x87_state)},
	{"D9 FD",    "FSCALE",               X, {0}, N(400, x87_state)},
	{"D9 F8",    "FPREM",                X, {0}, N(400, x87_state)},
	{"D9 F5",    "FPREM1",               X, {0}, N(400, x87_state)},
	{"D9 FC",    "FRNDINT",              X, {0}, N(400, x87_state)},
	{"D9 F4",    "FXTRACT",              X, {0}, N(400, x87_state)},
	{"D9 E0",    "FCHS",                 X, {0}, A(x87_state)},
	{"D9 E1",    "FABS",                 X, {0}, A(x87_state)},

	/* comparisons */
	{"D8 /2",    "FCOM m32fp",           X, {VC_F32}, A(x87_state)},
	{"DC /2",    "FCOM m64fp",           X, {VC_F64}, A(x87_state)},
	{"D8 D0+i",  "FCOM ST(i)",           X, ST, A(x87_state)},
	{"DC D0+i",  "FCOM2 ST(i)",          X, ST, A(x87_state)},
	{"D8 /3",    "FCOMP m32fp",          X, {VC_F32}, A(x87_state)},
	{"DC /3",    "FCOMP m64fp",          X, {VC_F64}, A(x87_state)},
	{"D8 D8+i",  "FCOMP ST(i)",          X, ST, A(x87_state)},
	{"DC D8+i",  "FCOMP3 ST(i)",         X, ST, A(x87_state)},
	{"DE D0+i",  "FCOMP5 ST(i)",         X, ST, A(x87_state)},
	{"DE D9",    "FCOMPP",               X, {0}, N(400, x87_state)},
	{"DD E0+i",  "FUCOM ST(i)",          X, ST, A(x87_state)},
	{"DD E8+i",  "FUCOMP ST(i)",         X, ST, A(x87_state)},
	{"DA E9",    "FUCOMPP",              X, {0}, N(400, x87_state)},
	{"DE /2",    "FICOM m16int",         X, {VC_INT}, A(x87_state)},
	{"DA /2",    "FICOM m32int",         X, {VC_INT}, A(x87_state)},
	{"DE /3",    "FICOMP m16int",        X, {VC_INT}, A(x87_state)},
	{"DA /3",    "FICOMP m32int",        X, {VC_INT}, A(x87_state)},
	{"DB F0+i",  "FCOMI ST(0), ST(i)",   X, ST, A(x87_state)},
	{"DF F0+i",  "FCOMIP ST(0), ST(i)",  X, ST, A(x87_state)},
	{"DB E8+i",  "FUCOMI ST(0), ST(i)",  X, ST, A(x87_state)},
	{"DF E8+i",  "FUCOMIP ST(0), ST(i)", X, ST, A(x87_state)},
	{"D9 E4",    "FTST",                 X, {0}, N(400, x87_state)},
	{"D9 E5",    "FXAM",                 X, {0}, N(400, x87_state)},

	/* transcendental: the classes with exact results */
	{"D9 F0",    "F2XM1",                X, {0}, N(400, f2xm1_operand)},
	{"D9 F1",    "FYL2X",                X, {0}, N(400, log_operands)},
	{"D9 F9",    "FYL2XP1",              X, {0}, N(400, log_operands)},
	{"D9 F3",    "FPATAN",               X, {0}, N(400, log_operands)},
	{"D9 FE",    "FSIN",                 X, {0}, N(400, trig_operand)},
	{"D9 FF",    "FCOS",                 X, {0}, N(400, trig_operand)},
	{"D9 FB",    "FSINCOS",              X, {0}, N(400, trig_operand)},
	{"D9 F2",    "FPTAN",                X, {0}, N(400, trig_operand)},

	/* stack and control */
	{"D9 F7",    "FINCSTP",              X, {0}, A(x87_state)},
	{"D9 F6",    "FDECSTP",              X, {0}, A(x87_state)},
	{"DD C0+i",  "FFREE ST(i)",          X, ST, A(x87_state)},
	{"DF C0+i",  "FFREEP ST(i)",         X, ST, A(x87_state)},
	{"D9 D0",    "FNOP",                 X, {0}, A(x87_state)},
	{"9B",       "FWAIT",                X, {0}, A(x87_state)},
	{"DB E3",    "FNINIT",               X, {0}, A(x87_state)},
	{"DB E2",    "FNCLEX",               X, {0}, A(x87_state)},
	{"DB E0",    "FNENI",                X, {0}, A(x87_state)},
	{"DB E1",    "FNDISI",               X, {0}, A(x87_state)},
	{"DB E4",    "FNSETPM",              X, {0}, A(x87_state)},
	{"D9 /5",    "FLDCW m2byte",         X, {0}, A(cw_operand)},
	{"D9 /7",    "FNSTCW m2byte",        X, {0}, A(x87_state)},
	{"DD /7",    "FNSTSW m2byte",        X, {0}, A(x87_state)},
	{"DF E0",    "FNSTSW AX",            X, {0}, A(x87_state)},
	{"D9 /4",    "FLDENV m14/28byte",    X, {0}, A(env_operand)},
	{"66 D9 /4", "FLDENV m14/28byte",    X, {0}, A(env_operand)},
	{"D9 /6",    "FNSTENV m14/28byte",   X, {0}, A(x87_state)},
	{"66 D9 /6", "FNSTENV m14/28byte",   X, {0}, A(x87_state)},
	{"DD /4",    "FRSTOR m94/108byte",   X, {0}, A(env_operand)},
	{"66 DD /4", "FRSTOR m94/108byte",   X, {0}, A(env_operand)},
	{"DD /6",    "FNSAVE m94/108byte",   X, {0}, A(x87_state)},
	{"66 DD /6", "FNSAVE m94/108byte",   X, {0}, A(x87_state)},
};
// clang-format on
X86_FORM_SET(x87_set, "x87", forms)
