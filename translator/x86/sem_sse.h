/* sem_sse.h — semantics of the ops in the "sem_sse.h" section of ops.def:
 * SSE/SSE2/SSE3/SSE4.1 floating point, legacy and VEX-128 forms.
 *
 * Arithmetic goes through simd_fp.h (exact results, MXCSR flags, DAZ/FTZ,
 * NaN rules). An instruction computes all its lanes, then commits the flags
 * (or raises #XM for an unmasked exception, leaving the destination as it
 * was), then writes its destination.
 */
#ifndef XLATE_X86_SEM_SSE_H
#define XLATE_X86_SEM_SSE_H

#include "translator/x86/sem.h"
#include "translator/x86/simd_fp.h"
#include "translator/x86/simd_opnd.h"

/* ---- moves ---- */

/* Whole-register moves; `aligned` for MOVAPS & co, which require a 16-byte
 * aligned memory operand in their VEX form too. */
SEM_INLINE void sse_move(struct cpu *cpu, const struct x86_insn *in, bool aligned)
{
	simd_begin(cpu, in);
	unsigned s = simd_src2(in);
	if (aligned) {
		simd_check_align(cpu, in, 0, true);
		simd_check_align(cpu, in, s, true);
	}
	sem_write_xmm(cpu, in, 0, sem_read_xmm(cpu, in, s));
}

/* MOVSS/MOVSD: a load zero-extends, a store writes `size` bytes, a
 * register move replaces only the low element of src1. */
SEM_INLINE void sse_move_scalar(struct cpu *cpu, const struct x86_insn *in, unsigned size)
{
	unsigned s = simd_src2(in);
	union x86_vec v = sem_read_xmm(cpu, in, s);
	if (in->opnd[0].kind != X86_OPND_MEM && in->opnd[s].kind != X86_OPND_MEM) {
		union x86_vec d = cpu->xmm[in->opnd[simd_src1(in)].reg];
		memcpy(&d, &v, size);
		v = d;
	}
	sem_write_xmm(cpu, in, 0, v);
}

/* MOVLPS/MOVHPS/MOVLPD/MOVHPD: a load replaces the low (high) quadword of
 * src1, a store writes the low (high) quadword. */
SEM_INLINE void sse_move_half(struct cpu *cpu, const struct x86_insn *in, unsigned half)
{
	unsigned s = simd_src2(in);
	if (in->opnd[0].kind == X86_OPND_MEM) {
		sem_write(cpu, in, 0, cpu->xmm[in->opnd[s].reg].u64[half]);
		return;
	}
	union x86_vec d = sem_read_xmm(cpu, in, simd_src1(in));
	d.u64[half] = sem_read(cpu, in, s);
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVAPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, true);
}

SEM_INLINE void sem_MOVAPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, true);
}

SEM_INLINE void sem_MOVNTPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, true);
}

SEM_INLINE void sem_MOVNTPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, true);
}

SEM_INLINE void sem_MOVUPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, false);
}

SEM_INLINE void sem_MOVUPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move(cpu, in, false);
}

SEM_INLINE void sem_MOVSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_scalar(cpu, in, 4);
}

SEM_INLINE void sem_MOVSD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_scalar(cpu, in, 8);
}

/* AMD SSE4a non-temporal scalar stores: plain stores of the low element. */
SEM_INLINE void sem_MOVNTSS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, cpu->xmm[in->opnd[1].reg].u32[0]);
}

SEM_INLINE void sem_MOVNTSD(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, cpu->xmm[in->opnd[1].reg].u64[0]);
}

SEM_INLINE void sem_MOVLPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_half(cpu, in, 0);
}

SEM_INLINE void sem_MOVLPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_half(cpu, in, 0);
}

SEM_INLINE void sem_MOVHPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_half(cpu, in, 1);
}

SEM_INLINE void sem_MOVHPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_move_half(cpu, in, 1);
}

