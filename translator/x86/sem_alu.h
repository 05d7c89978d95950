/* sem_alu.h — integer arithmetic and logic (the "sem_alu.h" section of
 * ops.def).
 *
 * Ordering rule for all semantics here: every guest memory access that can
 * fault happens before any register or flag is written, so a faulting
 * instruction leaves no trace (x86 has none).
 */
#ifndef XLATE_X86_SEM_ALU_H
#define XLATE_X86_SEM_ALU_H

#include "translator/x86/sem_atomic.h"
#include "translator/x86/sem_flags.h"

/* Operand i as a source of an operation of `size` bytes: immediates are
 * sign-extended to the operation size by the decoder, then truncated. */
SEM_INLINE uint64_t sem_src(struct cpu *cpu, const struct x86_insn *in, unsigned i, unsigned size)
{
	if (in->opnd[i].kind == X86_OPND_IMM)
		return (uint64_t)in->imm & sem_mask(size);
	return sem_read(cpu, in, i);
}

SEM_INLINE bool sem_locked_mem(const struct x86_insn *in)
{
	return in->opnd[0].kind == X86_OPND_MEM && (in->prefix & X86_PFX_LOCK);
}

/* ---- the eight classic two-operand ops, TEST, INC/DEC/NEG/NOT ---- */

enum sem_arith {
	SEM_ADD,
	SEM_OR,
	SEM_ADC,
	SEM_SBB,
	SEM_AND,
	SEM_SUB,
	SEM_XOR,
	SEM_CMP,
	SEM_TEST,
};

SEM_INLINE uint64_t sem_arith_calc(unsigned k, uint64_t a, uint64_t b, uint64_t c)
{
	switch (k) {
	case SEM_ADD: return a + b;
	case SEM_ADC: return a + b + c;
	case SEM_SUB:
	case SEM_CMP: return a - b;
	case SEM_SBB: return a - b - c;
	case SEM_OR: return a | b;
	case SEM_AND:
	case SEM_TEST: return a & b;
	default: return a ^ b;
	}
}

SEM_INLINE void sem_arith(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned size = in->opnd[0].size;
	uint64_t m = sem_mask(size);
	uint64_t b = sem_src(cpu, in, 1, size);
	uint64_t c = cpu->cf;
	uint64_t a, r;

	if (k != SEM_CMP && k != SEM_TEST && sem_locked_mem(in)) {
		uint64_t ea = sem_ea(cpu, in);
		a = sem_load(ea, size);
		do
			r = sem_arith_calc(k, a, b, c) & m;
		while (!sem_cas(ea, size, &a, r));
	} else {
		a = sem_read(cpu, in, 0);
		r = sem_arith_calc(k, a, b, c) & m;
		if (k != SEM_CMP && k != SEM_TEST)
			sem_write(cpu, in, 0, r);
	}
	switch (k) {
	case SEM_ADD:
	case SEM_ADC: sem_flags_add(cpu, a, b, r, size); break;
	case SEM_SUB:
	case SEM_SBB:
	case SEM_CMP: sem_flags_sub(cpu, a, b, r, size); break;
	default: sem_flags_logic(cpu, r, size); break;
	}
}

SEM_INLINE void sem_ADD(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_ADD);
}
SEM_INLINE void sem_OR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_OR);
}
SEM_INLINE void sem_ADC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_ADC);
}
SEM_INLINE void sem_SBB(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_SBB);
}
SEM_INLINE void sem_AND(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_AND);
}
SEM_INLINE void sem_SUB(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_SUB);
}
SEM_INLINE void sem_XOR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_XOR);
}
SEM_INLINE void sem_CMP(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_CMP);
}
SEM_INLINE void sem_TEST(struct cpu *cpu, const struct x86_insn *in)
{
	sem_arith(cpu, in, SEM_TEST);
}

enum sem_unary { SEM_INC, SEM_DEC, SEM_NEG, SEM_NOT };

