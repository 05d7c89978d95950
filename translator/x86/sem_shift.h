/* sem_shift.h — shifts, rotates and bit operations (the "sem_shift.h"
 * section of ops.def), including BMI1/BMI2, POPCNT/LZCNT/TZCNT, BSWAP and
 * CRC32. Undefined-flag behaviour is described in sem_flags.h. */
#ifndef XLATE_X86_SEM_SHIFT_H
#define XLATE_X86_SEM_SHIFT_H

#include "translator/x86/sem_alu.h"

/* The count of a shift or rotate: operand 1 (CL or an immediate), or 1
 * when the decoder lists no count; masked to 5 bits (6 for 64-bit). */
SEM_INLINE unsigned sem_shift_count(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t c = in->nopnd >= 2 ? sem_src(cpu, in, 1, 1) : 1;
	return (unsigned)c & (in->opnd[0].size == 8 ? 63 : 31);
}

enum sem_shift { SEM_SHL, SEM_SHR, SEM_SAR, SEM_ROL, SEM_ROR, SEM_RCL, SEM_RCR };

/* Rotates the (bits + 1)-bit value cf:a left by c (0 <= c <= bits). */
SEM_INLINE unsigned __int128 sem_rcl_calc(uint64_t a, unsigned cf, unsigned bits, unsigned c)
{
	unsigned __int128 w = (unsigned __int128)cf << bits | a;
	unsigned __int128 m = ((unsigned __int128)1 << (bits + 1)) - 1;
	if (c == 0)
		return w;
	return ((w << c) | (w >> (bits + 1 - c))) & m;
}

SEM_INLINE void sem_shift(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	uint64_t m = sem_mask(size);
	unsigned c = sem_shift_count(cpu, in);
	uint64_t a = sem_read(cpu, in, 0), r;
	unsigned cf, of;

	if (c == 0) {
		/* No flag changes, but a 32-bit register is still written. */
		sem_write(cpu, in, 0, a);
		return;
	}
	/* OF: Intel computes it for every count as for a count of 1, from
	 * the original operand (and CF, for RCR). */
	switch (k) {
	case SEM_SHL:
		r = c < 64 ? (a << c) & m : 0;
		cf = c <= bits ? (unsigned)(a >> (bits - c)) & 1 : 0;
		of = sem_msb(a ^ (a << 1), size);
		break;
	case SEM_SHR:
		r = c < 64 ? a >> c : 0;
		cf = c <= bits ? (unsigned)(a >> (c - 1)) & 1 : 0;
		of = sem_msb(a, size);
		break;
	case SEM_SAR: {
		int64_t s = sem_sext(a, size);
		unsigned cc = c < bits ? c : bits;
		r = (uint64_t)(s >> (cc - 1 < 63 ? cc - 1 : 63));
		cf = (unsigned)r & 1;
		r = (uint64_t)((int64_t)r >> 1) & m;
		of = 0;
		break;
	}
	case SEM_ROL: {
		unsigned rc = c & (bits - 1);
		r = rc ? ((a << rc) | (a >> (bits - rc))) & m : a;
		cf = (unsigned)r & 1;
		of = sem_msb(a ^ (a << 1), size);
		if (c != 1 && in->opnd[1].kind == X86_OPND_IMM && in->opnd[0].kind == X86_OPND_GPR)
			of = cpu->of; /* register, immediate count other than 1: OF kept */
		break;
	}
	case SEM_ROR: {
		unsigned rc = c & (bits - 1);
		r = rc ? ((a >> rc) | (a << (bits - rc))) & m : a;
		cf = sem_msb(r, size);
		of = sem_msb(a ^ (a << (bits - 1)), size);
		if (c != 1 && in->opnd[1].kind == X86_OPND_IMM && in->opnd[0].kind == X86_OPND_GPR)
			of = cpu->of;
		break;
	}
	default: { /* RCL, RCR: rotate through CF, (bits + 1)-bit wide */
		unsigned rc = bits < 32 ? c % (bits + 1) : c;
		unsigned __int128 w;
		if (rc == 0) /* 8/16-bit counts that are multiples of 9/17: no change */
			return;
		w = sem_rcl_calc(a, cpu->cf, bits, k == SEM_RCL ? rc : bits + 1 - rc);
		r = (uint64_t)w & m;
		cf = (unsigned)(w >> bits) & 1;
		if (k == SEM_RCL)
			of = sem_msb(a ^ (a << 1), size);
		else
			of = sem_msb(a, size) ^ cpu->cf;
		break;
	}
	}
	sem_write(cpu, in, 0, r);
	cpu->cf = (uint8_t)cf;
	cpu->of = (uint8_t)of;
	if (k <= SEM_SAR) {
		sem_flags_szp(cpu, r, size);
		cpu->af = 0;
	}
}

