/* test_f80 — the f80 library on hand-derived values: rounding under each
 * RC and PC, C1, the masked and unmasked overflow and underflow responses,
 * x87 NaN selection, unsupported encodings, FPREM quotient bits, FXAM,
 * integer and BCD conversions, constants. Each expectation is worked out
 * in the comment beside it (and agrees with the CPU: test_f80_native). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "translator/x86/f80.h"

#define CW_NEAR 0x037f
#define CW_DOWN 0x077f
#define CW_UP	0x0b7f
#define CW_ZERO 0x0f7f

static struct x86_f80 V(uint16_t sexp, uint64_t mant) {
	return (struct x86_f80){mant, sexp};
}

static void
check(struct x86_f80 got, uint16_t sexp, uint64_t mant)
{
	assert_int_equal(got.sexp, sexp);
	assert_int_equal(got.mant, mant);
}

static const struct x86_f80 ONE = {0x8000000000000000ull, 0x3fff};
static const struct x86_f80 THREE = {0xc000000000000000ull, 0x4000};

static void test_divide_rounding(void **state)
{
	/* 1/3 = 1.0101...b * 2^-2 = 0xaaaa...aa|aaa...: the bits after the
	 * 64th are above half, so nearest rounds up, and C1 says so */
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	check(f80_arith(&c, F80_DIV, ONE, THREE, 0), 0x3ffd, 0xaaaaaaaaaaaaaaabull);
	assert_int_equal(c.sw, F80_PE | F80_C1);
	c = (struct f80_ctx){CW_ZERO, 0};
	check(f80_arith(&c, F80_DIV, ONE, THREE, 0), 0x3ffd, 0xaaaaaaaaaaaaaaaaull);
	assert_int_equal(c.sw, F80_PE);
	/* -1/3 rounded down grows in magnitude: C1 is about magnitude */
	c = (struct f80_ctx){CW_DOWN, 0};
	check(f80_arith(&c, F80_DIV, V(0xbfff, 1ull << 63), THREE, 0), 0xbffd,
	      0xaaaaaaaaaaaaaaabull);
	assert_int_equal(c.sw, F80_PE | F80_C1);
	/* PC = 24 bits: 0xaaaaaa|aa... rounds up to 0xaaaaab, the exponent
	 * keeps its full range */
	c = (struct f80_ctx){0x007f, 0};
	check(f80_arith(&c, F80_DIV, ONE, THREE, 0), 0x3ffd, 0xaaaaab0000000000ull);
	/* PC = 53: 0xaaaaaaaaaaaaa|aaa -> below half, truncated */
	c = (struct f80_ctx){0x027f, 0};
	check(f80_arith(&c, F80_DIV, ONE, THREE, 0), 0x3ffd, 0xaaaaaaaaaaaaa800ull);
	assert_int_equal(c.sw, F80_PE);
	/* PC = 01 (reserved) behaves as 64 bits */
	c = (struct f80_ctx){0x017f, 0};
	check(f80_arith(&c, F80_DIV, ONE, THREE, 0), 0x3ffd, 0xaaaaaaaaaaaaaaabull);
}

static void test_ties(void **state)
{
	/* 1 + 2^-64 is exactly half an ulp above 1: ties to even (1) under
	 * nearest, up under RC=up; 1 + 3*2^-64 ties up to 1 + 2^-62 */
	struct x86_f80 half_ulp = V(0x3fbf, 1ull << 63), three_half = V(0x3fc0, 3ull << 62);
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	check(f80_arith(&c, F80_ADD, ONE, half_ulp, 0), 0x3fff, 1ull << 63);
	assert_int_equal(c.sw, F80_PE);
	c.sw = 0;
	check(f80_arith(&c, F80_ADD, ONE, three_half, 0), 0x3fff, (1ull << 63) | 2);
	assert_int_equal(c.sw, F80_PE | F80_C1);
	c = (struct f80_ctx){CW_UP, 0};
	check(f80_arith(&c, F80_ADD, ONE, half_ulp, 0), 0x3fff, (1ull << 63) | 1);
	/* x - x is +0, except -0 when rounding down */
	c = (struct f80_ctx){CW_NEAR, 0};
	check(f80_arith(&c, F80_SUB, THREE, THREE, 0), 0x0000, 0);
	c = (struct f80_ctx){CW_DOWN, 0};
	check(f80_arith(&c, F80_SUB, THREE, THREE, 0), 0x8000, 0);
	assert_int_equal(c.sw, 0);
}

