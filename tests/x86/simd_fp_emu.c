/* simd_fp_emu.c — one lane of each SSE floating-point instruction that
 * the simd_fp tests check, as sem_sse.h computes it (simd_fp_emu.h). */
#include <setjmp.h>

#include "tests/x86/simd_fp_emu.h"
#include "translator/x86/simd_fp.h"

static struct cpu emu_cpu;
static sigjmp_buf emu_jmp;
static int emu_trap;

/* simd_fp_trap's way out: the interpreter's, reduced to what the test needs */
_Noreturn void x86_raise(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno)
{
	(void)cpu, (void)signo, (void)addr, (void)trapno;
	emu_trap = code;
	siglongjmp(emu_jmp, 1);
}

static struct simd_fpenv env(uint32_t mx)
{
	emu_cpu.mxcsr = mx;
	return simd_fpenv(&emu_cpu);
}

#define EMU_ARITH(name, dbl, op)                                                                   \
	static uint64_t name(struct simd_fpenv *e, uint64_t a, uint64_t b)                         \
	{                                                                                          \
		return simd_arith(e, dbl, op, a, b);                                               \
	}
// clang-format off
EMU_ARITH(lo_addss, 0, SIMD_ADD)
EMU_ARITH(lo_subss, 0, SIMD_SUB)
EMU_ARITH(lo_mulss, 0, SIMD_MUL)
EMU_ARITH(lo_divss, 0, SIMD_DIV)
EMU_ARITH(e_addsd, 1, SIMD_ADD)
EMU_ARITH(e_subsd, 1, SIMD_SUB)
EMU_ARITH(e_mulsd, 1, SIMD_MUL)
EMU_ARITH(e_divsd, 1, SIMD_DIV)
// clang-format on
static uint64_t lo_sqrtss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_sqrt(e, 0, b);
}
static uint64_t e_sqrtsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_sqrt(e, 1, b);
}
static uint64_t lo_minss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 0, a, b, false);
}
static uint64_t lo_maxss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 0, a, b, true);
}
static uint64_t e_minsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 1, a, b, false);
}
static uint64_t e_maxsd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_minmax(e, 1, a, b, true);
}
static uint64_t e_cvtss2sd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_f2f(e, 1, (uint32_t)b);
}
static uint64_t e_cvtsd2ss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_f2f(e, 0, b) | (a & ~0xffffffffull);
}
static uint64_t e_rcpss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_rcp32((uint32_t)b) | (a & ~0xffffffffull);
}
static uint64_t e_rsqrtss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_rsqrt32((uint32_t)b) | (a & ~0xffffffffull);
}
#define EMU_F2I(name, dbl, size, trunc)                                                            \
	static uint64_t name(struct simd_fpenv *e, uint64_t a, uint64_t b)                         \
	{                                                                                          \
		if (trunc)                                                                         \
			e->ctl |= MXCSR_RC;                                                        \
		uint64_t r = simd_cvt_f2i(e, dbl, size, dbl ? a : (uint32_t)a);                    \
		return size == 4 ? (uint32_t)r : r;                                                \
	}
