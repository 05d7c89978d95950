/* sem_flags.h — arithmetic flag computation shared by the integer
 * semantics (sem_alu.h, sem_shift.h, sem_move.h).
 *
 * Flags are computed eagerly into the separate bytes of struct cpu; in
 * translated code the C compiler drops the stores nobody reads.
 *
 * "Undefined" flags. The SDM leaves some results and flags undefined; we
 * model what the Intel cores we test on produce (Xeon, family 6; measured
 * with tests/x86 against native execution, which compares every flag on
 * Intel hosts), so that a guest that reads them sees what it would see on
 * Intel hardware. Where they are set:
 *   - AND OR XOR TEST: AF = 0.
 *   - MUL, IMUL (all forms): CF = OF = "the high half is significant";
 *     SF = top bit and PF = parity of the low half, ZF = 0, AF = 0
 *     (sem_flags_mul).
 *   - DIV, IDIV: the six arithmetic flags keep their values.
 *   - SHL SHR SAR, masked count != 0: OF is the count-1 formula applied to
 *     the original operand, for every count (SHL: top two bits differ; SHR:
 *     top bit; SAR: 0); AF = 0. A count of 0 changes no flag but still
 *     writes (zero-extends) a 32-bit register.
 *   - ROL ROR RCL: OF by the count-1 formula on the original operand (ROL,
 *     RCL: top two bits differ; ROR: top and bottom bits differ); RCR: top
 *     bit XOR the incoming CF. Exception: ROL/ROR of a *register* by an
 *     *immediate* count other than 1 leave OF unchanged (the memory and
 *     CL forms compute it). RCL/RCR of 8/16 bits by a multiple of 9/17
 *     change nothing at all.
 *   - SHLD SHRD: OF by the count-1 formula (SHLD: top two bits of the
 *     destination; SHRD: its top bit XOR the source's bottom bit); AF = 0.
 *     16-bit counts of 17-31 shift through dst:src:dst (48 bits), CF being
 *     the last bit out of that.
 *   - BSF BSR: zero source: destination unchanged, ZF = 1, PF = 1; else
 *     PF from the bit index found; CF OF SF AF = 0.
 *   - BT BTS BTR BTC: only CF changes.
 *   - LZCNT TZCNT: CF and ZF defined, OF SF AF PF = 0.
 *   - ANDN BEXTR BLSI BLSMSK BLSR BZHI: AF = PF = 0; BEXTR also SF = 0.
 *   - BSWAP r16: the low 16 bits become 0.
 *   - CMPXCHG with a register destination that differs from the
 *     accumulator: the destination is not written (a 32-bit one keeps its
 *     upper half); a memory destination is always written back.
 *   - REP CMPS/SCAS: flags change only when the instruction completes; a
 *     fault part-way leaves them as they were before it.
 * tests/x86/undef.c lists the flags the SDM leaves undefined per op; the
 * differential test ignores those only when its reference does not come
 * from an Intel CPU, so CI on another vendor is not falsely red.
 */
#ifndef XLATE_X86_SEM_FLAGS_H
#define XLATE_X86_SEM_FLAGS_H

#include "translator/x86/sem.h"

/* PF: set when the low byte of the result has an even number of ones. */
SEM_INLINE uint8_t sem_parity(uint64_t r)
{
	return !__builtin_parity((unsigned)(r & 0xff));
}

/* Top bit of a `size`-byte value, as 0 or 1. */
SEM_INLINE uint8_t sem_msb(uint64_t v, unsigned size)
{
	return (v >> (size * 8 - 1)) & 1;
}

/* SF, ZF, PF of a result of `size` bytes. */
SEM_INLINE void sem_flags_szp(struct cpu *cpu, uint64_t r, unsigned size)
{
	r &= sem_mask(size);
	cpu->sf = sem_msb(r, size);
	cpu->zf = r == 0;
	cpu->pf = sem_parity(r);
}

/* AND, OR, XOR, TEST: CF = OF = 0, AF = 0 (undefined; Intel clears it). */
SEM_INLINE void sem_flags_logic(struct cpu *cpu, uint64_t r, unsigned size)
{
	sem_flags_szp(cpu, r, size);
	cpu->cf = 0;
	cpu->of = 0;
	cpu->af = 0;
}

/* r = a + b + c (c is the carry in, 0 or 1); all values masked to size. */
SEM_INLINE void sem_flags_add(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t r, unsigned size)
{
	unsigned top = size * 8 - 1;
	sem_flags_szp(cpu, r, size);
	cpu->cf = (((a & b) | ((a | b) & ~r)) >> top) & 1;
	cpu->of = (((a ^ r) & (b ^ r)) >> top) & 1;
	cpu->af = ((a ^ b ^ r) >> 4) & 1;
}

/* r = a - b - c (c is the borrow in, 0 or 1); all values masked to size. */
SEM_INLINE void sem_flags_sub(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t r, unsigned size)
{
	unsigned top = size * 8 - 1;
	sem_flags_szp(cpu, r, size);
	cpu->cf = (((~a & b) | (~(a ^ b) & r)) >> top) & 1;
	cpu->of = (((a ^ b) & (a ^ r)) >> top) & 1;
	cpu->af = ((a ^ b ^ r) >> 4) & 1;
}

/* MUL/IMUL: CF = OF = `wide` (the upper half is significant). SF, ZF and
 * PF follow the low half of the product, AF is cleared: that is what our
 * Intel test hosts do (the SDM leaves them undefined). */
SEM_INLINE void sem_flags_mul(struct cpu *cpu, uint64_t lo, unsigned size, bool wide)
{
	sem_flags_szp(cpu, lo, size);
	cpu->zf = 0;
	cpu->af = 0;
	cpu->cf = wide;
	cpu->of = wide;
}

/* Condition codes 0-15 (O NO B AE E NE BE A S NS P NP L GE LE G) of
 * JCC, SETCC, CMOVCC. */
SEM_INLINE bool sem_cond(const struct cpu *cpu, unsigned cond)
{
	bool r;
	switch (cond >> 1) {
	case 0: r = cpu->of; break;
	case 1: r = cpu->cf; break;
	case 2: r = cpu->zf; break;
	case 3: r = cpu->cf | cpu->zf; break;
	case 4: r = cpu->sf; break;
	case 5: r = cpu->pf; break;
	case 6: r = cpu->sf != cpu->of; break;
	default: r = cpu->zf | (cpu->sf != cpu->of); break;
	}
	return r ^ (cond & 1);
}

#endif
