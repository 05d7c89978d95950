/* sem_x87.h — semantics of the ops in the "sem_x87.h" section of ops.def.
 *
 * Values are computed by the f80 library (f80.h) on both hosts. This file
 * does the x87 around them: the register stack and its tags, stack
 * overflow and underflow, which condition codes each instruction writes,
 * and the unmasked-exception protocol:
 *   - an unmasked IE, DE or ZE leaves the destination and the stack as
 *     they were (compares still set their condition codes); an unmasked
 *     OE or UE writes the exponent-wrapped result to a register and
 *     nothing to memory (and then does not pop);
 *   - the exception sets ES and B in the status word and records FOP and
 *     FDP (this CPU updates them only then: FDP_EXCPTN_ONLY), and the next
 *     waiting x87 instruction faults with #MF (SIGFPE) before it runs.
 * FIP is the address of the last non-control x87 instruction.
 *
 * Operand shapes are the decoder's (decode.c): FADD m32fp is [MEM],
 * D8 C0+i is [ST0, STi], DC C0+i and DE C0+i are [STi, ST0].
 */
#ifndef XLATE_X86_SEM_X87_H
#define XLATE_X86_SEM_X87_H

#include "translator/x86/f80.h"
#include "translator/x86/sem.h"

/* ---- out of line (x87.c): rare paths and the state images ---- */

/* Raises #MF for a pending unmasked exception, as Linux reports it. */
void x87_pending(struct cpu *cpu);
/* An unmasked exception: ES and B, FOP and FDP. */
void x87_exception(struct cpu *cpu, const struct x86_insn *in);
/* FNSTENV/FNSAVE and FLDENV/FRSTOR images (16- or 32-bit format by the
 * operand size; `regs`: also the eight registers). */
void x87_store_env(struct cpu *cpu, const struct x86_insn *in, uint64_t addr, int regs);
void x87_load_env(struct cpu *cpu, const struct x86_insn *in, uint64_t addr, int regs);
/* FNINIT (also the end of FNSAVE). */
void x87_init(struct cpu *cpu);

/* The D8-DF byte of the executing instruction (it is in guest memory). */
SEM_INLINE unsigned x87_opcode(const struct cpu *cpu, const struct x86_insn *in)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)cpu->rip;
	unsigned i = 0;
	while (i + 1 < in->len && (p[i] & 0xf8) != 0xd8)
		i++;
	return p[i];
}

/* ---- the register stack ---- */

SEM_INLINE unsigned x87_phys(const struct cpu *cpu, unsigned i)
{
	return (cpu->ftop + i) & 7;
}

SEM_INLINE int x87_empty(const struct cpu *cpu, unsigned i)
{
	return ((cpu->ftw >> (2 * x87_phys(cpu, i))) & 3) == 3;
}

SEM_INLINE struct x86_f80 x87_st(const struct cpu *cpu, unsigned i)
{
	return cpu->fpr[x87_phys(cpu, i)];
}

SEM_INLINE void x87_set(struct cpu *cpu, unsigned i, struct x86_f80 v)
{
	unsigned p = x87_phys(cpu, i);
	cpu->fpr[p] = v;
	cpu->ftw = (uint16_t)((cpu->ftw & ~(3u << 2 * p)) | (f80_tag(v) << 2 * p));
}

SEM_INLINE void x87_pop(struct cpu *cpu)
{
	cpu->ftw |= (uint16_t)(3u << 2 * x87_phys(cpu, 0));
	cpu->ftop = (cpu->ftop + 1) & 7;
}

SEM_INLINE void x87_push(struct cpu *cpu, struct x86_f80 v)
{
	cpu->ftop = (cpu->ftop - 1) & 7;
	x87_set(cpu, 0, v);
}

/* ---- the instruction protocol ---- */

/* Starts a waiting x87 instruction: #MF for a pending exception. */
SEM_INLINE void x87_wait(struct cpu *cpu)
{
	if (cpu->fsw & F80_ES)
		x87_pending(cpu);
}

/* Starts a non-control x87 instruction. */
SEM_INLINE void x87_begin(struct cpu *cpu)
{
	x87_wait(cpu);
	cpu->fip = cpu->rip;
}

/* Ends it: the exception flags (and SF) in sw are added, the condition
 * codes in cc are replaced by those of sw. */