SEM_INLINE void sem_MOVHLPS(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec d = cpu->xmm[in->opnd[simd_src1(in)].reg];
	d.u64[0] = cpu->xmm[in->opnd[simd_src2(in)].reg].u64[1];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVLHPS(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec d = cpu->xmm[in->opnd[simd_src1(in)].reg];
	d.u64[1] = cpu->xmm[in->opnd[simd_src2(in)].reg].u64[0];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVSHDUP(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec s = simd_rd(cpu, in, simd_src2(in)), d;
	d.u32[0] = d.u32[1] = s.u32[1];
	d.u32[2] = d.u32[3] = s.u32[3];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVSLDUP(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec s = simd_rd(cpu, in, simd_src2(in)), d;
	d.u32[0] = d.u32[1] = s.u32[0];
	d.u32[2] = d.u32[3] = s.u32[2];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVDDUP(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec s = sem_read_xmm(cpu, in, simd_src2(in)), d;
	d.u64[0] = d.u64[1] = s.u64[0];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_MOVMSKPS(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec s = cpu->xmm[in->opnd[simd_src2(in)].reg];
	uint64_t m = 0;
	for (unsigned i = 0; i < 4; i++)
		m |= (uint64_t)(s.u32[i] >> 31) << i;
	simd_wr_gpr(cpu, in, 0, m);
}

SEM_INLINE void sem_MOVMSKPD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec s = cpu->xmm[in->opnd[simd_src2(in)].reg];
	simd_wr_gpr(cpu, in, 0, (s.u64[0] >> 63) | (s.u64[1] >> 63) << 1);
}

/* ---- arithmetic ---- */

/* Lane i of a vector of binary32 (dbl = 0) or binary64 elements. */
SEM_INLINE uint64_t sse_lane(const union x86_vec *v, int dbl, unsigned i)
{
	return dbl ? v->u64[i] : v->u32[i];
}

SEM_INLINE void sse_set_lane(union x86_vec *v, int dbl, unsigned i, uint64_t x)
{
	if (dbl)
		v->u64[i] = x;
	else
		v->u32[i] = (uint32_t)x;
}

/* Elements in a vector, or 1 for a scalar operation. */
SEM_INLINE unsigned sse_lanes(int dbl, bool scalar)
{
	return scalar ? 1 : dbl ? 2 : 4;
}

/* The sources of a packed or scalar two-source operation. A scalar one
 * keeps src1's other elements; its memory operand has the element size
 * (no alignment needed). */
SEM_INLINE void sse_sources(struct cpu *cpu, const struct x86_insn *in, union x86_vec *a,
			    union x86_vec *b)
{
	simd_begin(cpu, in);
	*b = simd_rd(cpu, in, simd_src2(in));
	*a = sem_read_xmm(cpu, in, simd_src1(in));
}

SEM_INLINE void sse_finish(struct cpu *cpu, const struct x86_insn *in, const struct simd_fpenv *e,
			   union x86_vec d)
{
	simd_fp_commit(cpu, e);
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sse_arith(struct cpu *cpu, const struct x86_insn *in, int dbl, bool scalar, int op)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < sse_lanes(dbl, scalar); i++)
		sse_set_lane(&a, dbl, i,
			     simd_arith(&e, dbl, op, sse_lane(&a, dbl, i), sse_lane(&b, dbl, i)));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sse_minmax(struct cpu *cpu, const struct x86_insn *in, int dbl, bool scalar,
			   bool max)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < sse_lanes(dbl, scalar); i++)
		sse_set_lane(&a, dbl, i,
			     simd_minmax(&e, dbl, sse_lane(&a, dbl, i), sse_lane(&b, dbl, i), max));
	sse_finish(cpu, in, &e, a);
}

#define SSE_ARITH(NAME, OP)                                                                        \
	SEM_INLINE void sem_##NAME##PS(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_arith(cpu, in, 0, false, OP);                                                  \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##PD(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_arith(cpu, in, 1, false, OP);                                                  \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##SS(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_arith(cpu, in, 0, true, OP);                                                   \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##SD(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_arith(cpu, in, 1, true, OP);                                                   \
	}
SSE_ARITH(ADD, SIMD_ADD)
SSE_ARITH(SUB, SIMD_SUB)
SSE_ARITH(MUL, SIMD_MUL)
SSE_ARITH(DIV, SIMD_DIV)

#define SSE_MINMAX(NAME, MAX)                                                                      \
	SEM_INLINE void sem_##NAME##PS(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_minmax(cpu, in, 0, false, MAX);                                                \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##PD(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_minmax(cpu, in, 1, false, MAX);                                                \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##SS(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_minmax(cpu, in, 0, true, MAX);                                                 \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##SD(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_minmax(cpu, in, 1, true, MAX);                                                 \
	}