SEM_INLINE uint64_t sem_unary_calc(unsigned k, uint64_t a)
{
	switch (k) {
	case SEM_INC: return a + 1;
	case SEM_DEC: return a - 1;
	case SEM_NEG: return 0 - a;
	default: return ~a;
	}
}

SEM_INLINE void sem_unary(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned size = in->opnd[0].size;
	uint64_t m = sem_mask(size);
	uint64_t a, r;
	uint8_t cf = cpu->cf;

	if (sem_locked_mem(in)) {
		uint64_t ea = sem_ea(cpu, in);
		a = sem_load(ea, size);
		do
			r = sem_unary_calc(k, a) & m;
		while (!sem_cas(ea, size, &a, r));
	} else {
		a = sem_read(cpu, in, 0);
		r = sem_unary_calc(k, a) & m;
		sem_write(cpu, in, 0, r);
	}
	switch (k) {
	case SEM_INC:
		sem_flags_add(cpu, a, 1, r, size);
		cpu->cf = cf;
		break;
	case SEM_DEC:
		sem_flags_sub(cpu, a, 1, r, size);
		cpu->cf = cf;
		break;
	case SEM_NEG: sem_flags_sub(cpu, 0, a, r, size); break;
	default: break;
	}
}

SEM_INLINE void sem_INC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_unary(cpu, in, SEM_INC);
}
SEM_INLINE void sem_DEC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_unary(cpu, in, SEM_DEC);
}
SEM_INLINE void sem_NEG(struct cpu *cpu, const struct x86_insn *in)
{
	sem_unary(cpu, in, SEM_NEG);
}
SEM_INLINE void sem_NOT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_unary(cpu, in, SEM_NOT);
}

/* ---- multiply and divide ----
 * One-operand forms use the accumulator pair: AL/AX, DX:AX, EDX:EAX,
 * RDX:RAX; the explicit operand is the last one the decoder lists. */

SEM_INLINE uint64_t sem_mul_src(struct cpu *cpu, const struct x86_insn *in)
{
	return sem_read(cpu, in, in->nopnd - 1);
}

/* Writes the double-width result hi:lo of a one-operand MUL/IMUL/DIV/IDIV
 * (for bytes: AH = hi, AL = lo). */
SEM_INLINE void sem_set_acc_pair(struct cpu *cpu, unsigned size, uint64_t lo, uint64_t hi)
{
	if (size == 1) {
		sem_set_gpr(cpu, X86_RAX, 2, (hi & 0xff) << 8 | (lo & 0xff));
		return;
	}
	sem_set_gpr(cpu, X86_RAX, size, lo);
	sem_set_gpr(cpu, X86_RDX, size, hi);
}

SEM_INLINE void sem_MUL(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[in->nopnd - 1].size;
	uint64_t b = sem_mul_src(cpu, in);
	uint64_t a = sem_get_gpr(cpu, X86_RAX, size);
	uint64_t lo, hi;

	if (size == 8) {
		unsigned __int128 p = (unsigned __int128)a * b;
		lo = (uint64_t)p;
		hi = (uint64_t)(p >> 64);
	} else {
		uint64_t p = a * b;
		lo = p & sem_mask(size);
		hi = p >> (size * 8);
	}
	sem_set_acc_pair(cpu, size, lo, hi);
	sem_flags_mul(cpu, lo, size, hi != 0);
}

/* Signed product of two `size`-byte values: low half in *lo, high half
 * returned; *wide tells whether the high half is significant. */
SEM_INLINE uint64_t sem_imul_calc(uint64_t a, uint64_t b, unsigned size, uint64_t *lo, bool *wide)
{
	uint64_t hi;
	if (size == 8) {
		__int128 p = (__int128)(int64_t)a * (int64_t)b;
		*lo = (uint64_t)p;
		hi = (uint64_t)((unsigned __int128)p >> 64);
		*wide = p != (__int128)(int64_t)*lo;
	} else {
		int64_t p = sem_sext(a, size) * sem_sext(b, size);
		*lo = (uint64_t)p & sem_mask(size);
		hi = ((uint64_t)p >> (size * 8)) & sem_mask(size);
		*wide = p != sem_sext(*lo, size);
	}
	return hi;
}