SEM_INLINE void x87_status(struct cpu *cpu, const struct x86_insn *in, unsigned sw, unsigned cc)
{
	cpu->fsw = (uint16_t)((cpu->fsw & ~cc) | (sw & (cc | F80_EXC | F80_SF)));
	if (sw & ~cpu->fcw & F80_EXC)
		x87_exception(cpu, in);
}

/* A stack fault: underflow (an empty operand, C1 = 0) or overflow (a push
 * onto a full stack, C1 = 1). Returns the status bits; the instruction
 * goes on with the indefinite when IE is masked. */
#define X87_UNDERFLOW (F80_IE | F80_SF)
#define X87_OVERFLOW  (F80_IE | F80_SF | F80_C1)

SEM_INLINE int x87_masked(const struct cpu *cpu, unsigned exc)
{
	return (cpu->fcw & exc) != 0;
}

/* The memory operand of an arithmetic form: float32/float64, or a 16- or
 * 32-bit integer. Sets *den for a denormal float. */
SEM_INLINE struct x86_f80 x87_mem_value(struct cpu *cpu, const struct x86_insn *in, int integer,
					int *den)
{
	unsigned size = in->opnd[0].size;
	uint64_t v = sem_load(sem_ea(cpu, in), size);
	*den = 0;
	if (integer)
		return f80_from_int(sem_sext(v, size));
	return size == 4 ? f80_widen_f32((uint32_t)v, den) : f80_widen_f64(v, den);
}

/* ---- loads and stores ---- */

/* Pushes v, or reports stack overflow; sw: what the load raised. */
SEM_INLINE void x87_push_checked(struct cpu *cpu, const struct x86_insn *in, struct x86_f80 v,
				 unsigned sw)
{
	if (!x87_empty(cpu, 7)) {
		sw |= X87_OVERFLOW;
		if (x87_masked(cpu, F80_IE))
			x87_push(cpu, f80_indefinite());
	} else {
		x87_push(cpu, v);
	}
	x87_status(cpu, in, sw, F80_C1);
}

SEM_INLINE void sem_FLD(struct cpu *cpu, const struct x86_insn *in)
{
	const struct x86_opnd *o = &in->opnd[0];
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 v;

	x87_begin(cpu);
	if (o->kind == X86_OPND_ST && x87_empty(cpu, o->reg)) {
		/* underflow wins over overflow: the indefinite is pushed anyway */
		if (x87_masked(cpu, F80_IE))
			x87_push(cpu, f80_indefinite());
		x87_status(cpu, in, X87_UNDERFLOW, F80_C1);
		return;
	}
	if (!x87_empty(cpu, 7)) {
		/* and overflow over anything the load would report */
		x87_push_checked(cpu, in, f80_indefinite(), 0);
		return;
	}
	if (o->kind == X86_OPND_ST) {
		v = x87_st(cpu, o->reg);
	} else if (o->size == 10) {
		uint8_t b[10];
		sem_load_bytes(b, sem_ea(cpu, in), 10);
		memcpy(&v.mant, b, 8);
		memcpy(&v.sexp, b + 8, 2);
	} else {
		uint64_t bits = sem_load(sem_ea(cpu, in), o->size);
		v = o->size == 4 ? f80_load_f32(&c, (uint32_t)bits) : f80_load_f64(&c, bits);
		/* an SNaN with IE unmasked is not loaded; a denormal is */
		if (c.sw & ~c.cw & F80_IE) {
			x87_status(cpu, in, c.sw, F80_C1);
			return;
		}
	}
	x87_push_checked(cpu, in, v, c.sw);
}

SEM_INLINE void sem_FILD(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	x87_begin(cpu);
	x87_push_checked(cpu, in, f80_from_int(sem_sext(sem_load(sem_ea(cpu, in), size), size)), 0);
}

SEM_INLINE void sem_FBLD(struct cpu *cpu, const struct x86_insn *in)
{
	uint8_t b[10];
	x87_begin(cpu);
	sem_load_bytes(b, sem_ea(cpu, in), 10);
	x87_push_checked(cpu, in, f80_from_bcd(b), 0);
}

