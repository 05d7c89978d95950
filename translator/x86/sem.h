/* sem.h — what every instruction's semantics builds on: effective
 * addresses, guest memory access, operand read/write.
 *
 * Semantics are `static inline void sem_NAME(struct cpu *, const struct
 * x86_insn *)`. The interpreter calls them through a table; xlatec emits C
 * that calls them with a `static const struct x86_insn`, so that the C
 * compiler folds every operand kind, size and register number below into
 * straight-line code. Keep these functions branch-on-insn-fields only: no
 * tables indexed by runtime data where a constant insn would fold.
 */
#ifndef XLATE_X86_SEM_H
#define XLATE_X86_SEM_H

#include <string.h>

#include "translator/x86/x86.h"

#define SEM_INLINE static inline __attribute__((always_inline))

/* ---- guest memory (identity-mapped; accesses may be unaligned) ---- */

/* x86 orders plain memory accesses (TSO): every load is an acquire and
 * every store a release, which lock-free guest code relies on (a C11
 * release store or acquire load is a plain MOV on x86). So guest
 * accesses are acquire loads and release stores here: single instructions
 * on an aarch64 host (LDAR/STLR) for naturally aligned ones, which x86
 * also makes single-copy atomic, and fences around the others. On an
 * x86-64 host this is the plain MOV again; it only keeps the C compiler
 * from reordering guest accesses. */
SEM_INLINE uint64_t sem_load(uint64_t addr, unsigned size)
{
	const void *p = (const void *)(uintptr_t)addr;
	uint64_t v = 0;
	if (!(addr & (size - 1))) {
		switch (size) {
		case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_ACQUIRE);
		case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
		case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
		default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
		}
	}
	memcpy(&v, p, size); /* little-endian host: the low `size` bytes */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return v;
}

SEM_INLINE void sem_store(uint64_t addr, unsigned size, uint64_t v)
{
	void *p = (void *)(uintptr_t)addr;
	if (!(addr & (size - 1))) {
		switch (size) {
		case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, __ATOMIC_RELEASE); return;
		case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELEASE); return;
		case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELEASE); return;
		default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE); return;
		}
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(p, &v, size);
}

/* Vector and other wide accesses: ordered as above, not atomic (x86
 * does not make them atomic either). */
SEM_INLINE void sem_load_bytes(void *dst, uint64_t addr, unsigned size)
{
	memcpy(dst, (const void *)(uintptr_t)addr, size);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

SEM_INLINE void sem_store_bytes(uint64_t addr, const void *src, unsigned size)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy((void *)(uintptr_t)addr, src, size);
}

/* ---- sizes ---- */

SEM_INLINE uint64_t sem_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

SEM_INLINE uint64_t sem_sign_bit(unsigned size)
{
	return 1ull << (size * 8 - 1);
}

/* Sign-extends the low `size` bytes of v to 64 bits. */
SEM_INLINE int64_t sem_sext(uint64_t v, unsigned size)
{
	switch (size) {
	case 1: return (int8_t)v;
	case 2: return (int16_t)v;
	case 4: return (int32_t)v;
	default: return (int64_t)v;
	}
}

/* ---- addresses ---- */

SEM_INLINE uint64_t sem_next_rip(const struct cpu *cpu, const struct x86_insn *in)
{
	return cpu->rip + in->len;
}

/* Address of the instruction's memory operand, segment base included. */
SEM_INLINE uint64_t sem_ea(const struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t a = (uint64_t)(int64_t)in->disp;
	if (in->mem_base == X86_REG_RIP)
		a += sem_next_rip(cpu, in);
	else if (in->mem_base != X86_REG_NONE)
		a += cpu->gpr[in->mem_base];
	if (in->mem_index != X86_REG_NONE)
		a += cpu->gpr[in->mem_index] * in->mem_scale;
	if (in->addrsize == 4)
		a = (uint32_t)a;
	if (in->seg == X86_SEG_FS)
		a += cpu->fs_base;
	else if (in->seg == X86_SEG_GS)
		a += cpu->gs_base;
	return a;
}

/* ---- general-purpose registers ---- */

SEM_INLINE uint64_t sem_get_gpr(const struct cpu *cpu, unsigned reg, unsigned size)
{
	if (reg >= X86_AH)
		return (cpu->gpr[reg - X86_AH] >> 8) & 0xff;
	return cpu->gpr[reg] & sem_mask(size);
}

/* x86-64 rules: 8- and 16-bit writes merge, 32-bit writes zero-extend. */
SEM_INLINE void sem_set_gpr(struct cpu *cpu, unsigned reg, unsigned size, uint64_t v)
{
	if (reg >= X86_AH) {
		uint64_t *r = &cpu->gpr[reg - X86_AH];
		*r = (*r & ~0xff00ull) | ((v & 0xff) << 8);
		return;
	}
	switch (size) {
	case 1: cpu->gpr[reg] = (cpu->gpr[reg] & ~0xffull) | (v & 0xff); break;
	case 2: cpu->gpr[reg] = (cpu->gpr[reg] & ~0xffffull) | (v & 0xffff); break;
	case 4: cpu->gpr[reg] = (uint32_t)v; break;
	default: cpu->gpr[reg] = v; break;
	}
}

