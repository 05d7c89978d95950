/* decode_forms.h — shorthand for writing the form tables (decode_tab_*.c
 * only): keys as the SDM writes them (NP 0F 58, 66 0F 38 00, /r, /7, mod=11)
 * and operands in its opcode-map notation (Eb, Gv, Vx, Wx, Ib, ...).
 */
#ifndef XLATE_X86_DECODE_FORMS_H
#define XLATE_X86_DECODE_FORMS_H

#include "translator/x86/decode_tab.h"

// clang-format off
#define M0(x)	(x)		/* one-byte map */
#define M1(x)	(0x100u | (x))	/* 0F */
#define M2(x)	(0x200u | (x))	/* 0F 38 */
#define M3(x)	(0x300u | (x))	/* 0F 3A */
#define NP	(1u << 10)
#define P66	(2u << 10)
#define PF3	(4u << 10)
#define PF2	(8u << 10)
#define NF	(NP | P66)	/* no F2/F3; 66 is an operand-size prefix */
#define NF3	(NP | P66 | PF2) /* anything but F3 */
#define R(n)	(KEY_REGSET | ((uint32_t)(n) << 15))
#define MEM	(1u << 18)
#define REG	(2u << 18)
#define RM(n)	(REG | KEY_RMSET | ((uint32_t)(n) << 21))
#define MODRM(b) (R(((b) >> 3) & 7) | RM((b) & 7))	/* exact ModRM byte, C0-FF */
#define W0	(1u << 24)
#define W1	(2u << 24)
#define L0	(1u << 26)
#define L1	(2u << 26)
#define VEX	(1u << 28)	/* VEX only */
#define VX	(2u << 28)	/* legacy and VEX */
#define PLUSR	KEY_PLUSR	/* register in opcode bits 0-2: eight opcodes */
#define NOREXB	KEY_NOREXB

#define F(k, name, fl, ...) \
	{ .key = (k), .op = X86_OP_##name, .flags = (fl), .o = { __VA_ARGS__ } }
#define FC(k, name, cc, fl, ...) \
	{ .key = (k), .op = X86_OP_##name, .flags = (fl), .cond = (cc), .o = { __VA_ARGS__ } }

#define SP(k, s)	{ K_##k, (s) }
/* general-purpose */
#define Eb	SP(E, 1)
#define Ew	SP(E, 2)
#define Ed	SP(E, 4)
#define Eq	SP(E, 8)
#define Ev	SP(E, SZ_V)
#define Ey	SP(E, SZ_Y)
#define Ez	SP(E, SZ_Z)
#define Evw	SP(E, SZ_VW)
#define Ezw	SP(E, SZ_ZW)
#define Ezd	SP(E, SZ_ZD)
#define Edw	SP(E, SZ_DW)
#define Edb	SP(E, SZ_DB)
#define Ev0	SP(E, SZ_V0)
#define Gb	SP(G, 1)
#define Gw	SP(G, 2)
#define Gd	SP(G, 4)
#define Gq	SP(G, 8)
#define Gv	SP(G, SZ_V)
#define Gy	SP(G, SZ_Y)
#define Gz	SP(G, SZ_Z)
#define Gas	SP(G, SZ_AS)
#define By	SP(B, SZ_Y)
#define Zb	SP(Z, 1)
#define Zv	SP(Z, SZ_V)
#define Zy	SP(Z, SZ_Y)
#define AL	SP(RAX, 1)
#define AX	SP(RAX, 2)
#define rAX	SP(RAX, SZ_V)
#define eAX	SP(RAX, SZ_Z)
#define CL	SP(RCX, 1)
#define DX	SP(RDX, 2)
#define Rq	SP(RC, 8)
#define M0s	SP(M, 0)	/* address only, or an area the op implies */
#define Mb	SP(M, 1)
#define Mw	SP(M, 2)
#define Md	SP(M, 4)
#define Mq	SP(M, 8)
#define Mt	SP(M, 10)
#define Mo	SP(M, 16)
#define Mv	SP(M, SZ_V)
#define My	SP(M, SZ_Y)
#define Mx	SP(M, SZ_X)
#define Mp	SP(M, SZ_FAR)
#define M64b	SP(M, 64)
#define Ib	SP(I, 1)
#define Iw	SP(I, 2)
#define Iz	SP(I, SZ_Z)
#define Iv	SP(I, SZ_V)
#define Ibs	SP(IS, SZ_V)
#define Ib2	SP(I2, 1)
#define ONE	SP(ONE, 1)
#define Jb	SP(J, 1)
#define Jz	SP(J, SZ_Z)
#define Ob	SP(O, 1)
#define Ov	SP(O, SZ_V)
#define Sw	SP(S, 2)
#define Sv	SP(S, SZ_V)
#define SFS	SP(FS, 2)
#define SGS	SP(GS, 2)
#define Cq	SP(C, 8)
#define Dq	SP(D, 8)
/* vector */
#define Vx	SP(V, SZ_X)
#define Vo	SP(V, 16)
#define Hx	SP(H, SZ_X)
#define Ho	SP(H, 16)
#define HDx	SP(HD, SZ_X)
#define Wx	SP(W, SZ_X)
#define Wo	SP(W, 16)
#define Wb	SP(W, 1)
#define Ww	SP(W, 2)
#define Wd	SP(W, 4)
#define Wq	SP(W, 8)
#define Wy	SP(W, SZ_Y)
#define Wxh	SP(W, SZ_XH)
#define Wxq	SP(W, SZ_XQ)
#define Wxo	SP(W, SZ_XO)
#define Ux	SP(U, SZ_X)
#define Uo	SP(U, 16)
#define Lx	SP(L, SZ_X)
#define X0	SP(X0, 16)
#define VSd	SP(VSIB, 4)
#define VSq	SP(VSIB, 8)
#define Pq	SP(P, 8)
#define Qq	SP(Q, 8)
#define Qd	SP(Q, 4)
#define Nq	SP(N, 8)
/* x87 */
#define ST0	SP(ST0, 10)
#define STi	SP(STI, 10)
// clang-format on

#endif