/* Writes ST0 to a float or 80-bit memory operand. */
SEM_INLINE void x87_store_mem(struct cpu *cpu, const struct x86_insn *in, struct f80_ctx *c,
			      struct x86_f80 v)
{
	unsigned size = in->opnd[0].size;
	uint64_t a = sem_ea(cpu, in);
	if (size == 10) {
		uint8_t b[10];
		memcpy(b, &v.mant, 8);
		memcpy(b + 8, &v.sexp, 2);
		sem_store_bytes(a, b, 10);
		return;
	}
	{
		uint64_t bits = size == 4 ? f80_store_f32(c, v) : f80_store_f64(c, v);
		if (!f80_store_suppressed(c))
			sem_store(a, size, bits);
	}
}

/* FST and FSTP: to memory (rounded to float32/float64, or as is to m80),
 * or to ST(i) as is. */
SEM_INLINE void x87_fst(struct cpu *cpu, const struct x86_insn *in, int pop)
{
	const struct x86_opnd *o = &in->opnd[0];
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 v = x87_st(cpu, 0);

	x87_begin(cpu);
	if (x87_empty(cpu, 0)) {
		if (o->kind == X86_OPND_ST && x87_opcode(cpu, in) == 0xd9) {
			/* D9 D8+i, the old FSTP "no classify": just pops */
			x87_pop(cpu);
			x87_status(cpu, in, 0, F80_C1);
			return;
		}
		c.sw = X87_UNDERFLOW;
		if (!x87_masked(cpu, F80_IE)) {
			x87_status(cpu, in, c.sw, F80_C1);
			return;
		}
		v = f80_indefinite();
	}
	if (o->kind == X86_OPND_ST)
		x87_set(cpu, o->reg, v);
	else
		x87_store_mem(cpu, in, &c, v);
	if (pop && !f80_store_suppressed(&c))
		x87_pop(cpu);
	x87_status(cpu, in, c.sw, F80_C1);
}

SEM_INLINE void sem_FST(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fst(cpu, in, 0);
}

SEM_INLINE void sem_FSTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fst(cpu, in, 1);
}

/* FIST, FISTP, FISTTP (truncate), and FBSTP (bcd). */
SEM_INLINE void x87_fist(struct cpu *cpu, const struct x86_insn *in, int pop, int truncate, int bcd)
{
	unsigned size = in->opnd[0].size;
	uint64_t a = sem_ea(cpu, in);
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 v = x87_st(cpu, 0);

	x87_begin(cpu);
	if (x87_empty(cpu, 0)) {
		c.sw = X87_UNDERFLOW;
		if (!x87_masked(cpu, F80_IE)) {
			x87_status(cpu, in, c.sw, F80_C1);
			return;
		}
		v = f80_indefinite(); /* converts to the integer indefinite */
	}
	if (bcd) {
		uint8_t b[10];
		f80_to_bcd(&c, v, b);
		if (!f80_store_suppressed(&c))
			sem_store_bytes(a, b, 10);
	} else {
		int64_t r = f80_to_int(&c, v, size, truncate);
		if (!f80_store_suppressed(&c))
			sem_store(a, size, (uint64_t)r);
	}
	if (pop && !f80_store_suppressed(&c))
		x87_pop(cpu);
	x87_status(cpu, in, c.sw, F80_C1);
}

SEM_INLINE void sem_FIST(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fist(cpu, in, 0, 0, 0);
}

SEM_INLINE void sem_FISTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fist(cpu, in, 1, 0, 0);
}

SEM_INLINE void sem_FISTTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fist(cpu, in, 1, 1, 0);
}

SEM_INLINE void sem_FBSTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_fist(cpu, in, 1, 0, 1);
}

/* FLD1 ... FLDZ */
SEM_INLINE void x87_ldconst(struct cpu *cpu, const struct x86_insn *in, enum f80_const k)
{
	struct f80_ctx c = {cpu->fcw, 0};
	x87_begin(cpu);
	x87_push_checked(cpu, in, f80_const(&c, k), 0);
}

SEM_INLINE void sem_FLD1(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_ONE);
}

SEM_INLINE void sem_FLDL2T(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_L2T);
}

SEM_INLINE void sem_FLDL2E(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_L2E);
}

SEM_INLINE void sem_FLDPI(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_PI);
}

SEM_INLINE void sem_FLDLG2(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_LG2);
}

SEM_INLINE void sem_FLDLN2(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_LN2);
}

SEM_INLINE void sem_FLDZ(struct cpu *cpu, const struct x86_insn *in)
{
	x87_ldconst(cpu, in, F80_K_ZERO);
}