static void test_overflow_underflow(void **state)
{
	struct x86_f80 big = V(0x7ffe, 0xc000000000000000ull), tiny = V(0x0001, 1ull << 63);
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	/* masked overflow: infinity (rounded up: C1) under nearest... */
	check(f80_arith(&c, F80_MUL, big, THREE, 0), 0x7fff, 1ull << 63);
	assert_int_equal(c.sw, F80_OE | F80_PE | F80_C1);
	/* ...the largest finite number toward zero */
	c = (struct f80_ctx){CW_ZERO, 0};
	check(f80_arith(&c, F80_MUL, big, THREE, 0), 0x7ffe, ~0ull);
	assert_int_equal(c.sw, F80_OE | F80_PE);
	/* unmasked: the exponent wraps by 24576 (0x7fff + 1 - 0x6000) */
	c = (struct f80_ctx){CW_NEAR & ~F80_OE, 0};
	check(f80_arith(&c, F80_MUL, big, THREE, 0), 0x2000, 0x9000000000000000ull);
	assert_int_equal(c.sw, F80_OE);
	/* smallest normal / 2 is an exact denormal: no underflow when masked */
	c = (struct f80_ctx){CW_NEAR, 0};
	check(f80_arith(&c, F80_DIV, tiny, V(0x4000, 1ull << 63), 0), 0x0000, 1ull << 62);
	assert_int_equal(c.sw, 0);
	/* ...but an unmasked underflow signals and wraps even when exact */
	c = (struct f80_ctx){CW_NEAR & ~F80_UE, 0};
	check(f80_arith(&c, F80_DIV, tiny, V(0x4000, 1ull << 63), 0), 0x6000, 1ull << 63);
	assert_int_equal(c.sw, F80_UE);
	/* tininess is detected after rounding: (2^-16382)(1 + 2^-63)(1 - 2^-63)
	 * rounds to the smallest normal: PE and C1, no UE */
	c = (struct f80_ctx){CW_NEAR, 0};
	check(f80_arith(&c, F80_MUL, V(0x0001, (1ull << 63) | 1), V(0x3ffe, ~1ull), 0), 0x0001,
	      1ull << 63);
	assert_int_equal(c.sw, F80_PE | F80_C1);
}

static void test_nans_and_invalid(void **state)
{
	struct x86_f80 q1 = V(0x7fff, 0xc000000000000001ull), q2 = V(0xffff, 0xc000000000000002ull);
	struct x86_f80 s_big = V(0x7fff, 0xa000000000000002ull), inf = V(0x7fff, 1ull << 63);
	struct x86_f80 unnormal = V(0x3fff, 0x4000000000000000ull);
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	/* two QNaNs: the larger significand */
	check(f80_arith(&c, F80_ADD, q1, q2, 0), 0xffff, 0xc000000000000002ull);
	assert_int_equal(c.sw, 0);
	/* equal significands: the positive one */
	check(f80_arith(&c, F80_ADD, V(0xffff, q1.mant), q1, 0), 0x7fff, q1.mant);
	/* QNaN beats SNaN, however large; IE for the SNaN */
	check(f80_arith(&c, F80_MUL, s_big, q1, 0), 0x7fff, q1.mant);
	assert_int_equal(c.sw, F80_IE);
	/* an SNaN alone comes back quiet */
	c.sw = 0;
	check(f80_arith(&c, F80_ADD, s_big, ONE, 0), 0x7fff, 0xe000000000000002ull);
	/* inf - inf, 0 * inf, 0/0: the indefinite */
	c.sw = 0;
	check(f80_arith(&c, F80_SUB, inf, inf, 0), 0xffff, 0xc000000000000000ull);
	assert_int_equal(c.sw, F80_IE);
	/* an unnormal is invalid, even next to a QNaN */
	c.sw = 0;
	check(f80_arith(&c, F80_ADD, unnormal, q1, 0), 0xffff, 0xc000000000000000ull);
	assert_int_equal(c.sw, F80_IE);
	/* denormal / 0 is a zero divide only; denormal + inf reports DE */
	c.sw = 0;
	check(f80_arith(&c, F80_DIV, V(0, 1), V(0, 0), 0), 0x7fff, 1ull << 63);
	assert_int_equal(c.sw, F80_ZE);
	c.sw = 0;
	check(f80_arith(&c, F80_ADD, V(0, 1), inf, 0), 0x7fff, 1ull << 63);
	assert_int_equal(c.sw, F80_DE);
	/* sqrt(-1) invalid, sqrt(-0) = -0 */
	c.sw = 0;
	check(f80_sqrt(&c, V(0xbfff, 1ull << 63)), 0xffff, 0xc000000000000000ull);
	check(f80_sqrt(&c, V(0x8000, 0)), 0x8000, 0);
}

