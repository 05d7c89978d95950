/* f80_native.h — runs an f80 test case on this CPU's x87 (x86-64 only). */
#ifndef XLATE_TESTS_F80_NATIVE_H
#define XLATE_TESTS_F80_NATIVE_H

#include "tests/unit/f80_cases.h"

struct fnsave {
	uint16_t cw, pad0, sw, pad1, tw, pad2;
	uint32_t fip, fop_cs, fdp, fds;
	uint8_t st[8][10];
} __attribute__((packed));

/* Runs one case on the CPU: ST1 = b, ST0 = a, then the instruction, then
 * FNSAVE (which does not wait, so unmasked exceptions stay pending). */
static inline void native(const struct case_in *in, struct case_out *o)
{
	struct fnsave s;
	uint8_t mem[16] = {0};
	int top, i;

	switch (in->op) {
	case OP_FBLD: case_bcd(in, mem); break;
	case OP_FLD32 ... OP_FCOM32: memcpy(mem, &in->m, 8); break;
	default: break;
	}
#define RUN(insn)                                                                                  \
	__asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" insn                \
			 "\n\tfnsave %[s]"                                                         \
			 : [s] "=m"(s), [m] "+m"(mem)                                              \
			 : [cw] "m"(in->cw), [a] "m"(in->a), [b] "m"(in->b))
	switch (in->op) {
	case OP_FADD: RUN("fadd %%st(1), %%st"); break;
	case OP_FSUB: RUN("fsub %%st(1), %%st"); break;
	case OP_FMUL: RUN("fmul %%st(1), %%st"); break;
	case OP_FDIV: RUN("fdiv %%st(1), %%st"); break;
	case OP_FSQRT: RUN("fsqrt"); break;
	case OP_FRNDINT: RUN("frndint"); break;
	case OP_FSCALE: RUN("fscale"); break;
	case OP_FPREM: RUN("fprem"); break;
	case OP_FPREM1: RUN("fprem1"); break;
	case OP_FXTRACT: RUN("fxtract"); break;
	case OP_FCOM: RUN("fcom %%st(1)"); break;
	case OP_FUCOM: RUN("fucom %%st(1)"); break;
	case OP_FXAM: RUN("fxam"); break;
	case OP_FIST16: RUN("fists %[m]"); break;
	case OP_FIST32: RUN("fistl %[m]"); break;
	case OP_FIST64: RUN("fistpll %[m]"); break;
	case OP_FISTTP16: RUN("fisttps %[m]"); break;
	case OP_FISTTP32: RUN("fisttpl %[m]"); break;
	case OP_FISTTP64: RUN("fisttpll %[m]"); break;
	case OP_FST32: RUN("fsts %[m]"); break;
	case OP_FST64: RUN("fstl %[m]"); break;
	case OP_FLD32: RUN("flds %[m]"); break;
	case OP_FLD64: RUN("fldl %[m]"); break;
	case OP_FADD32: RUN("fadds %[m]"); break;
	case OP_FMUL64: RUN("fmull %[m]"); break;
	case OP_FDIVR32: RUN("fdivrs %[m]"); break;
	case OP_FCOM32: RUN("fcoms %[m]"); break;
	case OP_FBSTP: RUN("fbstp %[m]"); break;
	case OP_FBLD: RUN("fbld %[m]"); break;
	case OP_FLDCONST:
		switch (in->m % 7) {
		case 0: RUN("fld1"); break;
		case 1: RUN("fldl2t"); break;
		case 2: RUN("fldl2e"); break;
		case 3: RUN("fldpi"); break;
		case 4: RUN("fldlg2"); break;
		case 5: RUN("fldln2"); break;
		default: RUN("fldz"); break;
		}
		break;
	case OP_F2XM1: RUN("f2xm1"); break;
	case OP_FYL2X: RUN("fyl2x"); break;
	case OP_FYL2XP1: RUN("fyl2xp1"); break;
	case OP_FPATAN: RUN("fpatan"); break;
	case OP_FSIN: RUN("fsin"); break;
	case OP_FCOS: RUN("fcos"); break;
	case OP_FSINCOS: RUN("fsincos"); break;
	case OP_FPTAN: RUN("fptan"); break;
	}
#undef RUN
	memset(o, 0, sizeof *o);
	o->sw = s.sw & 0xc7ff & case_sw_mask(in->op);
	top = (s.sw >> 11) & 7;
	for (i = 0; i < 3 && ((s.tw >> 2 * ((top + i) & 7)) & 3) != 3; i++) {
		memcpy(&o->st[i].mant, s.st[i], 8);
		memcpy(&o->st[i].sexp, s.st[i] + 8, 2);
	}
	o->depth = (uint8_t)i;
	switch (in->op) {
	case OP_FIST16 ... OP_FST64:
	case OP_FBSTP: memcpy(o->mem, mem, 10); break;
	default: break;
	}
}

#endif