SSE_MINMAX(MIN, false)
SSE_MINMAX(MAX, true)

/* Unary operations: f applied to the last source; a scalar one keeps the
 * other elements of src1 (the destination in the legacy form). */
enum sse_unary { SSE_SQRT, SSE_RCP, SSE_RSQRT };

SEM_INLINE uint64_t sse_unary_op(struct simd_fpenv *e, int dbl, int op, uint64_t x)
{
	switch (op) {
	case SSE_SQRT: return simd_sqrt(e, dbl, x);
	case SSE_RCP: return simd_rcp32((uint32_t)x);
	default: return simd_rsqrt32((uint32_t)x);
	}
}

SEM_INLINE void sse_unary(struct cpu *cpu, const struct x86_insn *in, int dbl, bool scalar, int op)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < sse_lanes(dbl, scalar); i++)
		sse_set_lane(&a, dbl, i, sse_unary_op(&e, dbl, op, sse_lane(&b, dbl, i)));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_SQRTPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, false, SSE_SQRT);
}

SEM_INLINE void sem_SQRTPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 1, false, SSE_SQRT);
}

SEM_INLINE void sem_SQRTSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, true, SSE_SQRT);
}

SEM_INLINE void sem_SQRTSD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 1, true, SSE_SQRT);
}

SEM_INLINE void sem_RCPPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, false, SSE_RCP);
}

SEM_INLINE void sem_RCPSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, true, SSE_RCP);
}

SEM_INLINE void sem_RSQRTPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, false, SSE_RSQRT);
}

SEM_INLINE void sem_RSQRTSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unary(cpu, in, 0, true, SSE_RSQRT);
}

/* ADDSUBPS/PD: subtract in even elements, add in odd ones. */
SEM_INLINE void sse_addsub(struct cpu *cpu, const struct x86_insn *in, int dbl)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < sse_lanes(dbl, false); i++)
		sse_set_lane(&a, dbl, i,
			     simd_arith(&e, dbl, i & 1 ? SIMD_ADD : SIMD_SUB, sse_lane(&a, dbl, i),
					sse_lane(&b, dbl, i)));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_ADDSUBPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_addsub(cpu, in, 0);
}

SEM_INLINE void sem_ADDSUBPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_addsub(cpu, in, 1);
}

/* HADD/HSUB: element i of the result combines the pair 2i, 2i+1 of src1
 * (low half of the result) or of src2 (high half). */
SEM_INLINE void sse_horizontal(struct cpu *cpu, const struct x86_insn *in, int dbl, int op)
{
	union x86_vec a, b, d;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	unsigned n = sse_lanes(dbl, false);
	for (unsigned i = 0; i < n; i++) {
		const union x86_vec *s = i < n / 2 ? &a : &b;
		unsigned j = 2 * (i % (n / 2));
		sse_set_lane(&d, dbl, i,
			     simd_arith(&e, dbl, op, sse_lane(s, dbl, j), sse_lane(s, dbl, j + 1)));
	}
	sse_finish(cpu, in, &e, d);
}

SEM_INLINE void sem_HADDPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_horizontal(cpu, in, 0, SIMD_ADD);
}

SEM_INLINE void sem_HADDPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_horizontal(cpu, in, 1, SIMD_ADD);
}

SEM_INLINE void sem_HSUBPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_horizontal(cpu, in, 0, SIMD_SUB);
}

SEM_INLINE void sem_HSUBPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_horizontal(cpu, in, 1, SIMD_SUB);
}

/* DPPS/DPPD: imm8 bits 4-7 (4-5) select the products summed (+0.0 for the
 * others), bits 0-3 (0-1) the elements that receive the sum (the others get
 * +0.0). Each element adds in its own order, which shows in which NaN wins:
 * measured on the CPU we test on, element j of DPPS is lo + hi (hi + lo when
 * j & 2) with lo = p1 + p0, hi = p3 + p2 (p0 + p1, p2 + p3 when j & 1), and
 * element j of DPPD is p0 + p1 (p1 + p0 when j & 1). */