SEM_INLINE void sem_SHL(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_SHL);
}
SEM_INLINE void sem_SHR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_SHR);
}
SEM_INLINE void sem_SAR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_SAR);
}
SEM_INLINE void sem_ROL(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_ROL);
}
SEM_INLINE void sem_ROR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_ROR);
}
SEM_INLINE void sem_RCL(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_RCL);
}
SEM_INLINE void sem_RCR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shift(cpu, in, SEM_RCR);
}

/* SHLD/SHRD: dst, src, count. A 16-bit count above 16 shifts through the
 * 48-bit pattern dst:src:dst, as Intel hardware does. */
SEM_INLINE void sem_shxd(struct cpu *cpu, const struct x86_insn *in, bool left)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	uint64_t m = sem_mask(size);
	unsigned c = in->nopnd >= 3 ? (unsigned)sem_src(cpu, in, 2, 1) : 0;
	uint64_t a, b, r;
	unsigned cf;

	c &= size == 8 ? 63 : 31;
	b = sem_read(cpu, in, 1);
	a = sem_read(cpu, in, 0);
	if (c == 0) {
		sem_write(cpu, in, 0, a); /* a 32-bit register is still written */
		return;
	}
	if (size == 2) {
		uint64_t x = a << 32 | b << 16 | a;
		if (left) {
			r = (x >> (32 - c)) & m;
			cf = (unsigned)(x >> (48 - c)) & 1;
		} else {
			r = (x >> c) & m;
			cf = (unsigned)(x >> (c - 1)) & 1;
		}
	} else if (left) {
		r = ((a << c) | (b >> (bits - c))) & m;
		cf = (unsigned)(a >> (bits - c)) & 1;
	} else {
		r = ((a >> c) | (b << (bits - c))) & m;
		cf = (unsigned)(a >> (c - 1)) & 1;
	}
	sem_write(cpu, in, 0, r);
	sem_flags_szp(cpu, r, size);
	cpu->cf = (uint8_t)cf;
	/* OF as for a count of 1, for every count (Intel). */
	cpu->of = left ? sem_msb(a ^ (a << 1), size) : sem_msb(a ^ (b << (bits - 1)), size);
	cpu->af = 0;
}

SEM_INLINE void sem_SHLD(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shxd(cpu, in, true);
}
SEM_INLINE void sem_SHRD(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shxd(cpu, in, false);
}

/* ---- bit test ---- */

enum sem_bt { SEM_BT, SEM_BTS, SEM_BTR, SEM_BTC };

SEM_INLINE void sem_bt(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	uint64_t off = sem_src(cpu, in, 1, size), bit, a, r;

	if (in->opnd[0].kind == X86_OPND_MEM) {
		/* A register offset is signed and selects the operand-sized
		 * word holding the bit, anywhere around the address. */
		uint64_t ea = sem_ea(cpu, in);
		if (in->opnd[1].kind != X86_OPND_IMM) {
			int64_t s = sem_sext(off, size);
			ea += (uint64_t)((s >> (__builtin_ctz(bits))) * (int64_t)size);
		}
		bit = off & (bits - 1);
		a = sem_load(ea, size);
		if (k != SEM_BT) {
			if (in->prefix & X86_PFX_LOCK) {
				do
					r = k == SEM_BTS   ? a | 1ull << bit
					    : k == SEM_BTR ? a & ~(1ull << bit)
							   : a ^ 1ull << bit;
				while (!sem_cas(ea, size, &a, r));
			} else {
				r = k == SEM_BTS   ? a | 1ull << bit
				    : k == SEM_BTR ? a & ~(1ull << bit)
						   : a ^ 1ull << bit;
				sem_store(ea, size, r);
			}
		}
	} else {
		bit = off & (bits - 1);
		a = sem_read(cpu, in, 0);
		r = k == SEM_BTS   ? a | 1ull << bit
		    : k == SEM_BTR ? a & ~(1ull << bit)
				   : a ^ 1ull << bit;
		if (k != SEM_BT)
			sem_write(cpu, in, 0, r);
	}
	cpu->cf = (a >> bit) & 1;
}

