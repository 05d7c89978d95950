/* simd_fp_emu.h — the SSE floating-point operations that simd_fp_native
 * checks against the CPU and simd_fp_replay checks again on the aarch64
 * build: one lane of each instruction, computed with simd_fp.h. */
#ifndef XLATE_TESTS_SIMD_FP_EMU_H
#define XLATE_TESTS_SIMD_FP_EMU_H

#include <stdint.h>

/* What an operation's operands are. */
enum simd_fp_kind { K_F32, K_F64, K_I32, K_I64 };

/* X(name, kind) for each operation, in table order. Operand a is the
 * destination's old value (the source of a conversion to an integer or of
 * COMIS), b the source. */
// clang-format off
#define SIMD_FP_TEST_OPS(X) \
	X(addss, K_F32) X(subss, K_F32) X(mulss, K_F32) X(divss, K_F32) X(sqrtss, K_F32) \
	X(minss, K_F32) X(maxss, K_F32) X(addsd, K_F64) X(subsd, K_F64) X(mulsd, K_F64) \
	X(divsd, K_F64) X(sqrtsd, K_F64) X(minsd, K_F64) X(maxsd, K_F64) X(cvtss2sd, K_F32) \
	X(cvtsd2ss, K_F64) X(rcpss, K_F32) X(rsqrtss, K_F32) X(cvtss2si32, K_F32) \
	X(cvtss2si64, K_F32) X(cvttss2si32, K_F32) X(cvttss2si64, K_F32) X(cvtsd2si32, K_F64) \
	X(cvtsd2si64, K_F64) X(cvttsd2si32, K_F64) X(cvttsd2si64, K_F64) X(cvtsi2ss32, K_I32) \
	X(cvtsi2ss64, K_I64) X(cvtsi2sd64, K_I64) X(comiss, K_F32) X(ucomiss, K_F32) X(comisd, K_F64) \
	X(ucomisd, K_F64) X(roundss0, K_F32) X(roundsd0, K_F64) X(roundss1, K_F32) X(roundsd1, K_F64) \
	X(roundss2, K_F32) X(roundsd2, K_F64) X(roundss3, K_F32) X(roundsd3, K_F64) \
	X(roundss4, K_F32) X(roundsd4, K_F64) X(roundss8, K_F32) X(roundsd8, K_F64) \
	X(roundss9, K_F32) X(roundsd9, K_F64) X(roundss10, K_F32) X(roundsd10, K_F64) \
	X(roundss11, K_F32) X(roundsd11, K_F64) X(roundss12, K_F32) X(roundsd12, K_F64) \
	X(cmpss0, K_F32) X(cmpsd0, K_F64) X(cmpss1, K_F32) X(cmpsd1, K_F64) X(cmpss2, K_F32) \
	X(cmpsd2, K_F64) X(cmpss3, K_F32) X(cmpsd3, K_F64) X(cmpss4, K_F32) X(cmpsd4, K_F64) \
	X(cmpss5, K_F32) X(cmpsd5, K_F64) X(cmpss6, K_F32) X(cmpsd6, K_F64) X(cmpss7, K_F32) \
	X(cmpsd7, K_F64) X(cmpss8, K_F32) X(cmpsd8, K_F64) X(cmpss9, K_F32) X(cmpsd9, K_F64) \
	X(cmpss10, K_F32) X(cmpsd10, K_F64) X(cmpss11, K_F32) X(cmpsd11, K_F64) X(cmpss12, K_F32) \
	X(cmpsd12, K_F64) X(cmpss13, K_F32) X(cmpsd13, K_F64) X(cmpss14, K_F32) X(cmpsd14, K_F64) \
	X(cmpss15, K_F32) X(cmpsd15, K_F64) X(cmpss16, K_F32) X(cmpsd16, K_F64) X(cmpss17, K_F32) \
	X(cmpsd17, K_F64) X(cmpss18, K_F32) X(cmpsd18, K_F64) X(cmpss19, K_F32) X(cmpsd19, K_F64) \
	X(cmpss20, K_F32) X(cmpsd20, K_F64) X(cmpss21, K_F32) X(cmpsd21, K_F64) X(cmpss22, K_F32) \
	X(cmpsd22, K_F64) X(cmpss23, K_F32) X(cmpsd23, K_F64) X(cmpss24, K_F32) X(cmpsd24, K_F64) \
	X(cmpss25, K_F32) X(cmpsd25, K_F64) X(cmpss26, K_F32) X(cmpsd26, K_F64) X(cmpss27, K_F32) \
	X(cmpsd27, K_F64) X(cmpss28, K_F32) X(cmpsd28, K_F64) X(cmpss29, K_F32) X(cmpsd29, K_F64) \
	X(cmpss30, K_F32) X(cmpsd30, K_F64) X(cmpss31, K_F32) X(cmpsd31, K_F64)
// clang-format on

#define X(name, kind) +1
enum { SIMD_FP_NOPS = 0 SIMD_FP_TEST_OPS(X) };
#undef X

extern const char *const simd_fp_op_names[SIMD_FP_NOPS];
extern const enum simd_fp_kind simd_fp_op_kinds[SIMD_FP_NOPS];

/* One case: operation, MXCSR before, operands; result, MXCSR after, and
 * the si_code of the SIGFPE it raised (0: none, result valid). */
struct simd_fp_case {
	uint32_t op, mxcsr;
	uint64_t a, b, result;
	uint32_t mxcsr_after;
	int32_t trap;
};

/* Runs c->op on c->a, c->b under c->mxcsr, filling the rest of c. */
void simd_fp_emu(struct simd_fp_case *c);

#endif