SEM_INLINE void sse_dot(struct cpu *cpu, const struct x86_insn *in, int dbl)
{
	union x86_vec a, b, d;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	uint8_t imm = simd_imm8(in);
	unsigned n = sse_lanes(dbl, false);
	uint64_t p[4] = {0};
	for (unsigned i = 0; i < n; i++)
		if (imm >> (4 + i) & 1)
			p[i] = simd_arith(&e, dbl, SIMD_MUL, sse_lane(&a, dbl, i),
					  sse_lane(&b, dbl, i));
	for (unsigned j = 0; j < n; j++) {
		uint64_t sum;
		if (dbl) {
			sum = simd_arith(&e, 1, SIMD_ADD, p[j & 1], p[~j & 1]);
		} else {
			unsigned x = ~j & 1; /* the first of each pair */
			uint64_t lo = simd_arith(&e, 0, SIMD_ADD, p[x], p[x ^ 1]);
			uint64_t hi = simd_arith(&e, 0, SIMD_ADD, p[2 + x], p[3 - x]);
			sum = j & 2 ? simd_arith(&e, 0, SIMD_ADD, hi, lo)
				    : simd_arith(&e, 0, SIMD_ADD, lo, hi);
		}
		sse_set_lane(&d, dbl, j, imm >> j & 1 ? sum : 0);
	}
	sse_finish(cpu, in, &e, d);
}

SEM_INLINE void sem_DPPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_dot(cpu, in, 0);
}

SEM_INLINE void sem_DPPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_dot(cpu, in, 1);
}

/* ---- comparisons ---- */

SEM_INLINE void sse_cmp(struct cpu *cpu, const struct x86_insn *in, int dbl, bool scalar)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	/* legacy encodings have the 8 predicates of imm8 bits 0-2 */
	unsigned n = simd_imm8(in) & (in->prefix & X86_PFX_VEX ? 31 : 7);
	for (unsigned i = 0; i < sse_lanes(dbl, scalar); i++)
		sse_set_lane(&a, dbl, i,
			     simd_fcmp_pred(&e, dbl, sse_lane(&a, dbl, i), sse_lane(&b, dbl, i), n)
				     ? ~0ull
				     : 0);
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_CMPPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cmp(cpu, in, 0, false);
}

SEM_INLINE void sem_CMPPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cmp(cpu, in, 1, false);
}

SEM_INLINE void sem_CMPSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cmp(cpu, in, 0, true);
}

SEM_INLINE void sem_CMPSD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cmp(cpu, in, 1, true);
}

/* COMISS/UCOMISS: ZF PF CF = 111 unordered, 000 greater, 001 less, 100
 * equal; OF SF AF cleared. COMIS signals on QNaN too. */
SEM_INLINE void sse_comi(struct cpu *cpu, const struct x86_insn *in, int dbl, bool signaling)
{
	simd_begin(cpu, in);
	union x86_vec a = sem_read_xmm(cpu, in, simd_src1(in));
	union x86_vec b = sem_read_xmm(cpu, in, simd_src2(in));
	struct simd_fpenv e = simd_fpenv(cpu);
	int rel = simd_fcmp(&e, dbl, sse_lane(&a, dbl, 0), sse_lane(&b, dbl, 0), signaling);
	simd_fp_commit(cpu, &e);
	cpu->zf = rel == SIMD_EQ || rel == SIMD_UN;
	cpu->pf = rel == SIMD_UN;
	cpu->cf = rel == SIMD_LT || rel == SIMD_UN;
	cpu->of = cpu->sf = cpu->af = 0;
}

SEM_INLINE void sem_COMISS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_comi(cpu, in, 0, true);
}

SEM_INLINE void sem_COMISD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_comi(cpu, in, 1, true);
}

SEM_INLINE void sem_UCOMISS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_comi(cpu, in, 0, false);
}

SEM_INLINE void sem_UCOMISD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_comi(cpu, in, 1, false);
}

/* ---- bitwise logic ---- */

enum sse_logic { SSE_AND, SSE_ANDN, SSE_OR, SSE_XOR };

