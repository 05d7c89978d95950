/* decode_tab_x87.c — x87 forms (D8-DF). Operands as the SDM writes each
 * form: memory forms list only the memory operand; register forms list the
 * registers of their syntax (FADD ST(0),ST(i); FADDP ST(i),ST(0); FLD ST(i)).
 */
#include "translator/x86/decode_forms.h"

// clang-format off
#define XM(opc, n, name, ...)	F(M0(opc) | R(n) | MEM, name, 0, __VA_ARGS__)
#define XR(opc, n, name, ...)	F(M0(opc) | R(n) | REG, name, 0, __VA_ARGS__)
#define XB(opc, modrm, name, ...) F(M0(opc) | MODRM(modrm), name, 0, __VA_ARGS__)
#define XCC(opc, n, cc)		FC(M0(opc) | R(n) | REG, FCMOVCC, cc, 0, ST0, STi)
#define ARITH_M(opc, m, a, b, c, d, e, f, g, h) \
	XM(opc, 0, a, m), XM(opc, 1, b, m), XM(opc, 2, c, m), XM(opc, 3, d, m), \
	XM(opc, 4, e, m), XM(opc, 5, f, m), XM(opc, 6, g, m), XM(opc, 7, h, m)
#define Mfd	SP(M, 4)
#define Mfq	SP(M, 8)

