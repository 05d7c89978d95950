/* decode_tab.h — the form tables the decoder is driven by (internal to
 * translator/x86 and its tests).
 *
 * A form is one line of the SDM opcode tables: where it sits (map, opcode,
 * mandatory prefix, ModRM.reg/mod/rm, W, L, legacy or VEX), the op it
 * decodes to, and its operands as the SDM's opcode-map notation (Eb, Gv,
 * Vx, Wx, Ib, ...). The tables list forms flat, in SDM order; decode.c
 * indexes them once by (map, opcode). Within one opcode the first form
 * whose key matches wins, so specific forms come before general ones.
 */
#ifndef XLATE_X86_DECODE_TAB_H
#define XLATE_X86_DECODE_TAB_H

#include <stddef.h>
#include <stdint.h>

#include "translator/x86/x86.h"

/* Operand kinds. */
enum dkind {
	K_NONE,
	K_E,	/* ModRM.rm: GPR or memory */
	K_M,	/* ModRM.rm: memory only */
	K_RC,	/* ModRM.rm: GPR whatever mod says (MOV CR/DR) */
	K_G,	/* ModRM.reg: GPR */
	K_B,	/* VEX.vvvv: GPR */
	K_Z,	/* opcode bits 0-2 (+ REX.B): GPR */
	K_RAX,	/* AL/AX/EAX/RAX */
	K_RCX,	/* CL */
	K_RDX,	/* DX (port) */
	K_I,	/* immediate, zero-extended (sign-extended for size class SZ_Z) */
	K_IS,	/* imm8 sign-extended to the operand size */
	K_I2,	/* second imm8, in insn->imm2 */
	K_ONE,	/* the constant 1 (shift by one) */
	K_J,	/* relative branch target */
	K_O,	/* moffs: absolute address of address size */
	K_V,	/* ModRM.reg: XMM */
	K_H,	/* VEX.vvvv: XMM; legacy encodings repeat operand 0 */
	K_HD,	/* VEX.vvvv: XMM destination; legacy encodings use ModRM.rm */
	K_W,	/* ModRM.rm: XMM or memory */
	K_U,	/* ModRM.rm: XMM, mod must be 3 */
	K_L,	/* imm8[7:4]: XMM (VEX is4) */
	K_X0,	/* XMM0 (implicit mask of legacy BLENDV) */
	K_VSIB, /* memory with an XMM index (gathers) */
	K_P,	/* ModRM.reg: MMX */
	K_Q,	/* ModRM.rm: MMX or memory */
	K_N,	/* ModRM.rm: MMX, mod must be 3 */
	K_S,	/* ModRM.reg: segment register */
	K_FS,	/* FS */
	K_GS,	/* GS */
	K_C,	/* ModRM.reg: control register */
	K_D,	/* ModRM.reg: debug register */
	K_ST0,	/* ST(0) */
	K_STI,	/* ST(ModRM.rm) */
};

/* Operand size: a byte count below SZ_CLASS, else a class resolved per
 * instruction. "reg/mem" classes give the size for a register and for a
 * memory operand separately. Vector registers are 16 bytes (32 when the
 * class is SZ_X and VEX.L is 1) whatever the memory size. */
enum dsize {
	SZ_CLASS = 0x80,
	SZ_V = SZ_CLASS, /* operand size: 2, 4, 8 */
	SZ_Y,		 /* 4, or 8 with REX.W/VEX.W */
	SZ_Z,		 /* 2 with operand size 2, else 4 */
	SZ_X,		 /* vector: 16, or 32 with VEX.L */
	SZ_XH,		 /* half a vector: 8 or 16 */
	SZ_XQ,		 /* quarter: 4 or 8 */
	SZ_XO,		 /* eighth: 2 or 4 */
	SZ_DDUP,	 /* MOVDDUP source: 8, or 32 with VEX.L */
	SZ_FAR,		 /* far pointer m16:16/32/64: 2 + operand size */
	SZ_AS,		 /* address size: 4 or 8 */
	SZ_VW,		 /* reg: operand size, mem: 2 */
	SZ_DW,		 /* reg: 4, mem: 2 */
	SZ_DB,		 /* reg: 4, mem: 1 */
	SZ_V0,		 /* reg: operand size, mem: 0 (hint NOP) */
	SZ_ZW,		 /* reg: 2 with operand size 2, else 4; mem: 2 (LSL) */
	SZ_ZD,		 /* reg: 2 with operand size 2, else 4; mem: 4 (MOVSXD) */
};

struct dspec {
	uint8_t kind; /* enum dkind */
	uint8_t size; /* enum dsize or a byte count */
};

/* Form flags. */
enum dflag {
	FL_LOCK = 1 << 0, /* LOCK allowed (with a memory destination) */
	FL_D64 = 1 << 1,  /* operand size defaults to 8 in 64-bit mode; 66 gives 2 */
	FL_F64 = 1 << 2,  /* operand size is 8 in 64-bit mode; 66 is ignored */
	FL_BYTE = 1 << 3, /* byte operation without a byte operand (MOVSB, ...) */
	FL_STR = 1 << 4,  /* string operation: F3/F2 are REP/REPNE */
	FL_CC = 1 << 5,	  /* condition code in opcode bits 0-3 */
	FL_OPZ = 1 << 6,  /* operand size 2 or 4 only (I/O) */
	FL_AGEN = 1 << 7, /* memory operand is an address only: no segment base (LEA) */
};

struct dform {
	uint32_t key;
	uint16_t op;
	uint8_t flags;
	uint8_t cond;
	struct dspec o[4];
};

/* Key layout. Prefix class: which mandatory prefix (none, 66, F3, F2)
 * the form accepts; none of the bits means any. */
#define KEY_OPC(k) ((k)&0xff)
#define KEY_MAP(k) (((k) >> 8) & 3)
#define KEY_PFX(k) (((k) >> 10) & 15)
#define KEY_REGSET (1u << 14)
#define KEY_REG(k) (((k) >> 15) & 7)
#define KEY_MOD(k) (((k) >> 18) & 3) /* 0 any, 1 memory, 2 register */
#define KEY_RMSET  (1u << 20)
#define KEY_RM(k)  (((k) >> 21) & 7)
#define KEY_W(k)   (((k) >> 24) & 3) /* 0 any, 1 W0, 2 W1 */
#define KEY_L(k)   (((k) >> 26) & 3) /* 0 any, 1 L0, 2 L1 */
#define KEY_ENC(k) (((k) >> 28) & 3) /* 0 legacy, 1 VEX only, 2 both */
#define KEY_PLUSR  (1u << 30)
#define KEY_NOREXB (1u << 31) /* only without REX.B (NOP, PAUSE) */

/* The tables, each in its own file; decode.c searches them in this order. */
extern const struct dform x86_forms_gp[], x86_forms_sse[], x86_forms_avx[], x86_forms_x87[];
extern const size_t x86_forms_gp_count, x86_forms_sse_count, x86_forms_avx_count,
	x86_forms_x87_count;

/* Decodes like x86_decode and also says which form matched (NULL when the
 * result is not a form: invalid, short, or EVEX). For tests and tools. */
int x86_decode_form(const uint8_t *code, size_t avail, struct x86_insn *insn,
		    const struct dform **form);

/* Table sanity for tests: calls bad(msg, form) for each form that can never
 * match (shadowed by an earlier one) or whose opcode disagrees with others
 * about having a ModRM byte. Returns the number of problems. */
unsigned x86_decode_check_tables(void (*bad)(const char *msg, const struct dform *f));

#endif