SEM_INLINE void sem_IMUL(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t lo, hi;
	bool wide;

	if (in->nopnd == 1) {
		unsigned size = in->opnd[0].size;
		uint64_t b = sem_read(cpu, in, 0);
		hi = sem_imul_calc(sem_get_gpr(cpu, X86_RAX, size), b, size, &lo, &wide);
		sem_set_acc_pair(cpu, size, lo, hi);
		sem_flags_mul(cpu, lo, size, wide);
	} else {
		unsigned size = in->opnd[0].size;
		uint64_t a = sem_read(cpu, in, in->nopnd == 3 ? 1 : 0);
		uint64_t b = sem_src(cpu, in, in->nopnd == 3 ? 2 : 1, size);
		sem_imul_calc(a, b, size, &lo, &wide);
		sem_write(cpu, in, 0, lo);
		sem_flags_mul(cpu, lo, size, wide);
	}
}

SEM_INLINE _Noreturn void sem_de(struct cpu *cpu)
{
	x86_raise(cpu, X86_SIGFPE, X86_FPE_INTDIV, cpu->rip, 0);
}

/* The dividend of a one-operand DIV/IDIV: AX, DX:AX, EDX:EAX, RDX:RAX. */
SEM_INLINE unsigned __int128 sem_dividend(const struct cpu *cpu, unsigned size)
{
	if (size == 1)
		return cpu->gpr[X86_RAX] & 0xffff;
	return (unsigned __int128)sem_get_gpr(cpu, X86_RDX, size) << (size * 8) |
	       sem_get_gpr(cpu, X86_RAX, size);
}

/* RDX:RAX / d for DIV with RDX < d (the quotient fits in 64 bits). A
 * dividend of 64 bits is one host division; else x86-64 hosts divide with
 * the instruction itself, which cannot fault here, and others call the
 * compiler's 128-bit division. */
SEM_INLINE uint64_t sem_div128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *r)
{
	if (hi == 0) {
		*r = lo % d;
		return lo / d;
	}
#if defined(__x86_64__)
	{
		uint64_t q;
		__asm__("divq %4" : "=a"(q), "=d"(*r) : "a"(lo), "d"(hi), "rm"(d));
		return q;
	}
#else
	{
		uint64_t q = (uint64_t)(((unsigned __int128)hi << 64 | lo) / d);
		*r = lo - q * d;
		return q;
	}
#endif
}

/* DIV/IDIV leave the arithmetic flags unchanged on our Intel hosts. */
SEM_INLINE void sem_DIV(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[in->nopnd - 1].size;
	uint64_t d = sem_mul_src(cpu, in);
	uint64_t q, r;

	if (d == 0)
		sem_de(cpu);
	if (size == 8) {
		uint64_t hi = cpu->gpr[X86_RDX];
		if (hi >= d)
			sem_de(cpu);
		q = sem_div128(hi, cpu->gpr[X86_RAX], d, &r);
	} else {
		uint64_t n = (uint64_t)sem_dividend(cpu, size);
		q = n / d;
		r = n % d;
		if (q > sem_mask(size))
			sem_de(cpu);
	}
	sem_set_acc_pair(cpu, size, q, r);
}

/* IDIV of a dividend that does not fit in 64 signed bits (size 8 only):
 * unsigned division of the magnitudes. */
