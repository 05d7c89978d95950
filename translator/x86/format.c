/* format.c — Intel-syntax text of a decoded instruction, for test failure
 * messages and debugging.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "translator/x86/x86.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += n;
}

static const char *const gpr64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const gpr32[16] = {"eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
				      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const gpr16[16] = {"ax",  "cx",  "dx",   "bx",   "sp",   "bp",   "si",   "di",
				      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const gpr8[20] = {"al",   "cl",   "dl",  "bl",   "spl",  "bpl",  "sil",
				     "dil",  "r8b",  "r9b", "r10b", "r11b", "r12b", "r13b",
				     "r14b", "r15b", "ah",  "ch",   "dh",   "bh"};
static const char *const conds[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
				      "s", "ns", "p", "np", "l", "ge", "le", "g"};
static const char *const segs[6] = {"es", "cs", "ss", "ds", "fs", "gs"};

static const char *gpr_name(unsigned reg, unsigned size)
{
	if (reg >= X86_AH)
		return reg < X86_AH + 4 ? gpr8[reg] : "?";
	reg &= 15;
	switch (size) {
	case 1: return gpr8[reg];
	case 2: return gpr16[reg];
	case 4: return gpr32[reg];
	default: return gpr64[reg];
	}
}

static const char *ptr_name(unsigned size)
{
	switch (size) {
	case 1: return "byte ptr ";
	case 2: return "word ptr ";
	case 4: return "dword ptr ";
	case 6: return "fword ptr ";
	case 8: return "qword ptr ";
	case 10: return "tbyte ptr ";
	case 16: return "xmmword ptr ";
	case 32: return "ymmword ptr ";
	case 64: return "zmmword ptr ";
	default: return "";
	}
}

static void mnemonic(struct out *o, const struct x86_insn *in)
{
	static const char sfx[9] = {0, 'b', 'w', 0, 'd', 0, 0, 0, 'q'};
	static const char *const fcc[16] = {[2] = "b",	[3] = "nb",  [4] = "e",	 [5] = "ne",
					    [6] = "be", [7] = "nbe", [10] = "u", [11] = "nu"};
	static const char *const fma_order[4] = {"", "132", "213", "231"};
	const char *name = x86_op_name(in->op);
	char lower[32];
	size_t i;
	for (i = 0; name[i] && i < sizeof lower - 1; i++)
		lower[i] = tolower((unsigned char)name[i]);
	lower[i] = 0;

	if (in->prefix & X86_PFX_LOCK)
		put(o, "lock ");
	if (in->prefix & X86_PFX_REP)
		put(o, in->op == X86_OP_CMPS || in->op == X86_OP_SCAS ? "repe " : "rep ");
	if (in->prefix & X86_PFX_REPNE)
		put(o, "repne ");
	switch (in->op) {
	case X86_OP_JCC: put(o, "j%s", conds[in->cond & 15]); return;
	case X86_OP_SETCC: put(o, "set%s", conds[in->cond & 15]); return;
	case X86_OP_CMOVCC: put(o, "cmov%s", conds[in->cond & 15]); return;
	case X86_OP_FCMOVCC:
		put(o, "fcmov%s", fcc[in->cond & 15] ? fcc[in->cond & 15] : "?");
		return;
	case X86_OP_CBW:
		put(o, "%s", in->opsize == 2 ? "cbw" : in->opsize == 4 ? "cwde" : "cdqe");
		return;
	case X86_OP_CWD:
		put(o, "%s", in->opsize == 2 ? "cwd" : in->opsize == 4 ? "cdq" : "cqo");
		return;
	case X86_OP_MOVS:
	case X86_OP_CMPS:
	case X86_OP_STOS:
	case X86_OP_LODS:
	case X86_OP_SCAS:
	case X86_OP_INS:
	case X86_OP_OUTS:
		put(o, "%s%c", lower, in->opsize <= 8 && sfx[in->opsize] ? sfx[in->opsize] : '?');
		return;
	case X86_OP_VFMADD:
	case X86_OP_VFMSUB:
	case X86_OP_VFNMADD:
	case X86_OP_VFNMSUB:
	case X86_OP_VFMADDSUB:
	case X86_OP_VFMSUBADD: {
		bool dbl = in->prefix & X86_PFX_VEX_W;
		put(o, "%s%s%c%c", lower, fma_order[in->cond & 3], in->cond & 4 ? 's' : 'p',
		    dbl ? 'd' : 's');
		return;
	}
	default: break;
	}
	/* MOV_SEG, MOV_CR, CALL_FAR...: the SDM mnemonic is the part before '_' */
	char *us = strchr(lower, '_');
	if (us)
		*us = 0;
	bool simd = in->op >= X86_OP_EMMS || in->op == X86_OP_LDMXCSR || in->op == X86_OP_STMXCSR;
	put(o, "%s%s", (in->prefix & X86_PFX_VEX) && simd && lower[0] != 'v' ? "v" : "", lower);
}

