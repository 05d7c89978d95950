/* x87.c — the parts of the x87 semantics kept out of line: exception
 * bookkeeping, #MF, FNINIT, and the FNSTENV/FLDENV/FNSAVE/FRSTOR images. */
#include "translator/x86/sem_x87.h"

void x87_pending(struct cpu *cpu)
{
	/* si_code as Linux derives it from FSW & ~FCW */
	unsigned err = cpu->fsw & ~cpu->fcw & F80_EXC;
	int code;
	if (err & F80_IE)
		code = X86_FPE_FLTINV;
	else if (err & F80_ZE)
		code = X86_FPE_FLTDIV;
	else if (err & F80_OE)
		code = X86_FPE_FLTOVF;
	else if (err & (F80_DE | F80_UE))
		code = X86_FPE_FLTUND;
	else if (err & F80_PE)
		code = X86_FPE_FLTRES;
	else
		return; /* ES without an unmasked flag: Linux ignores it */
	x86_raise(cpu, X86_SIGFPE, code, cpu->rip, 16);
}

void x87_exception(struct cpu *cpu, const struct x86_insn *in)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)cpu->rip;
	unsigned i = 0;

	cpu->fsw |= F80_ES | F80_B;
	/* FOP: the low three bits of the D8-DF byte, then the ModRM byte */
	while (i + 2 < in->len && (p[i] & 0xf8) != 0xd8)
		i++;
	cpu->fop = (uint16_t)(((p[i] & 7) << 8) | p[i + 1]);
	cpu->fdp = in->opnd[0].kind == X86_OPND_MEM ? sem_ea(cpu, in) : 0;
}

void x87_init(struct cpu *cpu)
{
	cpu->fcw = 0x37f;
	cpu->fsw = 0;
	cpu->ftop = 0;
	cpu->ftw = 0xffff;
	cpu->fop = 0;
	cpu->fip = cpu->fdp = 0;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static unsigned get16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* The tag word as stored: empty, or what the register holds. */
static unsigned tag_word(const struct cpu *cpu)
{
	unsigned tw = 0;
	for (unsigned p = 0; p < 8; p++) {
		unsigned t = (cpu->ftw >> 2 * p) & 3;
		tw |= (t == 3 ? 3 : f80_tag(cpu->fpr[p])) << 2 * p;
	}
	return tw;
}

/* Protected-mode layouts: 14 bytes with a 16-bit operand size, else 28
 * (64-bit mode uses the 32-bit one, reserved halves all ones, selectors
 * zero). */
void x87_store_env(struct cpu *cpu, const struct x86_insn *in, uint64_t addr, int regs)
{
	uint8_t b[108];
	unsigned n;

	if (in->opsize == 2) {
		put16(b, cpu->fcw);
		put16(b + 2, x86_get_fsw(cpu));
		put16(b + 4, tag_word(cpu));
		put16(b + 6, (unsigned)cpu->fip);
		put16(b + 8, 0);
		put16(b + 10, (unsigned)cpu->fdp);
		put16(b + 12, 0);
		n = 14;
	} else {
		put32(b, 0xffff0000u | cpu->fcw);
		put32(b + 4, 0xffff0000u | x86_get_fsw(cpu));
		put32(b + 8, 0xffff0000u | tag_word(cpu));
		put32(b + 12, (uint32_t)cpu->fip);
		put32(b + 16, (uint32_t)(cpu->fop & 0x7ff) << 16);
		put32(b + 20, (uint32_t)cpu->fdp);
		put32(b + 24, 0xffff0000u);
		n = 28;
	}
	if (regs) {
		for (unsigned i = 0; i < 8; i++) {
			struct x86_f80 v = x87_st(cpu, i);
			memcpy(b + n + 10 * i, &v.mant, 8);
			put16(b + n + 10 * i + 8, v.sexp);
		}
	}
	sem_store_bytes(addr, b, n + (regs ? 80 : 0));
	if (regs) {
		x87_init(cpu);
	} else {
		/* FNSTENV masks every exception afterwards */
		cpu->fcw |= F80_EXC;
		x87_summary(cpu);
	}
}

void x87_load_env(struct cpu *cpu, const struct x86_insn *in, uint64_t addr, int regs)
{
	uint8_t b[108];
	unsigned n = in->opsize == 2 ? 14 : 28, w = in->opsize == 2 ? 2 : 4, tw;

	sem_load_bytes(b, addr, n + (regs ? 80 : 0));
	cpu->fcw = (uint16_t)((get16(b) & 0x1f3f) | 0x40);
	x86_set_fsw(cpu, (uint16_t)get16(b + w));
	tw = get16(b + 2 * w);
	if (w == 2) {
		cpu->fip = get16(b + 6);
		cpu->fdp = get16(b + 10);
		cpu->fop = 0;
	} else {
		cpu->fip = get32(b + 12);
		cpu->fop = (uint16_t)(get16(b + 18) & 0x7ff);
		cpu->fdp = get32(b + 20);
	}
	if (regs) {
		for (unsigned i = 0; i < 8; i++) {
			struct x86_f80 v;
			memcpy(&v.mant, b + n + 10 * i, 8);
			v.sexp = (uint16_t)get16(b + n + 10 * i + 8);
			cpu->fpr[x87_phys(cpu, i)] = v;
		}
	}
	/* only "empty" is taken from the image; other tags follow the contents */
	cpu->ftw = 0;
	for (unsigned p = 0; p < 8; p++) {
		unsigned t = ((tw >> 2 * p) & 3) == 3 ? 3 : f80_tag(cpu->fpr[p]);
		cpu->ftw |= (uint16_t)(t << 2 * p);
	}
	x87_summary(cpu);
}