SEM_INLINE uint64_t sem_idiv128(uint64_t hi, uint64_t lo, int64_t d, uint64_t *r, struct cpu *cpu)
{
	bool nneg = hi >> 63, dneg = d < 0;
	uint64_t ud = dneg ? 0 - (uint64_t)d : (uint64_t)d, uq, ur;

	if (nneg) { /* |n| */
		lo = 0 - lo;
		hi = ~hi + (lo == 0);
	}
	if (hi >= ud) /* the magnitude's quotient needs more than 64 bits */
		sem_de(cpu);
	uq = sem_div128(hi, lo, ud, &ur);
	if (nneg != dneg ? uq > 1ull << 63 : uq >= 1ull << 63)
		sem_de(cpu);
	*r = nneg ? 0 - ur : ur;
	return nneg != dneg ? 0 - uq : uq;
}

SEM_INLINE void sem_IDIV(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[in->nopnd - 1].size, bits = size * 8;
	int64_t d = sem_sext(sem_mul_src(cpu, in), size);
	uint64_t q, r;

	if (d == 0)
		sem_de(cpu);
	if (size < 8) {
		/* The dividend has at most 64 bits: one signed host division. */
		int64_t n = sem_sext((uint64_t)sem_dividend(cpu, size), 2 * size), sq;
		if (n == INT64_MIN && d == -1)
			sem_de(cpu);
		sq = n / d;
		if (sq < -(INT64_C(1) << (bits - 1)) || sq > (INT64_C(1) << (bits - 1)) - 1)
			sem_de(cpu);
		q = (uint64_t)sq;
		r = (uint64_t)(n % d);
	} else {
		uint64_t hi = cpu->gpr[X86_RDX], lo = cpu->gpr[X86_RAX];
		if (hi == (uint64_t)((int64_t)lo >> 63)) { /* RDX:RAX fits in 64 signed bits */
			if ((int64_t)lo == INT64_MIN && d == -1)
				sem_de(cpu);
			q = (uint64_t)((int64_t)lo / d);
			r = (uint64_t)((int64_t)lo % d);
		} else {
			q = sem_idiv128(hi, lo, d, &r, cpu);
		}
	}
	sem_set_acc_pair(cpu, size, q & sem_mask(size), r & sem_mask(size));
}

/* ---- sign extension of the accumulator ---- */

SEM_INLINE void sem_CBW(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	sem_set_gpr(cpu, X86_RAX, size, (uint64_t)sem_sext(cpu->gpr[X86_RAX], size / 2));
}

SEM_INLINE void sem_CWD(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	sem_set_gpr(cpu, X86_RDX, size, sem_msb(cpu->gpr[X86_RAX], size) ? ~0ull : 0);
}

/* ---- exchange-and-add, compare-and-exchange ---- */

SEM_INLINE void sem_XADD(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t m = sem_mask(size);
	uint64_t b = sem_read(cpu, in, 1);
	uint64_t a, r;

	if (in->opnd[0].kind == X86_OPND_MEM) {
		uint64_t ea = sem_ea(cpu, in);
		a = sem_load(ea, size);
		if (in->prefix & X86_PFX_LOCK) {
			do
				r = (a + b) & m;
			while (!sem_cas(ea, size, &a, r));
		} else {
			r = (a + b) & m;
			sem_store(ea, size, r);
		}
		sem_write(cpu, in, 1, a);
	} else {
		/* xadd r, r with both the same register ends with the sum. */
		a = sem_read(cpu, in, 0);
		r = (a + b) & m;
		sem_write(cpu, in, 1, a);
		sem_write(cpu, in, 0, r);
	}
	sem_flags_add(cpu, a, b, r, size);
}

