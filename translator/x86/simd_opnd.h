/* simd_opnd.h — operand conventions shared by the MMX and SSE semantics
 * (sem_simd_int.h, sem_sse.h).
 *
 * The decoder gives an SSE operation the operands of its VEX form: (dst,
 * src1, src2[, src3|imm]), with src1 == dst for the legacy encoding, and
 * (dst, src[, imm]) where the VEX form has no second source. MMX forms may
 * come with two or three operands: the helpers below find the sources from
 * the end, so both work.
 *
 * 256-bit (VEX.L = 1) forms come with AVX; until then they raise #UD, as
 * on a CPU without AVX (CPUID does not advertise it).
 */
#ifndef XLATE_X86_SIMD_OPND_H
#define XLATE_X86_SIMD_OPND_H

#include "translator/x86/sem.h"
#include "translator/x86/sem_x87.h"

/* Operands before a trailing immediate. */
SEM_INLINE unsigned simd_nregs(const struct x86_insn *in)
{
	return in->nopnd && in->opnd[in->nopnd - 1].kind == X86_OPND_IMM ? in->nopnd - 1u
									 : in->nopnd;
}

/* The last (register or memory) source, and the one before it (the
 * destination itself in a two-operand form). */
SEM_INLINE unsigned simd_src2(const struct x86_insn *in)
{
	return simd_nregs(in) - 1;
}

SEM_INLINE unsigned simd_src1(const struct x86_insn *in)
{
	return simd_nregs(in) >= 3 ? 1 : 0;
}

SEM_INLINE uint8_t simd_imm8(const struct x86_insn *in)
{
	return (uint8_t)in->imm;
}

SEM_INLINE bool simd_is_mmx(const struct x86_insn *in, unsigned i)
{
	return in->opnd[i].kind == X86_OPND_MMX;
}

/* Starts a SIMD instruction: #UD for the 256-bit forms not implemented
 * yet; an MMX form (one with an MMX register operand) first takes a pending
 * unmasked x87 exception (#MF), as a waiting x87 instruction does. The
 * native runs show that a memory operand in place of the MMX register
 * (CVTPI2PS xmm, m64) makes the instruction a plain SSE one. */
SEM_INLINE void simd_begin(struct cpu *cpu, const struct x86_insn *in)
{
	if (in->vex_l)
		sem_ud(cpu);
	for (unsigned i = 0; i < in->nopnd; i++)
		if (in->opnd[i].kind == X86_OPND_MMX) {
			x87_wait(cpu);
			break;
		}
}

/* A 16-byte memory operand of a legacy SSE instruction must be aligned
 * (#GP otherwise); with VEX only the explicitly aligned moves require it. */
SEM_INLINE void simd_check_align(struct cpu *cpu, const struct x86_insn *in, unsigned i,
				 bool vex_too)
{
	const struct x86_opnd *o = &in->opnd[i];
	if (o->kind == X86_OPND_MEM && o->size >= 16 && (vex_too || !(in->prefix & X86_PFX_VEX)) &&
	    (sem_ea(cpu, in) & (o->size - 1)))
		sem_gp(cpu);
}

/* Reads an XMM register or memory operand (16-byte memory must be aligned
 * in legacy encodings). */
SEM_INLINE union x86_vec simd_rd(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	simd_check_align(cpu, in, i, false);
	return sem_read_xmm(cpu, in, i);
}

/* The same with no alignment requirement (MOVUPS, LDDQU, PCMPESTRI ...). */
SEM_INLINE union x86_vec simd_rd_u(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	return sem_read_xmm(cpu, in, i);
}

/* Reads an MMX or XMM operand (or memory of the operand's size) as a
 * vector; MMX values sit in the low 8 bytes. */
SEM_INLINE union x86_vec simd_rd_mx(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	if (in->opnd[0].kind != X86_OPND_MMX)
		return simd_rd(cpu, in, i);
	union x86_vec v = {{0}};
	v.u64[0] = sem_read_mmx(cpu, in, i);
	return v;
}

/* Writes the destination (operand 0) of an MMX or XMM operation; an MMX
 * write also switches the x87 unit into MMX mode. */
SEM_INLINE void simd_wr_mx(struct cpu *cpu, const struct x86_insn *in, union x86_vec v)
{
	if (in->opnd[0].kind == X86_OPND_MMX) {
		sem_mmx_enter(cpu);
		sem_write_mmx(cpu, in, 0, v.u64[0]);
	} else {
		sem_write_xmm(cpu, in, 0, v);
	}
}

/* Bytes in the vector an MMX or XMM operation works on. */
SEM_INLINE unsigned simd_width(const struct x86_insn *in)
{
	return in->opnd[0].kind == X86_OPND_MMX ? 8 : 16;
}

/* Variable blends (BLENDVPS/PD, PBLENDVB) have a third source, the mask:
 * XMM0 in the legacy encoding, a register named by imm8 bits 4-7 in the
 * VEX one. Whether or not the decoder lists it as operand 3, the two
 * data sources are operands 1 and 2 (dst, src1, src2[, mask]). */
SEM_INLINE void simd_blendv_sources(struct cpu *cpu, const struct x86_insn *in, union x86_vec *a,
				    union x86_vec *b, union x86_vec *mask)
{
	simd_begin(cpu, in);
	*b = simd_rd(cpu, in, 2);
	*a = cpu->xmm[in->opnd[1].reg];
	if (!(in->prefix & X86_PFX_VEX))
		*mask = cpu->xmm[0];
	else if (in->nopnd > 3 && in->opnd[3].kind == X86_OPND_XMM)
		*mask = cpu->xmm[in->opnd[3].reg];
	else
		*mask = cpu->xmm[(simd_imm8(in) >> 4) & 15];
}

/* Writes a value to a GPR destination zero-extended to at least 32 bits
 * (PEXTRW r32, PMOVMSKB r64, ...), or to memory of the operand's size. */
SEM_INLINE void simd_wr_gpr(struct cpu *cpu, const struct x86_insn *in, unsigned i, uint64_t v)
{
	const struct x86_opnd *o = &in->opnd[i];
	if (o->kind == X86_OPND_GPR)
		sem_set_gpr(cpu, o->reg, o->size < 4 ? 4 : o->size, v);
	else
		sem_write(cpu, in, i, v);
}

#endif