SEM_INLINE void sem_BT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bt(cpu, in, SEM_BT);
}
SEM_INLINE void sem_BTS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bt(cpu, in, SEM_BTS);
}
SEM_INLINE void sem_BTR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bt(cpu, in, SEM_BTR);
}
SEM_INLINE void sem_BTC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bt(cpu, in, SEM_BTC);
}

/* ---- bit scans and counts ---- */

/* BSF/BSR flags as Intel sets them: ZF tells a zero source, PF is the
 * parity of the index found (of 0 for a zero source), CF OF SF AF are 0. */
SEM_INLINE void sem_bsx(struct cpu *cpu, const struct x86_insn *in, bool rev)
{
	unsigned size = in->opnd[0].size;
	uint64_t s = sem_read(cpu, in, 1);

	unsigned idx = 0;

	if (s) {
		idx = rev ? 63 - (unsigned)__builtin_clzll(s) : (unsigned)__builtin_ctzll(s);
		sem_write(cpu, in, 0, idx);
	}
	sem_flags_logic(cpu, idx, size);
	cpu->zf = s == 0;
}

SEM_INLINE void sem_BSF(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bsx(cpu, in, false);
}
SEM_INLINE void sem_BSR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_bsx(cpu, in, true);
}

SEM_INLINE void sem_POPCNT(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t s = sem_read(cpu, in, 1);
	sem_write(cpu, in, 0, (uint64_t)__builtin_popcountll(s));
	cpu->cf = cpu->of = cpu->sf = cpu->af = cpu->pf = 0;
	cpu->zf = s == 0;
}

SEM_INLINE void sem_xzcnt(struct cpu *cpu, const struct x86_insn *in, bool lead)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t n;

	if (s == 0)
		n = bits;
	else if (lead)
		n = (uint64_t)__builtin_clzll(s) - (64 - bits);
	else
		n = (uint64_t)__builtin_ctzll(s);
	sem_write(cpu, in, 0, n);
	cpu->cf = s == 0;
	cpu->zf = n == 0;
	cpu->of = cpu->sf = cpu->af = cpu->pf = 0;
}

SEM_INLINE void sem_LZCNT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_xzcnt(cpu, in, true);
}
SEM_INLINE void sem_TZCNT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_xzcnt(cpu, in, false);
}

/* ---- BMI1 / BMI2 (VEX-encoded, 32 or 64-bit) ---- */

/* Flags of the BMI ops: SF and ZF from the result, OF = 0, the given CF;
 * AF and PF (undefined) are 0 on Intel. */
SEM_INLINE void sem_flags_bmi(struct cpu *cpu, uint64_t r, unsigned size, unsigned cf)
{
	sem_flags_logic(cpu, r, size);
	cpu->pf = 0;
	cpu->cf = (uint8_t)cf;
}

SEM_INLINE void sem_ANDN(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t b = sem_read(cpu, in, 2);
	uint64_t r = ~sem_read(cpu, in, 1) & b & sem_mask(size);
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, 0);
}

SEM_INLINE void sem_BEXTR(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	uint64_t ctl = sem_read(cpu, in, 2);
	uint64_t s = sem_read(cpu, in, 1);
	unsigned start = ctl & 0xff, len = (ctl >> 8) & 0xff;
	uint64_t r = start < bits ? s >> start : 0;
	if (len < 64)
		r &= (1ull << len) - 1;
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, 0);
	cpu->sf = 0; /* undefined; Intel clears it */
}

SEM_INLINE void sem_BLSI(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t r = (0 - s) & s & sem_mask(size);
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, s != 0);
}

SEM_INLINE void sem_BLSMSK(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t r = ((s - 1) ^ s) & sem_mask(size);
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, s == 0);
}

SEM_INLINE void sem_BLSR(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t r = (s - 1) & s & sem_mask(size);
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, s == 0);
}

SEM_INLINE void sem_BZHI(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	unsigned n = (unsigned)sem_read(cpu, in, 2) & 0xff;
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t r = n < bits ? s & ((1ull << n) - 1) : s;
	sem_write(cpu, in, 0, r);
	sem_flags_bmi(cpu, r, size, n >= bits);
}