SEM_INLINE void sem_CMPXCHG(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t acc = sem_get_gpr(cpu, X86_RAX, size);
	uint64_t src = sem_read(cpu, in, 1);
	uint64_t cur;

	if (sem_locked_mem(in)) {
		cur = acc;
		sem_cas(sem_ea(cpu, in), size, &cur, src);
	} else if (in->opnd[0].kind == X86_OPND_MEM) {
		/* Memory is always written: with the source when equal,
		 * else with its own value. */
		uint64_t ea = sem_ea(cpu, in);
		cur = sem_load(ea, size);
		sem_store(ea, size, cur == acc ? src : cur);
	} else {
		/* A register is written only when equal (a 32-bit one keeps
		 * its upper half otherwise). */
		cur = sem_read(cpu, in, 0);
		if (cur == acc)
			sem_write(cpu, in, 0, src);
	}
	if (cur != acc)
		sem_set_gpr(cpu, X86_RAX, size, cur);
	sem_flags_sub(cpu, acc, cur, (acc - cur) & sem_mask(size), size);
}

SEM_INLINE void sem_CMPXCHG8B(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t ea = sem_ea(cpu, in);
	uint64_t exp = (uint64_t)(uint32_t)cpu->gpr[X86_RDX] << 32 | (uint32_t)cpu->gpr[X86_RAX];
	uint64_t want = (uint64_t)(uint32_t)cpu->gpr[X86_RCX] << 32 | (uint32_t)cpu->gpr[X86_RBX];
	uint64_t cur = exp;
	bool ok;

	if (in->prefix & X86_PFX_LOCK) {
		ok = sem_cas(ea, 8, &cur, want);
	} else {
		cur = sem_load(ea, 8);
		ok = cur == exp;
		sem_store(ea, 8, ok ? want : cur);
	}
	if (!ok) {
		sem_set_gpr(cpu, X86_RAX, 4, cur);
		sem_set_gpr(cpu, X86_RDX, 4, cur >> 32);
	}
	cpu->zf = ok;
}

SEM_INLINE void sem_CMPXCHG16B(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t ea = sem_ea(cpu, in);
	uint64_t cur[2] = {cpu->gpr[X86_RAX], cpu->gpr[X86_RDX]};
	const uint64_t want[2] = {cpu->gpr[X86_RBX], cpu->gpr[X86_RCX]};
	bool ok;

	if (!sem_is_aligned(ea, 16))
		sem_gp(cpu);
	ok = x86_cas16(ea, cur, want);
	if (!ok) {
		cpu->gpr[X86_RAX] = cur[0];
		cpu->gpr[X86_RDX] = cur[1];
	}
	cpu->zf = ok;
}

/* ---- ADX: add with carry through CF (ADCX) or OF (ADOX) only ---- */

SEM_INLINE uint64_t sem_adx(struct cpu *cpu, const struct x86_insn *in, uint8_t *flag)
{
	unsigned size = in->opnd[0].size;
	uint64_t b = sem_read(cpu, in, 1);
	uint64_t a = sem_read(cpu, in, 0);
	uint64_t r = (a + b + *flag) & sem_mask(size);
	*flag = (((a & b) | ((a | b) & ~r)) >> (size * 8 - 1)) & 1;
	return r;
}

SEM_INLINE void sem_ADCX(struct cpu *cpu, const struct x86_insn *in)
{
	uint8_t cf = cpu->cf;
	uint64_t r = sem_adx(cpu, in, &cf);
	sem_write(cpu, in, 0, r);
	cpu->cf = cf;
}

SEM_INLINE void sem_ADOX(struct cpu *cpu, const struct x86_insn *in)
{
	uint8_t of = cpu->of;
	uint64_t r = sem_adx(cpu, in, &of);
	sem_write(cpu, in, 0, r);
	cpu->of = of;
}

// clang-format off
#define SEM_ALU_OPS(X) \
	X(ADD) X(OR) X(ADC) X(SBB) X(AND) X(SUB) X(XOR) X(CMP) X(TEST) X(INC) X(DEC) X(NEG) \
	X(NOT) X(MUL) X(IMUL) X(DIV) X(IDIV) X(CBW) X(CWD) X(XADD) X(CMPXCHG) X(CMPXCHG8B) \
	X(CMPXCHG16B) X(ADCX) X(ADOX)
// clang-format on

#endif