static void test_sqrt(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	/* sqrt 2 = 1.6a09e667f3bcc908b2...h: 0xb504f333f9de6484|597d... */
	check(f80_sqrt(&c, V(0x4000, 1ull << 63)), 0x3fff, 0xb504f333f9de6484ull);
	assert_int_equal(c.sw, F80_PE);
	/* 9 -> 3 exactly */
	c.sw = 0;
	check(f80_sqrt(&c, V(0x4002, 0x9000000000000000ull)), 0x4000, 0xc000000000000000ull);
	assert_int_equal(c.sw, 0);
}

static void test_prem(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	/* 7 rem 2: FPREM gives 1 with quotient 3 (C1 = Q0 = 1, C3 = Q1 = 1) */
	check(f80_prem(&c, f80_from_int(7), f80_from_int(2), 0), 0x3fff, 1ull << 63);
	assert_int_equal(c.sw, F80_C1 | F80_C3);
	/* FPREM1 rounds 3.5 to 4: remainder -1, quotient 4 (C0 = Q2) */
	c.sw = 0;
	check(f80_prem(&c, f80_from_int(7), f80_from_int(2), 1), 0xbfff, 1ull << 63);
	assert_int_equal(c.sw, F80_C0);
	/* exponent difference 99: partial, reduced by 99 - (32 + 99 % 32) = 64
	 * bits, C2 set and the quotient bits clear */
	c.sw = 0;
	check(f80_prem(&c, V(0x4063, 0xd9b1f5c1a3e4b7a9ull), THREE, 0), 0x403f,
	      0xbe4b7a9000000000ull);
	assert_int_equal(c.sw, F80_C2);
}

static void test_compare_examine(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	struct x86_f80 q = V(0x7fff, 0xc000000000000000ull);
	(void)state;
	f80_compare(&c, ONE, THREE, 0, 0);
	assert_int_equal(c.sw, F80_C0);
	c.sw = 0;
	f80_compare(&c, V(0x8000, 0), V(0, 0), 0, 0); /* -0 == +0 */
	assert_int_equal(c.sw, F80_C3);
	c.sw = 0;
	f80_compare(&c, q, ONE, 1, 0); /* FUCOM: QNaN unordered, quietly */
	assert_int_equal(c.sw, F80_C3 | F80_C2 | F80_C0);
	c.sw = 0;
	f80_compare(&c, q, ONE, 0, 0); /* FCOM: invalid */
	assert_int_equal(c.sw, F80_IE | F80_C3 | F80_C2 | F80_C0);
	/* FXAM: C3 C2 C0 class, C1 sign */
	assert_int_equal(f80_examine(V(0xbfff, 1ull << 63), 0), F80_C2 | F80_C1);
	assert_int_equal(f80_examine(V(0, 1), 0), F80_C3 | F80_C2);
	assert_int_equal(f80_examine(V(0x7fff, 1ull << 63), 0), F80_C2 | F80_C0);
	assert_int_equal(f80_examine(V(0x3fff, 1), 0), 0); /* unnormal: unsupported */
	assert_int_equal(f80_examine(V(0x8000, 0), 1), F80_C3 | F80_C1 | F80_C0); /* empty */
}

static void test_integers(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	check(f80_from_int(INT64_MIN), 0xc03e, 1ull << 63);
	/* 2.5 to nearest even is 2; toward +inf 3 (C1) */
	assert_int_equal(f80_to_int(&c, V(0x4000, 0xa000000000000000ull), 4, 0), 2);
	assert_int_equal(c.sw, F80_PE);
	c = (struct f80_ctx){CW_UP, 0};
	assert_int_equal(f80_to_int(&c, V(0x4000, 0xa000000000000000ull), 4, 0), 3);
	assert_int_equal(c.sw, F80_PE | F80_C1);
	/* FISTTP truncates whatever RC says */
	assert_int_equal(f80_to_int(&c, V(0xc000, 0xe000000000000000ull), 2, 1), -3);
	/* 32768 does not fit 16 bits: IE and the integer indefinite */
	c.sw = 0;
	assert_int_equal(f80_to_int(&c, f80_from_int(32768), 2, 0), -32768);
	assert_int_equal(c.sw, F80_IE);
	/* -32768 does */
	c.sw = 0;
	assert_int_equal(f80_to_int(&c, f80_from_int(-32768), 2, 0), -32768);
	assert_int_equal(c.sw, 0);
}