const struct dform x86_forms_x87[] = {
	ARITH_M(0xd8, Mfd, FADD, FMUL, FCOM, FCOMP, FSUB, FSUBR, FDIV, FDIVR),
	XR(0xd8, 0, FADD, ST0, STi), XR(0xd8, 1, FMUL, ST0, STi),
	XR(0xd8, 2, FCOM, STi), XR(0xd8, 3, FCOMP, STi),
	XR(0xd8, 4, FSUB, ST0, STi), XR(0xd8, 5, FSUBR, ST0, STi),
	XR(0xd8, 6, FDIV, ST0, STi), XR(0xd8, 7, FDIVR, ST0, STi),

	XM(0xd9, 0, FLD, Mfd), XM(0xd9, 2, FST, Mfd), XM(0xd9, 3, FSTP, Mfd),
	XM(0xd9, 4, FLDENV, M0s), XM(0xd9, 5, FLDCW, Mw), XM(0xd9, 6, FNSTENV, M0s),
	XM(0xd9, 7, FNSTCW, Mw),
	XR(0xd9, 0, FLD, STi), XR(0xd9, 1, FXCH, STi), XB(0xd9, 0xd0, FNOP),
	XR(0xd9, 3, FSTP, STi),
	XB(0xd9, 0xe0, FCHS), XB(0xd9, 0xe1, FABS), XB(0xd9, 0xe4, FTST), XB(0xd9, 0xe5, FXAM),
	XB(0xd9, 0xe8, FLD1), XB(0xd9, 0xe9, FLDL2T), XB(0xd9, 0xea, FLDL2E),
	XB(0xd9, 0xeb, FLDPI), XB(0xd9, 0xec, FLDLG2), XB(0xd9, 0xed, FLDLN2),
	XB(0xd9, 0xee, FLDZ),
	XB(0xd9, 0xf0, F2XM1), XB(0xd9, 0xf1, FYL2X), XB(0xd9, 0xf2, FPTAN),
	XB(0xd9, 0xf3, FPATAN), XB(0xd9, 0xf4, FXTRACT), XB(0xd9, 0xf5, FPREM1),
	XB(0xd9, 0xf6, FDECSTP), XB(0xd9, 0xf7, FINCSTP), XB(0xd9, 0xf8, FPREM),
	XB(0xd9, 0xf9, FYL2XP1), XB(0xd9, 0xfa, FSQRT), XB(0xd9, 0xfb, FSINCOS),
	XB(0xd9, 0xfc, FRNDINT), XB(0xd9, 0xfd, FSCALE), XB(0xd9, 0xfe, FSIN),
	XB(0xd9, 0xff, FCOS),

	ARITH_M(0xda, Md, FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR, FIDIV, FIDIVR),
	XCC(0xda, 0, 2), XCC(0xda, 1, 4), XCC(0xda, 2, 6), XCC(0xda, 3, 10),
	XB(0xda, 0xe9, FUCOMPP),

	XM(0xdb, 0, FILD, Md), XM(0xdb, 1, FISTTP, Md), XM(0xdb, 2, FIST, Md),
	XM(0xdb, 3, FISTP, Md), XM(0xdb, 5, FLD, Mt), XM(0xdb, 7, FSTP, Mt),
	XCC(0xdb, 0, 3), XCC(0xdb, 1, 5), XCC(0xdb, 2, 7), XCC(0xdb, 3, 11),
	XB(0xdb, 0xe0, FNENI), XB(0xdb, 0xe1, FNDISI), XB(0xdb, 0xe2, FNCLEX),
	XB(0xdb, 0xe3, FNINIT), XB(0xdb, 0xe4, FNSETPM),
	XR(0xdb, 5, FUCOMI, ST0, STi), XR(0xdb, 6, FCOMI, ST0, STi),

	ARITH_M(0xdc, Mfq, FADD, FMUL, FCOM, FCOMP, FSUB, FSUBR, FDIV, FDIVR),
	XR(0xdc, 0, FADD, STi, ST0), XR(0xdc, 1, FMUL, STi, ST0),
	XR(0xdc, 2, FCOM, STi), XR(0xdc, 3, FCOMP, STi),
	XR(0xdc, 4, FSUBR, STi, ST0), XR(0xdc, 5, FSUB, STi, ST0),
	XR(0xdc, 6, FDIVR, STi, ST0), XR(0xdc, 7, FDIV, STi, ST0),

	XM(0xdd, 0, FLD, Mfq), XM(0xdd, 1, FISTTP, Mq), XM(0xdd, 2, FST, Mfq),
	XM(0xdd, 3, FSTP, Mfq), XM(0xdd, 4, FRSTOR, M0s), XM(0xdd, 6, FNSAVE, M0s),
	XM(0xdd, 7, FNSTSW, Mw),
	XR(0xdd, 0, FFREE, STi), XR(0xdd, 1, FXCH, STi), XR(0xdd, 2, FST, STi),
	XR(0xdd, 3, FSTP, STi), XR(0xdd, 4, FUCOM, STi), XR(0xdd, 5, FUCOMP, STi),

	ARITH_M(0xde, Mw, FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR, FIDIV, FIDIVR),
	XR(0xde, 0, FADDP, STi, ST0), XR(0xde, 1, FMULP, STi, ST0),
	XR(0xde, 2, FCOMP, STi), XB(0xde, 0xd9, FCOMPP),
	XR(0xde, 4, FSUBRP, STi, ST0), XR(0xde, 5, FSUBP, STi, ST0),
	XR(0xde, 6, FDIVRP, STi, ST0), XR(0xde, 7, FDIVP, STi, ST0),

	XM(0xdf, 0, FILD, Mw), XM(0xdf, 1, FISTTP, Mw), XM(0xdf, 2, FIST, Mw),
	XM(0xdf, 3, FISTP, Mw), XM(0xdf, 4, FBLD, Mt), XM(0xdf, 5, FILD, Mq),
	XM(0xdf, 6, FBSTP, Mt), XM(0xdf, 7, FISTP, Mq),
	XR(0xdf, 0, FFREEP, STi), XR(0xdf, 1, FXCH, STi), XR(0xdf, 2, FSTP, STi),
	XR(0xdf, 3, FSTP, STi), XB(0xdf, 0xe0, FNSTSW, AX),
	XR(0xdf, 5, FUCOMIP, ST0, STi), XR(0xdf, 6, FCOMIP, ST0, STi),
};
const size_t x86_forms_x87_count = sizeof x86_forms_x87 / sizeof x86_forms_x87[0];
// clang-format on