SEM_INLINE void sem_FXCH(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned i = in->opnd[0].reg, sw = 0;
	struct x86_f80 a, b;

	x87_begin(cpu);
	if (x87_empty(cpu, 0) || x87_empty(cpu, i)) {
		sw = X87_UNDERFLOW;
		if (!x87_masked(cpu, F80_IE)) {
			x87_status(cpu, in, sw, F80_C1);
			return;
		}
		if (x87_empty(cpu, 0))
			x87_set(cpu, 0, f80_indefinite());
		if (x87_empty(cpu, i))
			x87_set(cpu, i, f80_indefinite());
	}
	a = x87_st(cpu, 0);
	b = x87_st(cpu, i);
	x87_set(cpu, 0, b);
	x87_set(cpu, i, a);
	x87_status(cpu, in, sw, F80_C1);
}

/* FCMOVcc: insn->cond as for CMOVcc (B E BE U and their negations). */
SEM_INLINE int x87_cond(const struct cpu *cpu, unsigned cond)
{
	int t;
	switch (cond >> 1) {
	case 1: t = cpu->cf; break;	      /* B */
	case 2: t = cpu->zf; break;	      /* E */
	case 3: t = cpu->cf | cpu->zf; break; /* BE */
	default: t = cpu->pf; break;	      /* U (P) */
	}
	return t ^ (cond & 1);
}

SEM_INLINE void sem_FCMOVCC(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned i = in->opnd[1].reg;
	x87_begin(cpu);
	/* an empty operand gives the indefinite whatever the condition */
	if (x87_empty(cpu, 0) || x87_empty(cpu, i)) {
		if (x87_masked(cpu, F80_IE))
			x87_set(cpu, 0, f80_indefinite());
		x87_status(cpu, in, X87_UNDERFLOW, F80_C1);
		return;
	}
	if (x87_cond(cpu, in->cond))
		x87_set(cpu, 0, x87_st(cpu, i));
	x87_status(cpu, in, 0, 0); /* C1 stays */
}

/* ---- arithmetic ---- */

/* dst = dst op src, or src op dst when rev; pop after. The forms: [MEM]
 * (dst ST0, src a float or, with integer, an integer), [ST0, STi] and
 * [STi, ST0]. */
SEM_INLINE void x87_arith(struct cpu *cpu, const struct x86_insn *in, enum f80_op op, int rev,
			  int pop, int integer)
{
	const struct x86_opnd *o = in->opnd;
	struct f80_ctx c = {cpu->fcw, 0};
	unsigned d = 0, flags = 0;
	struct x86_f80 a, b, r;
	int den = 0, empty;

	x87_begin(cpu);
	if (o[0].kind == X86_OPND_MEM) {
		b = x87_mem_value(cpu, in, integer, &den);
		empty = x87_empty(cpu, 0);
	} else {
		d = o[0].reg;
		b = x87_st(cpu, o[1].reg);
		empty = x87_empty(cpu, o[0].reg) || x87_empty(cpu, o[1].reg);
	}
	if (empty) {
		if (x87_masked(cpu, F80_IE)) {
			x87_set(cpu, d, f80_indefinite());
			if (pop)
				x87_pop(cpu);
		}
		x87_status(cpu, in, X87_UNDERFLOW, F80_C1);
		return;
	}
	a = x87_st(cpu, d);
	if (den)
		flags = rev ? F80_A_DENORMAL : F80_B_DENORMAL;
	r = rev ? f80_arith(&c, op, b, a, flags) : f80_arith(&c, op, a, b, flags);
	if (!f80_suppressed(&c)) {
		x87_set(cpu, d, r);
		if (pop)
			x87_pop(cpu);
	}
	x87_status(cpu, in, c.sw, F80_C1);
}