SEM_INLINE void sse_logic(struct cpu *cpu, const struct x86_insn *in, int op)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x = a.u64[i], y = b.u64[i];
		a.u64[i] = op == SSE_AND    ? x & y
			   : op == SSE_ANDN ? ~x & y
			   : op == SSE_OR   ? x | y
					    : x ^ y;
	}
	sem_write_xmm(cpu, in, 0, a);
}

#define SSE_LOGIC(NAME, OP)                                                                        \
	SEM_INLINE void sem_##NAME##PS(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_logic(cpu, in, OP);                                                            \
	}                                                                                          \
	SEM_INLINE void sem_##NAME##PD(struct cpu *cpu, const struct x86_insn *in)                 \
	{                                                                                          \
		sse_logic(cpu, in, OP);                                                            \
	}
SSE_LOGIC(AND, SSE_AND)
SSE_LOGIC(ANDN, SSE_ANDN)
SSE_LOGIC(OR, SSE_OR)
SSE_LOGIC(XOR, SSE_XOR)

/* ---- shuffles, blends, inserts ---- */

SEM_INLINE void sem_SHUFPS(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec a, b, d;
	sse_sources(cpu, in, &a, &b);
	uint8_t imm = simd_imm8(in);
	d.u32[0] = a.u32[imm & 3];
	d.u32[1] = a.u32[imm >> 2 & 3];
	d.u32[2] = b.u32[imm >> 4 & 3];
	d.u32[3] = b.u32[imm >> 6 & 3];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_SHUFPD(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec a, b, d;
	sse_sources(cpu, in, &a, &b);
	uint8_t imm = simd_imm8(in);
	d.u64[0] = a.u64[imm & 1];
	d.u64[1] = b.u64[imm >> 1 & 1];
	sem_write_xmm(cpu, in, 0, d);
}

/* UNPCKL/H: interleave the elements of the low (high) halves. */
SEM_INLINE void sse_unpack(struct cpu *cpu, const struct x86_insn *in, int dbl, unsigned high)
{
	union x86_vec a, b, d;
	sse_sources(cpu, in, &a, &b);
	unsigned n = sse_lanes(dbl, false), base = high ? n / 2 : 0;
	for (unsigned i = 0; i < n / 2; i++) {
		sse_set_lane(&d, dbl, 2 * i, sse_lane(&a, dbl, base + i));
		sse_set_lane(&d, dbl, 2 * i + 1, sse_lane(&b, dbl, base + i));
	}
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_UNPCKLPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unpack(cpu, in, 0, 0);
}

SEM_INLINE void sem_UNPCKHPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unpack(cpu, in, 0, 1);
}

SEM_INLINE void sem_UNPCKLPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unpack(cpu, in, 1, 0);
}

SEM_INLINE void sem_UNPCKHPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_unpack(cpu, in, 1, 1);
}

/* BLENDPS/PD: element i from src2 where mask bit i is set. */
SEM_INLINE void sse_blend(struct cpu *cpu, const struct x86_insn *in, int dbl, unsigned mask)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	for (unsigned i = 0; i < sse_lanes(dbl, false); i++)
		if (mask >> i & 1)
			sse_set_lane(&a, dbl, i, sse_lane(&b, dbl, i));
	sem_write_xmm(cpu, in, 0, a);
}

SEM_INLINE void sse_blendv(struct cpu *cpu, const struct x86_insn *in, int dbl)
{
	union x86_vec a, b, m;
	simd_blendv_sources(cpu, in, &a, &b, &m);
	for (unsigned i = 0; i < sse_lanes(dbl, false); i++)
		if (sse_lane(&m, dbl, i) >> (dbl ? 63 : 31))
			sse_set_lane(&a, dbl, i, sse_lane(&b, dbl, i));
	sem_write_xmm(cpu, in, 0, a);
}

SEM_INLINE void sem_BLENDPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_blend(cpu, in, 0, simd_imm8(in));
}

SEM_INLINE void sem_BLENDPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_blend(cpu, in, 1, simd_imm8(in));
}

SEM_INLINE void sem_BLENDVPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_blendv(cpu, in, 0);
}

