/* sem_flags.h — arithmetic flag computation shared by the integer
 * semantics (sem_alu.h, sem_shift.h, sem_move.h).
 *
 * Flags are computed eagerly into the separate bytes of struct cpu; in
 * translated code the C compiler drops the stores nobody reads.
 *
 * "Undefined" flags. The SDM leaves some flags undefined; we model what the
 * Intel cores we test on (Xeon, family 6) actually produce, measured with
 * tests/x86 against native execution, so that a guest that (wrongly) reads
 * them sees what it would see on Intel hardware:
 *   - logic ops (AND OR XOR TEST), ANDN, BEXTR, BZHI: AF = 0.
 *   - MUL/IMUL: CF = OF = "high half significant"; SF, ZF, PF from the low
 *     half of the result as for other arithmetic, AF = 0 (see sem_flags_mul).
 *   - DIV/IDIV: all six arithmetic flags are left unchanged.
 *   - shifts (SHL SHR SAR) with a masked count != 0: OF is computed with the
 *     count-1 formula for every count, AF = 0 (SHL/SAL sets AF from bit 4 on
 *     some cores; ours leave it cleared).
 *   - rotates with a masked count != 0: OF uses the count-1 formula for every
 *     count; RCL/RCR likewise.
 *   - SHLD/SHRD: OF from the count-1 formula (sign change); for a count
 *     larger than the operand size (16-bit forms) the result comes from the
 *     concatenation repeated, as the hardware does (see sem_shift.h), and
 *     CF is the last bit shifted out of that; AF = 0.
 *   - BSF/BSR with a zero source: destination unchanged, ZF = 1 and the
 *     other flags as if computed on the (zero) source: CF = OF = SF = AF = 0,
 *     PF = 1. With a nonzero source ZF = 0 and the same rule for the rest.
 *   - BT/BTS/BTR/BTC: only CF changes; OF SF AF PF keep their values.
 *   - POPCNT, LZCNT, TZCNT: defined by the SDM.
 * Where a value above could not be checked on the test host, the per-op
 * undefined-flag mask in tests/x86/undef.c lets the differential test mask
 * it on non-Intel hosts; on Intel the test compares every flag strictly.
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