static void memory(struct out *o, const struct x86_insn *in, unsigned size)
{
	put(o, "%s", ptr_name(size));
	if (in->seg == X86_SEG_FS || in->seg == X86_SEG_GS)
		put(o, "%s:", segs[in->seg]);
	put(o, "[");
	bool any = false;
	if (in->mem_base == X86_REG_RIP) {
		put(o, in->addrsize == 4 ? "eip" : "rip");
		any = true;
	} else if (in->mem_base != X86_REG_NONE) {
		put(o, "%s", gpr_name(in->mem_base, in->addrsize));
		any = true;
	}
	if (in->mem_index != X86_REG_NONE) {
		if (in->op >= X86_OP_VGATHERDPS && in->op <= X86_OP_VPGATHERQQ) {
			/* VSIB: a YMM index with VEX.L, but for dword indices of qwords */
			bool ymm = in->vex_l && in->op != X86_OP_VGATHERDPD &&
				   in->op != X86_OP_VPGATHERDQ;
			put(o, "%s%cmm%u*%u", any ? "+" : "", ymm ? 'y' : 'x', in->mem_index,
			    in->mem_scale);
		} else {
			put(o, "%s%s*%u", any ? "+" : "", gpr_name(in->mem_index, in->addrsize),
			    in->mem_scale);
		}
		any = true;
	}
	if (!any)
		put(o, "0x%llx",
		    (unsigned long long)(in->addrsize == 4 ? (uint32_t)in->disp
							   : (uint64_t)in->disp));
	else if (in->disp < 0)
		put(o, "-0x%llx", (unsigned long long)-(uint64_t)in->disp);
	else if (in->disp > 0)
		put(o, "+0x%llx", (unsigned long long)in->disp);
	put(o, "]");
}

static void operand(struct out *o, const struct x86_insn *in, unsigned i, uint64_t rip)
{
	const struct x86_opnd *op = &in->opnd[i];
	switch (op->kind) {
	case X86_OPND_GPR: put(o, "%s", gpr_name(op->reg, op->size)); break;
	case X86_OPND_MEM: memory(o, in, op->size); break;
	case X86_OPND_IMM: {
		bool second = i > 0 && in->opnd[i - 1].kind == X86_OPND_IMM;
		uint64_t v = second ? in->imm2 : (uint64_t)in->imm;
		if (op->size < 8)
			v &= (1ull << (op->size * 8)) - 1;
		put(o, "0x%llx", (unsigned long long)v);
		break;
	}
	case X86_OPND_REL:
		put(o, "0x%llx", (unsigned long long)(rip + in->len + (uint64_t)in->imm));
		break;
	case X86_OPND_XMM: put(o, "%smm%u", op->size == 32 ? "y" : "x", op->reg); break;
	case X86_OPND_MMX: put(o, "mm%u", op->reg); break;
	case X86_OPND_ST: put(o, "st(%u)", op->reg); break;
	case X86_OPND_SEG: put(o, "%s", op->reg < 6 ? segs[op->reg] : "?"); break;
	case X86_OPND_CR: put(o, "cr%u", op->reg); break;
	case X86_OPND_DR: put(o, "dr%u", op->reg); break;
	default: put(o, "?"); break;
	}
}

char *x86_format(const struct x86_insn *insn, uint64_t rip, char *buf, size_t size)
{
	struct out o = {buf, size, 0};
	if (size)
		buf[0] = 0;
	if (insn->op == X86_OP_INVALID) {
		put(&o, "(bad)");
		return buf;
	}
	mnemonic(&o, insn);
	for (unsigned i = 0; i < insn->nopnd && i < 4; i++) {
		put(&o, i ? ", " : " ");
		operand(&o, insn, i, rip);
	}
	return buf;
}