SEM_INLINE void sem_BLENDVPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_blendv(cpu, in, 1);
}

SEM_INLINE void sem_EXTRACTPS(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	simd_wr_gpr(cpu, in, 0, cpu->xmm[in->opnd[1].reg].u32[simd_imm8(in) & 3]);
}

/* INSERTPS: element imm8[7:6] of a register source (or the m32) goes to
 * element imm8[5:4] of src1; imm8[3:0] zeroes elements. */
SEM_INLINE void sem_INSERTPS(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	uint8_t imm = simd_imm8(in);
	unsigned s = simd_src2(in);
	a.u32[imm >> 4 & 3] = b.u32[in->opnd[s].kind == X86_OPND_MEM ? 0 : imm >> 6];
	for (unsigned i = 0; i < 4; i++)
		if (imm >> i & 1)
			a.u32[i] = 0;
	sem_write_xmm(cpu, in, 0, a);
}

/* ---- rounding ---- */

/* ROUNDPS & co: imm8 bits 0-1 the rounding (bit 2: MXCSR.RC instead), bit
 * 3 suppresses PE. */
SEM_INLINE void sse_round(struct cpu *cpu, const struct x86_insn *in, int dbl, bool scalar)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	uint8_t imm = simd_imm8(in);
	struct simd_fpenv e = simd_fpenv(cpu);
	unsigned rc = imm & 4 ? (cpu->mxcsr & MXCSR_RC) >> MXCSR_RC_SHIFT : imm & 3u;
	for (unsigned i = 0; i < sse_lanes(dbl, scalar); i++)
		sse_set_lane(&a, dbl, i,
			     simd_round_int(&e, dbl, sse_lane(&b, dbl, i), rc, imm & 8));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_ROUNDPS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_round(cpu, in, 0, false);
}

SEM_INLINE void sem_ROUNDPD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_round(cpu, in, 1, false);
}

SEM_INLINE void sem_ROUNDSS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_round(cpu, in, 0, true);
}

SEM_INLINE void sem_ROUNDSD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_round(cpu, in, 1, true);
}

/* ---- conversions ---- */

/* Source vector of a conversion: an XMM register or memory (aligned when
 * 16 bytes, legacy), or an MMX register, which enters MMX mode (a memory
 * source does not, on the CPUs we test on). */
SEM_INLINE union x86_vec sse_cvt_src(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned s = simd_src2(in);
	union x86_vec v = {{0}};
	simd_begin(cpu, in);
	if (simd_is_mmx(in, s))
		v.u64[0] = cpu->fpr[in->opnd[s].reg].mant;
	else
		v = simd_rd(cpu, in, s);
	return v;
}

/* Writes a conversion's result: to an MMX register (low 8 bytes, MMX
 * mode), or to an XMM register. */
SEM_INLINE void sse_cvt_dst(struct cpu *cpu, const struct x86_insn *in, const struct simd_fpenv *e,
			    union x86_vec d)
{
	simd_fp_commit(cpu, e);
	if (simd_is_mmx(in, simd_src2(in)) || simd_is_mmx(in, 0))
		sem_mmx_enter(cpu);
	if (simd_is_mmx(in, 0))
		sem_write_mmx(cpu, in, 0, d.u64[0]);
	else
		sem_write_xmm(cpu, in, 0, d);
}

/* Packed float -> int32: n elements of binary32/64 to int32 elements,
 * rounded per MXCSR or truncated; the rest of an XMM destination is
 * zeroed. */
SEM_INLINE void sse_cvt_f2i(struct cpu *cpu, const struct x86_insn *in, int dbl, unsigned n,
			    bool trunc)
{
	union x86_vec s = sse_cvt_src(cpu, in), d = {{0}};
	struct simd_fpenv e = trunc ? simd_fpenv_rc(cpu, SIMD_RZ) : simd_fpenv(cpu);
	for (unsigned i = 0; i < n; i++)
		d.u32[i] = (uint32_t)simd_cvt_f2i(&e, dbl, 4, sse_lane(&s, dbl, i));
	sse_cvt_dst(cpu, in, &e, d);
}

/* Packed int32 -> float: n elements; `keep` keeps the destination's high
 * quadword (CVTPI2PS), otherwise the rest is zeroed. */