// clang-format off
EMU_F2I(e_cvtss2si32, 0, 4, 0)
EMU_F2I(e_cvtss2si64, 0, 8, 0)
EMU_F2I(e_cvttss2si32, 0, 4, 1)
EMU_F2I(e_cvttss2si64, 0, 8, 1)
EMU_F2I(e_cvtsd2si32, 1, 4, 0)
EMU_F2I(e_cvtsd2si64, 1, 8, 0)
EMU_F2I(e_cvttsd2si32, 1, 4, 1)
EMU_F2I(e_cvttsd2si64, 1, 8, 1)
// clang-format on
static uint64_t e_cvtsi2ss32(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 0, (int32_t)a);
}
static uint64_t e_cvtsi2ss64(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 0, (int64_t)a);
}
static uint64_t e_cvtsi2sd64(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return simd_cvt_i2f(e, 1, (int64_t)a);
}
static uint64_t comi(struct simd_fpenv *e, int dbl, uint64_t a, uint64_t b, bool sig)
{
	static const uint8_t zpc[] = {[SIMD_LT] = 1, [SIMD_EQ] = 4, [SIMD_GT] = 0, [SIMD_UN] = 7};
	return zpc[simd_fcmp(e, dbl, dbl ? a : (uint32_t)a, dbl ? b : (uint32_t)b, sig)];
}
static uint64_t e_comiss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 0, a, b, true);
}
static uint64_t e_ucomiss(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 0, a, b, false);
}
static uint64_t e_comisd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 1, a, b, true);
}
static uint64_t e_ucomisd(struct simd_fpenv *e, uint64_t a, uint64_t b)
{
	return comi(e, 1, a, b, false);
}
#define EMU_ROUND(n)                                                                               \
	static uint64_t e_roundss##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                 \
	{                                                                                          \
		unsigned rc = (n & 4) ? (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT : (n & 3);           \
		return simd_round_int(e, 0, (uint32_t)b, rc, n & 8) | (a & ~0xffffffffull);        \
	}                                                                                          \
	static uint64_t e_roundsd##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                 \
	{                                                                                          \
		unsigned rc = (n & 4) ? (e->ctl & MXCSR_RC) >> MXCSR_RC_SHIFT : (n & 3);           \
		return simd_round_int(e, 1, b, rc, n & 8);                                         \
	}
// clang-format off
EMU_ROUND(0) EMU_ROUND(1) EMU_ROUND(2) EMU_ROUND(3) EMU_ROUND(4) EMU_ROUND(8) EMU_ROUND(9)
EMU_ROUND(10) EMU_ROUND(11) EMU_ROUND(12)
// clang-format on

#define EMU_CMP(n)                                                                                 \
	static uint64_t e_cmpss##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                   \
	{                                                                                          \
		return (simd_fcmp_pred(e, 0, (uint32_t)a, (uint32_t)b, n) ? 0xffffffffu : 0) |     \
		       (a & ~0xffffffffull);                                                       \
	}                                                                                          \
	static uint64_t e_cmpsd##n(struct simd_fpenv *e, uint64_t a, uint64_t b)                   \
	{                                                                                          \
		return simd_fcmp_pred(e, 1, a, b, n) ? ~0ull : 0;                                  \
	}
	// clang-format off
EMU_CMP(0) EMU_CMP(1) EMU_CMP(2) EMU_CMP(3) EMU_CMP(4) EMU_CMP(5) EMU_CMP(6) EMU_CMP(7)
EMU_CMP(8) EMU_CMP(9) EMU_CMP(10) EMU_CMP(11) EMU_CMP(12) EMU_CMP(13) EMU_CMP(14) EMU_CMP(15)
EMU_CMP(16) EMU_CMP(17) EMU_CMP(18) EMU_CMP(19) EMU_CMP(20) EMU_CMP(21) EMU_CMP(22) EMU_CMP(23)
EMU_CMP(24) EMU_CMP(25) EMU_CMP(26) EMU_CMP(27) EMU_CMP(28) EMU_CMP(29) EMU_CMP(30) EMU_CMP(31)
// clang-format on

/* scalar single ops keep the destination's bits 32-63 */
#define KEEP_HI32(name)                                                                            \
	static uint64_t e_##name(struct simd_fpenv *e, uint64_t a, uint64_t b)                     \
	{                                                                                          \
		return lo_##name(e, (uint32_t)a, (uint32_t)b) | (a & ~0xffffffffull);              \
	}
	// clang-format off
KEEP_HI32(addss) KEEP_HI32(subss) KEEP_HI32(mulss) KEEP_HI32(divss)
KEEP_HI32(sqrtss) KEEP_HI32(minss) KEEP_HI32(maxss)
// clang-format on

#define X(name, kind) #name,
			const char *const simd_fp_op_names[SIMD_FP_NOPS] = {SIMD_FP_TEST_OPS(X)};
#undef X
#define X(name, kind) kind,
const enum simd_fp_kind simd_fp_op_kinds[SIMD_FP_NOPS] = {SIMD_FP_TEST_OPS(X)};
#undef X
#define X(name, kind) e_##name,
static uint64_t (*const emu_ops[SIMD_FP_NOPS])(struct simd_fpenv *, uint64_t,
					       uint64_t) = {SIMD_FP_TEST_OPS(X)};
#undef X

void simd_fp_emu(struct simd_fp_case *c)
{
	struct simd_fpenv e = env(c->mxcsr);
	c->trap = 0;
	if (sigsetjmp(emu_jmp, 0) == 0) {
		c->result = emu_ops[c->op](&e, c->a, c->b);
		simd_fp_commit(&emu_cpu, &e);
	} else {
		c->trap = emu_trap;
		c->result = 0;
	}
	c->mxcsr_after = emu_cpu.mxcsr;
}