static void test_floats(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	/* 0.1f = 0x3dcccccd widens exactly */
	check(f80_load_f32(&c, 0x3dcccccd), 0x3ffb, 0xcccccd0000000000ull);
	/* the smallest float denormal 2^-149: DE, normalised */
	check(f80_load_f32(&c, 1), 0x3f6a, 1ull << 63);
	assert_int_equal(c.sw, F80_DE);
	/* a float SNaN loads quiet with IE */
	c.sw = 0;
	check(f80_load_f32(&c, 0x7f800001), 0x7fff, 0xc000010000000000ull);
	assert_int_equal(c.sw, F80_IE);
	/* 1/3 to double: 0x3fd5555555555555 (below half) */
	c.sw = 0;
	assert_int_equal(f80_store_f64(&c, V(0x3ffd, 0xaaaaaaaaaaaaaaabull)),
			 0x3fd5555555555555ull);
	assert_int_equal(c.sw, F80_PE);
	/* 1e300 to float overflows: +inf under nearest */
	c.sw = 0;
	assert_int_equal(f80_store_f32(&c, f80_load_f64(&c, 0x7e37e43c8800759cull)), 0x7f800000);
	assert_int_equal(c.sw, F80_OE | F80_PE | F80_C1);
	/* an unmasked overflow stores nothing and reports only OE */
	c = (struct f80_ctx){CW_NEAR & ~F80_OE, 0};
	f80_store_f32(&c, V(0x43e3, 1ull << 63));
	assert_int_equal(c.sw, F80_OE);
	assert_true(f80_store_suppressed(&c));
}

static void test_bcd_and_constants(void **state)
{
	static const uint8_t n_1234[10] = {0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0x80};
	uint8_t out[10];
	struct f80_ctx c = {CW_NEAR, 0};
	(void)state;
	check(f80_from_bcd(n_1234), 0xc009, 0x9a40000000000000ull); /* -1234 */
	f80_to_bcd(&c, V(0xc009, 0x9a40000000000000ull), out);
	assert_memory_equal(out, n_1234, 10);
	/* 10^18 does not fit: the BCD indefinite */
	f80_to_bcd(&c, f80_from_int(1000000000000000000ll), out);
	assert_int_equal(out[9], 0xff);
	assert_int_equal(out[8], 0xff);
	assert_int_equal(out[7], 0xc0);
	assert_int_equal(c.sw, F80_IE);
	/* pi = c90fdaa22168c234|c4c6...: up to nearest, down toward zero */
	check(f80_const(&c, F80_K_PI), 0x4000, 0xc90fdaa22168c235ull);
	c.cw = CW_ZERO;
	check(f80_const(&c, F80_K_PI), 0x4000, 0xc90fdaa22168c234ull);
	/* log2(10) = d49a784bcd1b8afe|49...: nearest truncates, up does not */
	c.cw = CW_NEAR;
	check(f80_const(&c, F80_K_L2T), 0x4000, 0xd49a784bcd1b8afeull);
	c.cw = CW_UP;
	check(f80_const(&c, F80_K_L2T), 0x4000, 0xd49a784bcd1b8affull);
}

static void test_transcendental_specials(void **state)
{
	struct f80_ctx c = {CW_NEAR, 0};
	struct x86_f80 s, co;
	(void)state;
	/* |x| >= 2^63: C2, nothing computed */
	assert_int_equal(f80_sincos(&c, V(0x403e, 1ull << 63), &s, &co), 0);
	assert_int_equal(c.sw, F80_C2);
	/* sin(+-0) = +-0, cos 0 = 1, exactly */
	c.sw = 0;
	assert_int_equal(f80_sincos(&c, V(0x8000, 0), &s, &co), 1);
	check(s, 0x8000, 0);
	check(co, 0x3fff, 1ull << 63);
	assert_int_equal(c.sw, 0);
	/* log2(8) * 1 = 3, reported inexact as the CPU does */
	check(f80_yl2x(&c, V(0x4002, 1ull << 63), ONE), 0x4000, 0xc000000000000000ull);
	assert_int_equal(c.sw, F80_PE);
	/* log2(0) * 1: zero divide, -inf */
	c.sw = 0;
	check(f80_yl2x(&c, V(0, 0), ONE), 0xffff, 1ull << 63);
	assert_int_equal(c.sw, F80_ZE);
	/* atan2(+0, -0) = +pi; atan2(-inf, +inf) = -pi/4 */
	c.sw = 0;
	check(f80_atan2(&c, V(0, 0), V(0x8000, 0)), 0x4000, 0xc90fdaa22168c235ull);
	check(f80_atan2(&c, V(0xffff, 1ull << 63), V(0x7fff, 1ull << 63)), 0xbffe,
	      0xc90fdaa22168c235ull);
	/* 2^-1 - 1 = -1/2 */
	check(f80_f2xm1(&c, V(0xbfff, 1ull << 63)), 0xbffe, 1ull << 63);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_divide_rounding),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_overflow_underflow),
		cmocka_unit_test(test_nans_and_invalid),
		cmocka_unit_test(test_sqrt),
		cmocka_unit_test(test_prem),
		cmocka_unit_test(test_compare_examine),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_bcd_and_constants),
		cmocka_unit_test(test_transcendental_specials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