SEM_INLINE void sse_cvt_i2f(struct cpu *cpu, const struct x86_insn *in, int dbl, unsigned n,
			    bool keep)
{
	union x86_vec s = sse_cvt_src(cpu, in), d = {{0}};
	if (keep)
		d = cpu->xmm[in->opnd[0].reg];
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < n; i++)
		sse_set_lane(&d, dbl, i, simd_cvt_i2f(&e, dbl, s.i32[i]));
	sse_cvt_dst(cpu, in, &e, d);
}

/* Packed binary32 <-> binary64: n elements; the rest is zeroed. */
SEM_INLINE void sse_cvt_f2f(struct cpu *cpu, const struct x86_insn *in, int to_dbl, unsigned n)
{
	union x86_vec s = sse_cvt_src(cpu, in), d = {{0}};
	struct simd_fpenv e = simd_fpenv(cpu);
	for (unsigned i = 0; i < n; i++)
		sse_set_lane(&d, to_dbl, i, simd_cvt_f2f(&e, to_dbl, sse_lane(&s, !to_dbl, i)));
	sse_cvt_dst(cpu, in, &e, d);
}

SEM_INLINE void sem_CVTPI2PS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_i2f(cpu, in, 0, 2, true);
}

SEM_INLINE void sem_CVTPI2PD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_i2f(cpu, in, 1, 2, false);
}

SEM_INLINE void sem_CVTDQ2PS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_i2f(cpu, in, 0, 4, false);
}

SEM_INLINE void sem_CVTDQ2PD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_i2f(cpu, in, 1, 2, false);
}

SEM_INLINE void sem_CVTPS2PI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 0, 2, false);
}

SEM_INLINE void sem_CVTTPS2PI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 0, 2, true);
}

SEM_INLINE void sem_CVTPD2PI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 1, 2, false);
}

SEM_INLINE void sem_CVTTPD2PI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 1, 2, true);
}

SEM_INLINE void sem_CVTPS2DQ(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 0, 4, false);
}

SEM_INLINE void sem_CVTTPS2DQ(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 0, 4, true);
}

SEM_INLINE void sem_CVTPD2DQ(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 1, 2, false);
}

SEM_INLINE void sem_CVTTPD2DQ(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2i(cpu, in, 1, 2, true);
}

SEM_INLINE void sem_CVTPS2PD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2f(cpu, in, 1, 2);
}

SEM_INLINE void sem_CVTPD2PS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2f(cpu, in, 0, 2);
}

/* Scalar conversions between elements: the low element of src1 is
 * replaced, the rest kept. */
SEM_INLINE void sse_cvt_scalar(struct cpu *cpu, const struct x86_insn *in, int to_dbl)
{
	union x86_vec a, b;
	sse_sources(cpu, in, &a, &b);
	struct simd_fpenv e = simd_fpenv(cpu);
	sse_set_lane(&a, to_dbl, 0, simd_cvt_f2f(&e, to_dbl, sse_lane(&b, !to_dbl, 0)));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_CVTSS2SD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_scalar(cpu, in, 1);
}

SEM_INLINE void sem_CVTSD2SS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_scalar(cpu, in, 0);
}

/* CVTSI2SS/SD: a 32- or 64-bit integer (GPR or memory) into the low
 * element of src1. */
SEM_INLINE void sse_cvt_si2f(struct cpu *cpu, const struct x86_insn *in, int dbl)
{
	simd_begin(cpu, in);
	unsigned s = simd_src2(in);
	int64_t v = sem_sext(sem_read(cpu, in, s), in->opnd[s].size);
	union x86_vec a = sem_read_xmm(cpu, in, simd_src1(in));
	struct simd_fpenv e = simd_fpenv(cpu);
	sse_set_lane(&a, dbl, 0, simd_cvt_i2f(&e, dbl, v));
	sse_finish(cpu, in, &e, a);
}

SEM_INLINE void sem_CVTSI2SS(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_si2f(cpu, in, 0);
}

SEM_INLINE void sem_CVTSI2SD(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_si2f(cpu, in, 1);
}