/* MULX hi, lo, src: unsigned EDX/RDX * src, no flags. When both
 * destinations are the same register it ends with the high half. */
SEM_INLINE void sem_MULX(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t s = sem_read(cpu, in, 2);
	uint64_t a = sem_get_gpr(cpu, X86_RDX, size), lo, hi;
	if (size == 8) {
		unsigned __int128 p = (unsigned __int128)a * s;
		lo = (uint64_t)p;
		hi = (uint64_t)(p >> 64);
	} else {
		uint64_t p = a * s;
		lo = p & 0xffffffffu;
		hi = p >> 32;
	}
	sem_write(cpu, in, 1, lo);
	sem_write(cpu, in, 0, hi);
}

SEM_INLINE void sem_PDEP(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t mask = sem_read(cpu, in, 2), s = sem_read(cpu, in, 1), r = 0;
	for (uint64_t bit = 1; mask; bit <<= 1) {
		if (s & bit)
			r |= mask & (0 - mask);
		mask &= mask - 1;
	}
	sem_write(cpu, in, 0, r);
}

SEM_INLINE void sem_PEXT(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t mask = sem_read(cpu, in, 2), s = sem_read(cpu, in, 1), r = 0;
	for (uint64_t bit = 1; mask; bit <<= 1) {
		if (s & mask & (0 - mask))
			r |= bit;
		mask &= mask - 1;
	}
	sem_write(cpu, in, 0, r);
}

SEM_INLINE void sem_RORX(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size, bits = size * 8;
	unsigned c = (unsigned)in->imm & (bits - 1);
	uint64_t s = sem_read(cpu, in, 1);
	sem_write(cpu, in, 0, c ? ((s >> c) | (s << (bits - c))) & sem_mask(size) : s);
}

enum sem_shx { SEM_SARX, SEM_SHLX, SEM_SHRX };

SEM_INLINE void sem_shx(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned size = in->opnd[0].size;
	unsigned c = (unsigned)sem_read(cpu, in, 2) & (size == 8 ? 63 : 31);
	uint64_t s = sem_read(cpu, in, 1);
	uint64_t r = k == SEM_SHLX   ? s << c
		     : k == SEM_SHRX ? s >> c
				     : (uint64_t)(sem_sext(s, size) >> c);
	sem_write(cpu, in, 0, r & sem_mask(size));
}

SEM_INLINE void sem_SARX(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shx(cpu, in, SEM_SARX);
}
SEM_INLINE void sem_SHLX(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shx(cpu, in, SEM_SHLX);
}
SEM_INLINE void sem_SHRX(struct cpu *cpu, const struct x86_insn *in)
{
	sem_shx(cpu, in, SEM_SHRX);
}

/* ---- byte swap, CRC32 ---- */

/* BSWAP of a 16-bit register is undefined; Intel clears the low word. */
SEM_INLINE void sem_BSWAP(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	uint64_t a = sem_read(cpu, in, 0);
	uint64_t r = size == 8	 ? __builtin_bswap64(a)
		     : size == 4 ? __builtin_bswap32((uint32_t)a)
				 : 0;
	sem_write(cpu, in, 0, r);
}

/* CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), no final xor:
 * the accumulator is operand 0, the data operand 1 (1, 2, 4 or 8 bytes). */
SEM_INLINE void sem_CRC32(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned n = in->opnd[1].size;
	uint64_t d = sem_read(cpu, in, 1);
	uint32_t crc = (uint32_t)sem_read(cpu, in, 0);
	for (unsigned i = 0; i < n; i++) {
		crc ^= (uint32_t)(d >> (8 * i)) & 0xff;
		for (unsigned j = 0; j < 8; j++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	sem_write(cpu, in, 0, crc);
}

// clang-format off
#define SEM_SHIFT_OPS(X) \
	X(ROL) X(ROR) X(RCL) X(RCR) X(SHL) X(SHR) X(SAR) X(SHLD) X(SHRD) X(BT) X(BTS) \
	X(BTR) X(BTC) X(BSF) X(BSR) X(POPCNT) X(LZCNT) X(TZCNT) X(ANDN) X(BEXTR) X(BLSI) \
	X(BLSMSK) X(BLSR) X(BZHI) X(MULX) X(PDEP) X(PEXT) X(RORX) X(SARX) X(SHLX) X(SHRX) \
	X(BSWAP) X(CRC32)
// clang-format on

#endif