// clang-format off
SEM_INLINE void sem_FADD(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_ADD, 0, 0, 0); }
SEM_INLINE void sem_FADDP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_ADD, 0, 1, 0); }
SEM_INLINE void sem_FIADD(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_ADD, 0, 0, 1); }
SEM_INLINE void sem_FSUB(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 0, 0, 0); }
SEM_INLINE void sem_FSUBP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 0, 1, 0); }
SEM_INLINE void sem_FISUB(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 0, 0, 1); }
SEM_INLINE void sem_FSUBR(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 1, 0, 0); }
SEM_INLINE void sem_FSUBRP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 1, 1, 0); }
SEM_INLINE void sem_FISUBR(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_SUB, 1, 0, 1); }
SEM_INLINE void sem_FMUL(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_MUL, 0, 0, 0); }
SEM_INLINE void sem_FMULP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_MUL, 0, 1, 0); }
SEM_INLINE void sem_FIMUL(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_MUL, 0, 0, 1); }
SEM_INLINE void sem_FDIV(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 0, 0, 0); }
SEM_INLINE void sem_FDIVP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 0, 1, 0); }
SEM_INLINE void sem_FIDIV(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 0, 0, 1); }
SEM_INLINE void sem_FDIVR(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 1, 0, 0); }
SEM_INLINE void sem_FDIVRP(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 1, 1, 0); }
SEM_INLINE void sem_FIDIVR(struct cpu *cpu, const struct x86_insn *in) { x87_arith(cpu, in, F80_DIV, 1, 0, 1); }
// clang-format on

/* ---- comparisons ---- */

/* Compares ST0 with the operand (MEM float or integer, ST(i), or ST1 when
 * there is none; zero for FTST), then pops `pops` times. eflags: FCOMI
 * forms, which set ZF PF CF instead of C3 C2 C0. */
SEM_INLINE void x87_compare(struct cpu *cpu, const struct x86_insn *in, int quiet, int pops,
			    int integer, int eflags, int tst)
{
	const struct x86_opnd *o = in->opnd;
	struct f80_ctx c = {cpu->fcw, 0};
	unsigned i = 1;
	struct x86_f80 b = f80_make(0, 0, 0);
	int den = 0, empty;

	x87_begin(cpu);
	if (in->nopnd && o[0].kind == X86_OPND_MEM) {
		b = x87_mem_value(cpu, in, integer, &den);
		empty = x87_empty(cpu, 0);
	} else {
		if (in->nopnd)
			i = o[in->nopnd - 1].reg;
		if (!tst)
			b = x87_st(cpu, i);
		empty = x87_empty(cpu, 0) || (!tst && x87_empty(cpu, i));
	}
	if (empty) {
		c.sw = X87_UNDERFLOW | F80_C3 | F80_C2 | F80_C0;
	} else {
		f80_compare(&c, x87_st(cpu, 0), b, quiet, den ? F80_B_DENORMAL : 0);
	}
	if (eflags) {
		cpu->zf = !!(c.sw & F80_C3);
		cpu->pf = !!(c.sw & F80_C2);
		cpu->cf = !!(c.sw & F80_C0);
		cpu->of = cpu->sf = cpu->af = 0;
		c.sw &= ~(F80_C3 | F80_C2 | F80_C0);
	}
	/* an unmasked invalid operand or stack fault does not pop */
	if (!(c.sw & ~c.cw & (F80_IE | F80_DE)))
		while (pops--)
			x87_pop(cpu);
	/* FCOMI leaves the condition codes, but for C1 after a stack fault */
	x87_status(cpu, in, c.sw, !eflags ? F80_CC : empty ? F80_C1 : 0);
}

// clang-format off
SEM_INLINE void sem_FCOM(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 0, 0, 0, 0); }
SEM_INLINE void sem_FCOMP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 1, 0, 0, 0); }
SEM_INLINE void sem_FCOMPP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 2, 0, 0, 0); }
SEM_INLINE void sem_FUCOM(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 1, 0, 0, 0, 0); }
SEM_INLINE void sem_FUCOMP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 1, 1, 0, 0, 0); }
SEM_INLINE void sem_FUCOMPP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 1, 2, 0, 0, 0); }
SEM_INLINE void sem_FICOM(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 0, 1, 0, 0); }
SEM_INLINE void sem_FICOMP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 1, 1, 0, 0); }
SEM_INLINE void sem_FCOMI(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 0, 0, 1, 0); }
SEM_INLINE void sem_FCOMIP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 1, 0, 1, 0); }
SEM_INLINE void sem_FUCOMI(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 1, 0, 0, 1, 0); }
SEM_INLINE void sem_FUCOMIP(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 1, 1, 0, 1, 0); }
SEM_INLINE void sem_FTST(struct cpu *cpu, const struct x86_insn *in) { x87_compare(cpu, in, 0, 0, 0, 0, 1); }
// clang-format on

SEM_INLINE void sem_FXAM(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
	x87_status(cpu, in, f80_examine(x87_st(cpu, 0), x87_empty(cpu, 0)), F80_CC);
}