/* CVTSS2SI & co: the low element to a 32- or 64-bit GPR. */
SEM_INLINE void sse_cvt_f2si(struct cpu *cpu, const struct x86_insn *in, int dbl, bool trunc)
{
	simd_begin(cpu, in);
	union x86_vec s = sem_read_xmm(cpu, in, simd_src2(in));
	unsigned size = in->opnd[0].size;
	struct simd_fpenv e = trunc ? simd_fpenv_rc(cpu, SIMD_RZ) : simd_fpenv(cpu);
	uint64_t r = simd_cvt_f2i(&e, dbl, size, sse_lane(&s, dbl, 0));
	simd_fp_commit(cpu, &e);
	sem_set_gpr(cpu, in->opnd[0].reg, size, r);
}

SEM_INLINE void sem_CVTSS2SI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2si(cpu, in, 0, false);
}

SEM_INLINE void sem_CVTTSS2SI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2si(cpu, in, 0, true);
}

SEM_INLINE void sem_CVTSD2SI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2si(cpu, in, 1, false);
}

SEM_INLINE void sem_CVTTSD2SI(struct cpu *cpu, const struct x86_insn *in)
{
	sse_cvt_f2si(cpu, in, 1, true);
}

/* The ops this header implements, for the interpreter's table. */
// clang-format off
#define SEM_SSE_OPS(X)                                                                             \
	X(MOVAPS) X(MOVUPS) X(MOVAPD) X(MOVUPD) X(MOVSS) X(MOVSD) X(MOVLPS) X(MOVHPS) X(MOVLPD)    \
	X(MOVHPD) X(MOVHLPS) X(MOVLHPS) X(MOVSHDUP) X(MOVSLDUP) X(MOVDDUP) X(MOVMSKPS)           \
	X(MOVMSKPD) X(MOVNTPS) X(MOVNTPD) X(MOVNTSS) X(MOVNTSD)                                    \
	X(ADDPS) X(ADDPD) X(ADDSS) X(ADDSD) X(SUBPS) X(SUBPD) X(SUBSS) X(SUBSD)                    \
	X(MULPS) X(MULPD) X(MULSS) X(MULSD) X(DIVPS) X(DIVPD) X(DIVSS) X(DIVSD)                    \
	X(MINPS) X(MINPD) X(MINSS) X(MINSD) X(MAXPS) X(MAXPD) X(MAXSS) X(MAXSD)                    \
	X(SQRTPS) X(SQRTPD) X(SQRTSS) X(SQRTSD) X(RCPPS) X(RCPSS) X(RSQRTPS) X(RSQRTSS)            \
	X(ANDPS) X(ANDPD) X(ANDNPS) X(ANDNPD) X(ORPS) X(ORPD) X(XORPS) X(XORPD)                    \
	X(CMPPS) X(CMPPD) X(CMPSS) X(CMPSD) X(COMISS) X(COMISD) X(UCOMISS) X(UCOMISD)              \
	X(SHUFPS) X(SHUFPD) X(UNPCKLPS) X(UNPCKHPS) X(UNPCKLPD) X(UNPCKHPD)                        \
	X(CVTPI2PS) X(CVTPS2PI) X(CVTTPS2PI) X(CVTSI2SS) X(CVTSS2SI) X(CVTTSS2SI)                  \
	X(CVTPI2PD) X(CVTPD2PI) X(CVTTPD2PI) X(CVTSI2SD) X(CVTSD2SI) X(CVTTSD2SI)                  \
	X(CVTPS2PD) X(CVTPD2PS) X(CVTSS2SD) X(CVTSD2SS)                                            \
	X(CVTDQ2PS) X(CVTPS2DQ) X(CVTTPS2DQ) X(CVTDQ2PD) X(CVTPD2DQ) X(CVTTPD2DQ)                  \
	X(ADDSUBPS) X(ADDSUBPD) X(HADDPS) X(HADDPD) X(HSUBPS) X(HSUBPD)                            \
	X(BLENDPS) X(BLENDPD) X(BLENDVPS) X(BLENDVPD) X(DPPS) X(DPPD)                              \
	X(EXTRACTPS) X(INSERTPS) X(ROUNDPS) X(ROUNDPD) X(ROUNDSS) X(ROUNDSD)
// clang-format on

#endif
