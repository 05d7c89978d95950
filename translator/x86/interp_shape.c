/* interp_shape.c — handlers specialised for the commonest instruction
 * shapes.
 *
 * The generic handler of an op (interp.c) runs its semantics on whatever
 * insn it is given, so every operand access goes through the kind and size
 * switches of sem_read/sem_write, and conditional ops through the switch of
 * sem_cond: several hard-to-predict branches per guest instruction. A
 * specialised handler runs the same semantics on a copy of the insn whose
 * operand kinds, sizes, operand size and condition are constants, so that
 * the compiler folds those switches away, as it does for the constant insns
 * of translated code; the copy itself disappears (its other fields are read
 * straight from the original). The semantics stay the one definition.
 *
 * A shape is chosen at decode time, only for an instruction that has it
 * exactly; everything else uses the generic handler. The shapes are the
 * ones that dominate integer code (python3, xz, gcc: register/immediate/
 * memory forms of the ALU ops and moves at 32 and 64 bits, conditional
 * ops per condition).
 */
#include "config.h"

#include "translator/x86/interp_priv.h"
#include "translator/x86/sem_alu.h"
#include "translator/x86/sem_branch.h"
#include "translator/x86/sem_move.h"
#include "translator/x86/sem_shift.h"

#define NO_CC 0xff

/* h_OP_K0S0_K1S1[_CC]: sem_OP with opnd[0] of kind K0 and size S0, opnd[1]
 * of kind K1 and size S1 (NONE 0 for a one-operand op), opsize S0 and,
 * unless it is NO_CC, condition CC. */