/* ---- one-operand instructions on ST0 ---- */

/* Replaces ST0 by f(ST0), or f(ST0, ST1) for FSCALE and FPREM/FPREM1. */
enum x87_unary {
	X87_CHS,
	X87_ABS,
	X87_SQRT,
	X87_RNDINT,
	X87_SCALE,
	X87_PREM,
	X87_PREM1,
	X87_F2XM1,
	X87_SIN,
	X87_COS
};

SEM_INLINE void x87_unary(struct cpu *cpu, const struct x86_insn *in, enum x87_unary f)
{
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 a = x87_st(cpu, 0), b = x87_st(cpu, 1), r = a;
	int two = f == X87_SCALE || f == X87_PREM || f == X87_PREM1;
	unsigned cc = f == X87_PREM || f == X87_PREM1 ? F80_CC
		      : f == X87_SIN || f == X87_COS  ? F80_C1 | F80_C2
						      : F80_C1;

	x87_begin(cpu);
	if (x87_empty(cpu, 0) || (two && x87_empty(cpu, 1))) {
		if (x87_masked(cpu, F80_IE))
			x87_set(cpu, 0, f80_indefinite());
		/* FPREM/FPREM1 without a remainder leave C0 and C3 */
		x87_status(cpu, in, X87_UNDERFLOW, cc == F80_CC ? F80_C1 | F80_C2 : cc);
		return;
	}
	switch (f) {
	case X87_CHS: r.sexp ^= F80_SIGN; break;
	case X87_ABS: r.sexp &= ~F80_SIGN; break;
	case X87_SQRT: r = f80_sqrt(&c, a); break;
	case X87_RNDINT: r = f80_rndint(&c, a); break;
	case X87_SCALE: r = f80_scale(&c, a, b); break;
	case X87_PREM: r = f80_prem(&c, a, b, 0); break;
	case X87_PREM1: r = f80_prem(&c, a, b, 1); break;
	case X87_F2XM1: r = f80_f2xm1(&c, a); break;
	case X87_SIN:
		if (!f80_sincos(&c, a, &r, NULL))
			r = a;
		break;
	case X87_COS:
		if (!f80_sincos(&c, a, NULL, &r))
			r = a;
		break;
	}
	if (!f80_suppressed(&c))
		x87_set(cpu, 0, r);
	if (cc == F80_CC && (f80_suppressed(&c) || f80_classify(r) == F80_QNAN))
		cc = F80_C1 | F80_C2;
	x87_status(cpu, in, c.sw, cc);
}

// clang-format off
SEM_INLINE void sem_FCHS(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_CHS); }
SEM_INLINE void sem_FABS(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_ABS); }
SEM_INLINE void sem_FSQRT(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_SQRT); }
SEM_INLINE void sem_FRNDINT(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_RNDINT); }
SEM_INLINE void sem_FSCALE(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_SCALE); }
SEM_INLINE void sem_FPREM(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_PREM); }
SEM_INLINE void sem_FPREM1(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_PREM1); }
SEM_INLINE void sem_F2XM1(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_F2XM1); }
SEM_INLINE void sem_FSIN(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_SIN); }
SEM_INLINE void sem_FCOS(struct cpu *cpu, const struct x86_insn *in) { x87_unary(cpu, in, X87_COS); }
// clang-format on

/* FYL2X, FYL2XP1, FPATAN: ST1 = f(ST0, ST1), then pop. */
enum x87_binary { X87_YL2X, X87_YL2XP1, X87_PATAN };

SEM_INLINE void x87_binary(struct cpu *cpu, const struct x86_insn *in, enum x87_binary f)
{
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 x = x87_st(cpu, 0), y = x87_st(cpu, 1), r;

	x87_begin(cpu);
	if (x87_empty(cpu, 0) || x87_empty(cpu, 1)) {
		if (x87_masked(cpu, F80_IE)) {
			x87_set(cpu, 1, f80_indefinite());
			x87_pop(cpu);
		}
		x87_status(cpu, in, X87_UNDERFLOW, F80_C1);
		return;
	}
	switch (f) {
	case X87_YL2X: r = f80_yl2x(&c, x, y); break;
	case X87_YL2XP1: r = f80_yl2xp1(&c, x, y); break;
	default: r = f80_atan2(&c, y, x); break;
	}
	if (!f80_suppressed(&c)) {
		x87_set(cpu, 1, r);
		x87_pop(cpu);
	}
	x87_status(cpu, in, c.sw, F80_C1);
}