/* ---- scalar operands (GPR, memory, immediate, branch target) ---- */

/* Reads operand i, zero-extended from its size. */
SEM_INLINE uint64_t sem_read(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	const struct x86_opnd *o = &in->opnd[i];
	switch (o->kind) {
	case X86_OPND_GPR: return sem_get_gpr(cpu, o->reg, o->size);
	case X86_OPND_MEM: return sem_load(sem_ea(cpu, in), o->size);
	case X86_OPND_IMM: return (uint64_t)in->imm & sem_mask(o->size);
	case X86_OPND_REL: return sem_next_rip(cpu, in) + (uint64_t)in->imm;
	case X86_OPND_MMX: return cpu->fpr[o->reg].mant;
	case X86_OPND_XMM: return cpu->xmm[o->reg].u64[0] & sem_mask(o->size);
	default: return 0;
	}
}

SEM_INLINE void sem_write(struct cpu *cpu, const struct x86_insn *in, unsigned i, uint64_t v)
{
	const struct x86_opnd *o = &in->opnd[i];
	switch (o->kind) {
	case X86_OPND_GPR: sem_set_gpr(cpu, o->reg, o->size, v); break;
	case X86_OPND_MEM: sem_store(sem_ea(cpu, in), o->size, v); break;
	default: break;
	}
}

/* ---- vector operands (XMM/YMM registers, MMX registers, memory) ---- */

/* Reads the low 16 bytes of operand i: an XMM register, or opnd.size bytes
 * of memory (4, 8 or 16) zero-extended, or a GPR/MMX value zero-extended. */
SEM_INLINE union x86_vec sem_read_xmm(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	const struct x86_opnd *o = &in->opnd[i];
	union x86_vec v = {{0}};
	switch (o->kind) {
	case X86_OPND_XMM: return cpu->xmm[o->reg];
	case X86_OPND_MEM: sem_load_bytes(&v, sem_ea(cpu, in), o->size > 16 ? 16 : o->size); break;
	default: v.u64[0] = sem_read(cpu, in, i); break;
	}
	return v;
}

/* Writes operand i from v: an XMM register (a VEX-encoded write also
 * clears bits 128-255; a legacy SSE write leaves them), or opnd.size bytes
 * of memory. */
SEM_INLINE void sem_write_xmm(struct cpu *cpu, const struct x86_insn *in, unsigned i, union x86_vec v)
{
	const struct x86_opnd *o = &in->opnd[i];
	switch (o->kind) {
	case X86_OPND_XMM:
		cpu->xmm[o->reg] = v;
		if (in->prefix & X86_PFX_VEX)
			memset(&cpu->ymmh[o->reg], 0, sizeof cpu->ymmh[o->reg]);
		break;
	case X86_OPND_MEM: sem_store_bytes(sem_ea(cpu, in), &v, o->size > 16 ? 16 : o->size); break;
	default: sem_write(cpu, in, i, v.u64[0]); break;
	}
}

/* MMX registers alias the x87 significands; an MMX write makes the x87
 * register valid with exponent all ones, and every MMX instruction (but
 * EMMS) sets TOP to 0 and the tag word to all-valid. */
SEM_INLINE void sem_mmx_enter(struct cpu *cpu)
{
	cpu->ftop = 0;
	cpu->ftw = 0;
}

SEM_INLINE uint64_t sem_read_mmx(struct cpu *cpu, const struct x86_insn *in, unsigned i)
{
	const struct x86_opnd *o = &in->opnd[i];
	if (o->kind == X86_OPND_MMX)
		return cpu->fpr[o->reg].mant;
	return sem_read(cpu, in, i);
}

SEM_INLINE void sem_write_mmx(struct cpu *cpu, const struct x86_insn *in, unsigned i, uint64_t v)
{
	const struct x86_opnd *o = &in->opnd[i];
	if (o->kind == X86_OPND_MMX) {
		cpu->fpr[o->reg].mant = v;
		cpu->fpr[o->reg].sexp = 0xffff;
		return;
	}
	sem_write(cpu, in, i, v);
}

/* ---- faults ---- */

/* #UD: SIGILL/ILL_ILLOPN at the instruction. */
SEM_INLINE _Noreturn void sem_ud(struct cpu *cpu)
{
	x86_raise(cpu, X86_SIGILL, X86_ILL_ILLOPN, cpu->rip, 6);
}

/* #GP in user mode: the kernel sends SIGSEGV with si_code SI_KERNEL and
 * si_addr 0. */
SEM_INLINE _Noreturn void sem_gp(struct cpu *cpu)
{
	x86_raise(cpu, X86_SIGSEGV, X86_SI_KERNEL, 0, 13);
}

#endif