#define SHAPE_FN(fn, op, k0, s0, k1, s1, cc)                                                       \
	static void fn(struct cpu *cpu, const struct x86_insn *in)                                 \
	{                                                                                          \
		struct x86_insn t = *in;                                                           \
		t.opsize = s0;                                                                     \
		t.opnd[0].kind = X86_OPND_##k0;                                                    \
		t.opnd[0].size = s0;                                                               \
		t.opnd[1].kind = X86_OPND_##k1;                                                    \
		t.opnd[1].size = s1;                                                               \
		if (cc != NO_CC)                                                                   \
			t.cond = cc;                                                               \
		sem_##op(cpu, &t);                                                                 \
		if (!(OPFL_##op & X86_OPF_END))                                                    \
			cpu->rip += in->len;                                                       \
	}

#define FN_NAME(op, k0, s0, k1, s1, cc) h_##op##_##k0##s0##_##k1##s1##_##cc

/* The shapes: S(op, k0, s0, k1, s1) and, per condition, C(op, k0, s0, k1, s1, cc). */
// clang-format off
#define ALU_SHAPES(S, op) \
	S(op, GPR, 4, GPR, 4) S(op, GPR, 8, GPR, 8) S(op, GPR, 4, IMM, 4) S(op, GPR, 8, IMM, 8) \
	S(op, GPR, 4, MEM, 4) S(op, GPR, 8, MEM, 8) S(op, MEM, 4, GPR, 4) S(op, MEM, 8, GPR, 8) \
	S(op, MEM, 4, IMM, 4) S(op, MEM, 8, IMM, 8) S(op, GPR, 1, GPR, 1) S(op, GPR, 1, IMM, 1) \
	S(op, GPR, 1, MEM, 1) S(op, MEM, 1, GPR, 1) S(op, MEM, 1, IMM, 1)
#define EXT_SHAPES(S, op) \
	S(op, GPR, 4, GPR, 1) S(op, GPR, 4, GPR, 2) S(op, GPR, 4, MEM, 1) S(op, GPR, 4, MEM, 2) \
	S(op, GPR, 8, GPR, 1) S(op, GPR, 8, GPR, 2) S(op, GPR, 8, MEM, 1) S(op, GPR, 8, MEM, 2)
#define UNARY_SHAPES(S, op) \
	S(op, GPR, 4, NONE, 0) S(op, GPR, 8, NONE, 0) S(op, MEM, 4, NONE, 0) S(op, MEM, 8, NONE, 0)
#define SHIFT_SHAPES(S, op) \
	S(op, GPR, 4, IMM, 1) S(op, GPR, 8, IMM, 1) S(op, GPR, 4, GPR, 1) S(op, GPR, 8, GPR, 1)
#define CONDS(C, op, k0, s0, k1, s1) \
	C(op, k0, s0, k1, s1, 0) C(op, k0, s0, k1, s1, 1) C(op, k0, s0, k1, s1, 2) \
	C(op, k0, s0, k1, s1, 3) C(op, k0, s0, k1, s1, 4) C(op, k0, s0, k1, s1, 5) \
	C(op, k0, s0, k1, s1, 6) C(op, k0, s0, k1, s1, 7) C(op, k0, s0, k1, s1, 8) \
	C(op, k0, s0, k1, s1, 9) C(op, k0, s0, k1, s1, 10) C(op, k0, s0, k1, s1, 11) \
	C(op, k0, s0, k1, s1, 12) C(op, k0, s0, k1, s1, 13) C(op, k0, s0, k1, s1, 14) \
	C(op, k0, s0, k1, s1, 15)

#define SHAPES(S, C) \
	ALU_SHAPES(S, ADD) ALU_SHAPES(S, OR) ALU_SHAPES(S, ADC) ALU_SHAPES(S, SBB) \
	ALU_SHAPES(S, AND) ALU_SHAPES(S, SUB) ALU_SHAPES(S, XOR) ALU_SHAPES(S, CMP) \
	ALU_SHAPES(S, TEST) ALU_SHAPES(S, MOV) \
	EXT_SHAPES(S, MOVZX) EXT_SHAPES(S, MOVSX) \
	S(MOVSXD, GPR, 8, GPR, 4) S(MOVSXD, GPR, 8, MEM, 4) \
	S(LEA, GPR, 4, MEM, 0) S(LEA, GPR, 8, MEM, 0) \
	S(PUSH, GPR, 8, NONE, 0) S(PUSH, MEM, 8, NONE, 0) S(PUSH, IMM, 8, NONE, 0) \
	S(POP, GPR, 8, NONE, 0) \
	UNARY_SHAPES(S, INC) UNARY_SHAPES(S, DEC) UNARY_SHAPES(S, NEG) UNARY_SHAPES(S, NOT) \
	SHIFT_SHAPES(S, SHL) SHIFT_SHAPES(S, SHR) SHIFT_SHAPES(S, SAR) \
	SHIFT_SHAPES(S, ROL) SHIFT_SHAPES(S, ROR) \
	S(IMUL, GPR, 4, GPR, 4) S(IMUL, GPR, 8, GPR, 8) S(IMUL, GPR, 4, MEM, 4) \
	S(IMUL, GPR, 8, MEM, 8) \
	S(JMP, REL, 8, NONE, 0) S(JMP, GPR, 8, NONE, 0) S(CALL, REL, 8, NONE, 0) \
	S(CALL, GPR, 8, NONE, 0) S(CALL, MEM, 8, NONE, 0) \
	CONDS(C, JCC, REL, 8, NONE, 0) \
	CONDS(C, CMOVCC, GPR, 4, GPR, 4) CONDS(C, CMOVCC, GPR, 8, GPR, 8) \
	CONDS(C, CMOVCC, GPR, 4, MEM, 4) CONDS(C, CMOVCC, GPR, 8, MEM, 8) \
	CONDS(C, SETCC, GPR, 1, NONE, 0) CONDS(C, SETCC, MEM, 1, NONE, 0)
// clang-format on

#define DEF_S(op, k0, s0, k1, s1)                                                                  \
	SHAPE_FN(FN_NAME(op, k0, s0, k1, s1, x), op, k0, s0, k1, s1, NO_CC)
#define DEF_C(op, k0, s0, k1, s1, cc)                                                              \
	SHAPE_FN(FN_NAME(op, k0, s0, k1, s1, cc), op, k0, s0, k1, s1, cc)
SHAPES(DEF_S, DEF_C)
#undef DEF_S
#undef DEF_C

struct shape {
	uint16_t op;
	uint8_t k0, s0, k1, s1, nopnd, cc;
	x86_handler fn;
};

// clang-format off
#define ROW(op, k0, s0, k1, s1, cc, fn) \
	{X86_OP_##op, X86_OPND_##k0, s0, X86_OPND_##k1, s1, \
	 X86_OPND_##k1 == X86_OPND_NONE ? 1 : 2, cc, fn},
// clang-format on
#define ROW_S(op, k0, s0, k1, s1)     ROW(op, k0, s0, k1, s1, NO_CC, FN_NAME(op, k0, s0, k1, s1, x))
#define ROW_C(op, k0, s0, k1, s1, cc) ROW(op, k0, s0, k1, s1, cc, FN_NAME(op, k0, s0, k1, s1, cc))
static const struct shape shapes[] = {SHAPES(ROW_S, ROW_C)};
#undef ROW_S
#undef ROW_C
#undef ROW

static bool shape_fits(const struct shape *s, const struct x86_insn *in)
{
	if (s->op != in->op || s->nopnd != in->nopnd || s->s0 != in->opsize)
		return false;
	if (in->opnd[0].kind != s->k0 || in->opnd[0].size != s->s0)
		return false;
	if (s->nopnd == 2 && (in->opnd[1].kind != s->k1 || in->opnd[1].size != s->s1))
		return false;
	return s->cc == NO_CC || s->cc == in->cond;
}

x86_handler interp_shaped_handler(const struct x86_insn *in)
{
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (shape_fits(&shapes[i], in))
			return shapes[i].fn;
	return NULL;
}