SEM_INLINE void sem_FYL2X(struct cpu *cpu, const struct x86_insn *in)
{
	x87_binary(cpu, in, X87_YL2X);
}

SEM_INLINE void sem_FYL2XP1(struct cpu *cpu, const struct x86_insn *in)
{
	x87_binary(cpu, in, X87_YL2XP1);
}

SEM_INLINE void sem_FPATAN(struct cpu *cpu, const struct x86_insn *in)
{
	x87_binary(cpu, in, X87_PATAN);
}

/* FXTRACT, FPTAN, FSINCOS: ST0 = lo, then push hi. */
enum x87_split { X87_XTRACT, X87_PTAN, X87_SINCOS };

SEM_INLINE void x87_split(struct cpu *cpu, const struct x86_insn *in, enum x87_split f)
{
	struct f80_ctx c = {cpu->fcw, 0};
	struct x86_f80 a = x87_st(cpu, 0), lo = a, hi = a;
	unsigned cc = f == X87_XTRACT ? F80_C1 : F80_C1 | F80_C2;

	x87_begin(cpu);
	if (x87_empty(cpu, 0) || !x87_empty(cpu, 7)) {
		/* both places get the indefinite */
		unsigned sw = x87_empty(cpu, 0) ? X87_UNDERFLOW : X87_OVERFLOW;
		if (x87_masked(cpu, F80_IE)) {
			x87_set(cpu, 0, f80_indefinite());
			x87_push(cpu, f80_indefinite());
		}
		x87_status(cpu, in, sw, cc);
		return;
	}
	switch (f) {
	case X87_XTRACT: f80_xtract(&c, a, &hi, &lo); break;
	case X87_PTAN:
		if (!f80_tan(&c, a, &lo)) {
			x87_status(cpu, in, c.sw, cc);
			return;
		}
		/* 1 is pushed, or the NaN result again */
		hi = f80_classify(lo) == F80_QNAN ? lo : f80_from_int(1);
		break;
	default:
		if (!f80_sincos(&c, a, &lo, &hi)) {
			x87_status(cpu, in, c.sw, cc);
			return;
		}
		break;
	}
	if (!f80_suppressed(&c)) {
		x87_set(cpu, 0, lo);
		x87_push(cpu, hi);
	}
	x87_status(cpu, in, c.sw, cc);
}

SEM_INLINE void sem_FXTRACT(struct cpu *cpu, const struct x86_insn *in)
{
	x87_split(cpu, in, X87_XTRACT);
}

SEM_INLINE void sem_FPTAN(struct cpu *cpu, const struct x86_insn *in)
{
	x87_split(cpu, in, X87_PTAN);
}

SEM_INLINE void sem_FSINCOS(struct cpu *cpu, const struct x86_insn *in)
{
	x87_split(cpu, in, X87_SINCOS);
}

/* ---- stack and control ---- */

SEM_INLINE void sem_FINCSTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
	cpu->ftop = (cpu->ftop + 1) & 7;
	x87_status(cpu, in, 0, F80_C1);
}

SEM_INLINE void sem_FDECSTP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
	cpu->ftop = (cpu->ftop - 1) & 7;
	x87_status(cpu, in, 0, F80_C1);
}

SEM_INLINE void sem_FFREE(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
	cpu->ftw |= (uint16_t)(3u << 2 * x87_phys(cpu, in->opnd[0].reg));
	x87_status(cpu, in, 0, F80_C1);
}

SEM_INLINE void sem_FFREEP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
	cpu->ftw |= (uint16_t)(3u << 2 * x87_phys(cpu, in->opnd[0].reg));
	x87_pop(cpu);
	x87_status(cpu, in, 0, F80_C1);
}

SEM_INLINE void sem_FNOP(struct cpu *cpu, const struct x86_insn *in)
{
	x87_begin(cpu);
}

SEM_INLINE void sem_FWAIT(struct cpu *cpu, const struct x86_insn *in)
{
	x87_wait(cpu);
}

SEM_INLINE void sem_FNINIT(struct cpu *cpu, const struct x86_insn *in)
{
	x87_init(cpu);
}

SEM_INLINE void sem_FNCLEX(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->fsw &= (uint16_t) ~(F80_EXC | F80_SF | F80_ES | F80_B);
}

/* The ES and B summary bits after FCW or the flags changed wholesale. */
SEM_INLINE void x87_summary(struct cpu *cpu)
{
	if (cpu->fsw & ~cpu->fcw & F80_EXC)
		cpu->fsw |= F80_ES | F80_B;
	else
		cpu->fsw &= (uint16_t) ~(F80_ES | F80_B);
}

SEM_INLINE void sem_FLDCW(struct cpu *cpu, const struct x86_insn *in)
{
	uint16_t cw = (uint16_t)sem_load(sem_ea(cpu, in), 2);
	x87_wait(cpu);
	/* bits 6, 7 and 13-15 are not stored (6 reads as 1) */
	cpu->fcw = (uint16_t)((cw & 0x1f3f) | 0x40);
	x87_summary(cpu);
}

SEM_INLINE void sem_FNSTCW(struct cpu *cpu, const struct x86_insn *in)
{
	sem_store(sem_ea(cpu, in), 2, cpu->fcw);
}

SEM_INLINE void sem_FNSTSW(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, x86_get_fsw(cpu));
}

SEM_INLINE void sem_FLDENV(struct cpu *cpu, const struct x86_insn *in)
{
	x87_wait(cpu);
	x87_load_env(cpu, in, sem_ea(cpu, in), 0);
}

SEM_INLINE void sem_FNSTENV(struct cpu *cpu, const struct x86_insn *in)
{
	x87_store_env(cpu, in, sem_ea(cpu, in), 0);
}

SEM_INLINE void sem_FRSTOR(struct cpu *cpu, const struct x86_insn *in)
{
	x87_wait(cpu);
	x87_load_env(cpu, in, sem_ea(cpu, in), 1);
}

SEM_INLINE void sem_FNSAVE(struct cpu *cpu, const struct x86_insn *in)
{
	x87_store_env(cpu, in, sem_ea(cpu, in), 1);
}

/* 8087/80287 controls: no-ops on every later x87, and they do not wait. */
SEM_INLINE void sem_FNENI(struct cpu *cpu, const struct x86_insn *in)
{
}

SEM_INLINE void sem_FNDISI(struct cpu *cpu, const struct x86_insn *in)
{
}

SEM_INLINE void sem_FNSETPM(struct cpu *cpu, const struct x86_insn *in)
{
}

/* The ops this header implements, for the interpreter's table. */
#define SEM_X87_OPS(X)                                                                             \
	X(FLD)                                                                                     \
	X(FST) X(FSTP) X(FILD) X(FIST) X(FISTP) X(FISTTP) X(FBLD) X(FBSTP) X(FXCH) X(FCMOVCC) X(   \
		FADD) X(FADDP) X(FIADD) X(FSUB) X(FSUBP) X(FISUB) X(FSUBR) X(FSUBRP) X(FISUBR)     \
		X(FMUL) X(FMULP) X(FIMUL) X(FDIV) X(FDIVP) X(FIDIV) X(FDIVR) X(FDIVRP) X(          \
			FIDIVR) X(FCOM) X(FCOMP) X(FCOMPP) X(FUCOM) X(FUCOMP) X(FUCOMPP) X(FICOM)  \
			X(FICOMP) X(FCOMI) X(FCOMIP) X(FUCOMI) X(FUCOMIP) X(FTST) X(FXAM) X(       \
				FCHS) X(FABS) X(FSQRT) X(FSCALE) X(FPREM) X(FPREM1) X(FRNDINT)     \
				X(FXTRACT) X(F2XM1) X(FYL2X) X(FYL2XP1) X(FPTAN) X(FPATAN) X(FSIN) \
					X(FCOS) X(FSINCOS) X(FLD1) X(FLDL2T) X(FLDL2E) X(FLDPI) X( \
						FLDLG2) X(FLDLN2) X(FLDZ) X(FINCSTP) X(FDECSTP)    \
						X(FFREE) X(FFREEP) X(FNOP) X(FWAIT) X(FNINIT)      \
							X(FNCLEX) X(FLDCW) X(FNSTCW) X(FNSTSW)     \
								X(FLDENV) X(FNSTENV) X(FRSTOR)     \
									X(FNSAVE) X(FNENI)         \
										X(FNDISI)          \
											X(FNSETPM)

#endif
