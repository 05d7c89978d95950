/* sem_move.h — data movement, stack, flag moves and string instructions
 * (the "sem_move.h" section of ops.def). */
#ifndef XLATE_X86_SEM_MOVE_H
#define XLATE_X86_SEM_MOVE_H

#include "translator/x86/sem_alu.h"

/* ---- moves ---- */

SEM_INLINE void sem_MOV(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, sem_src(cpu, in, 1, in->opnd[0].size));
}

SEM_INLINE void sem_MOVNTI(struct cpu *cpu, const struct x86_insn *in)
{
	sem_MOV(cpu, in);
}

SEM_INLINE void sem_MOVZX(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, sem_read(cpu, in, 1));
}

SEM_INLINE void sem_MOVSX(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, (uint64_t)sem_sext(sem_read(cpu, in, 1), in->opnd[1].size));
}

/* MOVSXD with a 16- or 32-bit destination is a plain move. */
SEM_INLINE void sem_MOVSXD(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, (uint64_t)sem_sext(sem_read(cpu, in, 1), in->opnd[1].size));
}

SEM_INLINE uint64_t sem_bswap(uint64_t v, unsigned size)
{
	switch (size) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

SEM_INLINE void sem_MOVBE(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	sem_write(cpu, in, 0, sem_bswap(sem_read(cpu, in, 1), size));
}

/* The effective address without a segment base (LEA ignores FS/GS). */
SEM_INLINE void sem_LEA(struct cpu *cpu, const struct x86_insn *in)
{
	struct x86_insn t = *in;
	t.seg = X86_SEG_NONE;
	sem_write(cpu, in, 0, sem_ea(cpu, &t));
}

SEM_INLINE void sem_XCHG(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opnd[0].size;
	if (in->opnd[0].kind == X86_OPND_MEM || in->opnd[1].kind == X86_OPND_MEM) {
		unsigned mi = in->opnd[0].kind == X86_OPND_MEM ? 0 : 1;
		uint64_t v = sem_read(cpu, in, 1 - mi);
		uint64_t old = sem_xchg_mem(sem_ea(cpu, in), size, v);
		sem_write(cpu, in, 1 - mi, old);
	} else {
		uint64_t a = sem_read(cpu, in, 0), b = sem_read(cpu, in, 1);
		sem_write(cpu, in, 1, a);
		sem_write(cpu, in, 0, b);
	}
}

/* The source is read (and may fault) whatever the condition; a 32-bit
 * destination register is written (zero-extended) even when false. */
SEM_INLINE void sem_CMOVCC(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t v = sem_read(cpu, in, 1);
	if (sem_cond(cpu, in->cond))
		sem_write(cpu, in, 0, v);
	else if (in->opnd[0].size == 4)
		sem_write(cpu, in, 0, sem_read(cpu, in, 0));
}

SEM_INLINE void sem_SETCC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, sem_cond(cpu, in->cond));
}

/* Segment base of a string source or XLAT table (only FS/GS have one). */
SEM_INLINE uint64_t sem_seg_base(const struct cpu *cpu, const struct x86_insn *in)
{
	return in->seg == X86_SEG_FS ? cpu->fs_base : in->seg == X86_SEG_GS ? cpu->gs_base : 0;
}

SEM_INLINE void sem_XLAT(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t a = cpu->gpr[X86_RBX] + (cpu->gpr[X86_RAX] & 0xff);
	if (in->addrsize == 4)
		a = (uint32_t)a;
	sem_set_gpr(cpu, X86_RAX, 1, sem_load(a + sem_seg_base(cpu, in), 1));
}

/* ---- stack ---- */

SEM_INLINE void sem_push(struct cpu *cpu, unsigned size, uint64_t v)
{
	uint64_t sp = cpu->gpr[X86_RSP] - size;
	sem_store(sp, size, v);
	cpu->gpr[X86_RSP] = sp;
}

SEM_INLINE uint64_t sem_pop(struct cpu *cpu, unsigned size)
{
	uint64_t v = sem_load(cpu->gpr[X86_RSP], size);
	cpu->gpr[X86_RSP] += size;
	return v;
}

/* Selector values a 64-bit Linux process sees: CS 0x33, SS 0x2b, and null
 * DS, ES, FS, GS. */
SEM_INLINE uint16_t sem_get_seg(unsigned seg)
{
	return seg == X86_SEG_CS ? 0x33 : seg == X86_SEG_SS ? 0x2b : 0;
}

/* Loading a segment register: null (DS ES FS GS) or one of the user
 * descriptors Linux sets up; other selectors (TLS entries, the LDT) are not
 * modelled and raise #GP as for a descriptor that is not there. */
SEM_INLINE void sem_set_seg(struct cpu *cpu, unsigned seg, uint16_t sel)
{
	/* The user descriptors of Linux's GDT: 0x23 (32-bit code), 0x2b
	 * (data) and 0x33 (64-bit code), all base 0, readable, DPL 3. */
	bool ok;
	if (seg == X86_SEG_SS)
		ok = sel == 0x2b;
	else if (seg == X86_SEG_CS)
		ok = false;
	else
		ok = sel < 4 || sel == 0x23 || sel == 0x2b || sel == 0x33;
	if (!ok)
		x86_raise_err(cpu, X86_SIGSEGV, X86_SI_KERNEL, 0, 13, sel & 0xfffc);
	/* Loading FS or GS sets its base from the descriptor: 0 for all of
	 * these, the null selector included (as our Intel hosts do). */
	if (seg == X86_SEG_FS)
		cpu->fs_base = 0;
	if (seg == X86_SEG_GS)
		cpu->gs_base = 0;
}

SEM_INLINE void sem_PUSH(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	uint64_t v = in->opnd[0].kind == X86_OPND_SEG ? sem_get_seg(in->opnd[0].reg)
						      : sem_src(cpu, in, 0, size);
	sem_push(cpu, size, v);
}

SEM_INLINE void sem_POP(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	uint64_t sp = cpu->gpr[X86_RSP];
	uint64_t v = sem_load(sp, size);

	switch (in->opnd[0].kind) {
	case X86_OPND_MEM: {
		/* The address is computed with RSP already incremented. */
		uint64_t ea;
		cpu->gpr[X86_RSP] = sp + size;
		ea = sem_ea(cpu, in);
		cpu->gpr[X86_RSP] = sp;
		sem_store(ea, size, v);
		cpu->gpr[X86_RSP] = sp + size;
		break;
	}
	case X86_OPND_SEG:
		sem_set_seg(cpu, in->opnd[0].reg, (uint16_t)v);
		cpu->gpr[X86_RSP] = sp + size;
		break;
	default:
		/* pop rsp ends with the loaded value. */
		cpu->gpr[X86_RSP] = sp + size;
		sem_write(cpu, in, 0, v);
		break;
	}
}

SEM_INLINE void sem_MOV_SEG(struct cpu *cpu, const struct x86_insn *in)
{
	if (in->opnd[0].kind == X86_OPND_SEG) {
		sem_set_seg(cpu, in->opnd[0].reg, (uint16_t)sem_read(cpu, in, 1));
		return;
	}
	sem_write(cpu, in, 0, sem_get_seg(in->opnd[1].reg));
}

SEM_INLINE void sem_PUSHF(struct cpu *cpu, const struct x86_insn *in)
{
	sem_push(cpu, in->opsize, x86_get_rflags(cpu));
}

/* POPF takes the user-changeable flags; the 16-bit form leaves AC and ID. */
SEM_INLINE void sem_POPF(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	uint64_t v = sem_load(cpu->gpr[X86_RSP], size);
	if (size == 2)
		v = (v & 0xffff) | (x86_get_rflags(cpu) & ~0xffffull);
	x86_set_rflags(cpu, v);
	cpu->gpr[X86_RSP] += size;
}

SEM_INLINE void sem_LAHF(struct cpu *cpu, const struct x86_insn *in)
{
	sem_set_gpr(cpu, X86_AH, 1, (x86_get_rflags(cpu) & 0xd5) | 2);
}

SEM_INLINE void sem_SAHF(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned ah = (unsigned)(cpu->gpr[X86_RAX] >> 8);
	cpu->cf = ah & 1;
	cpu->pf = (ah >> 2) & 1;
	cpu->af = (ah >> 4) & 1;
	cpu->zf = (ah >> 6) & 1;
	cpu->sf = (ah >> 7) & 1;
}

/* ENTER alloc, level: all stack writes first, registers last. */
SEM_INLINE void sem_ENTER(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize, level = in->imm2 & 31;
	uint64_t sp = cpu->gpr[X86_RSP], bp = cpu->gpr[X86_RBP], frame;

	sp -= size;
	sem_store(sp, size, bp);
	frame = sp;
	if (level) {
		for (unsigned i = 1; i < level; i++) {
			bp -= size;
			sp -= size;
			sem_store(sp, size, sem_load(bp, size));
		}
		sp -= size;
		sem_store(sp, size, frame);
	}
	sp -= (uint64_t)in->imm & 0xffff;
	/* The new stack top must be writable (checked after the pushes). */
	{
		uint8_t *top = (uint8_t *)(uintptr_t)sp;
		__atomic_fetch_or(top, 0, __ATOMIC_RELAXED);
	}
	sem_set_gpr(cpu, X86_RBP, size, frame);
	cpu->gpr[X86_RSP] = sp;
}

SEM_INLINE void sem_LEAVE(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned size = in->opsize;
	uint64_t bp = cpu->gpr[X86_RBP];
	uint64_t v = sem_load(bp, size);
	cpu->gpr[X86_RSP] = bp + size;
	sem_set_gpr(cpu, X86_RBP, size, v);
}

/* ---- flag instructions ---- */

SEM_INLINE void sem_CLC(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->cf = 0;
}
SEM_INLINE void sem_STC(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->cf = 1;
}
SEM_INLINE void sem_CMC(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->cf ^= 1;
}
SEM_INLINE void sem_CLD(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->df = 0;
}
SEM_INLINE void sem_STD(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->df = 1;
}

/* ---- strings ----
 * Source DS:RSI (FS/GS override applies), destination ES:RDI, count RCX;
 * with a 32-bit address size ESI, EDI, ECX (written zero-extended).
 * Every iteration loads, stores, then updates the registers, so a fault
 * leaves them at the faulting element, as on x86. */

SEM_INLINE uint64_t sem_str_get(const struct cpu *cpu, const struct x86_insn *in, unsigned r)
{
	return in->addrsize == 4 ? (uint32_t)cpu->gpr[r] : cpu->gpr[r];
}

SEM_INLINE void sem_str_set(struct cpu *cpu, const struct x86_insn *in, unsigned r, uint64_t v)
{
	cpu->gpr[r] = in->addrsize == 4 ? (uint32_t)v : v;
}

SEM_INLINE bool sem_rep(const struct x86_insn *in)
{
	return (in->prefix & (X86_PFX_REP | X86_PFX_REPNE)) != 0;
}

/* Bytes from a to the end of its page. */
SEM_INLINE uint64_t sem_to_page_end(uint64_t a)
{
	return 4096 - (a & 4095);
}

/* Forward REP MOVS/STOS in bulk: as many whole elements as stay inside
 * the current source and destination pages (and, for MOVS, do not overlap
 * forwards). Only the first element's accesses can fault, and it is done
 * on its own, so a fault leaves the registers at that element with
 * nothing of the chunk stored, as one iteration at a time would. Returns
 * the number of elements done. */
SEM_INLINE uint64_t sem_rep_chunk(struct cpu *cpu, const struct x86_insn *in, bool movs,
				  uint64_t src, uint64_t dst, uint64_t count)
{
	unsigned n = in->opsize;
	uint64_t bytes = sem_to_page_end(dst), k;
	if (movs) {
		if (sem_to_page_end(src) < bytes)
			bytes = sem_to_page_end(src);
		if (dst > src && dst - src < bytes)
			bytes = dst - src;
	}
	k = bytes / n;
	if (k > count)
		k = count;
	if (k < 2)
		return 0;
	/* The first element alone, so that a fault names its exact address;
	 * the rest cannot fault then (same pages). */
	sem_store(dst, n, movs ? sem_load(src, n) : cpu->gpr[X86_RAX]);
	if (movs) {
		memmove((void *)(uintptr_t)(dst + n), (const void *)(uintptr_t)(src + n),
			(k - 1) * n);
	} else if (n == 1) {
		memset((void *)(uintptr_t)(dst + 1), (int)(cpu->gpr[X86_RAX] & 0xff), k - 1);
	} else {
		for (uint64_t i = 1; i < k; i++)
			sem_store(dst + i * n, n, cpu->gpr[X86_RAX]);
	}
	return k;
}

enum sem_str { SEM_MOVS, SEM_CMPS, SEM_STOS, SEM_LODS, SEM_SCAS };

SEM_INLINE void sem_string(struct cpu *cpu, const struct x86_insn *in, unsigned k)
{
	unsigned n = in->opsize;
	uint64_t delta = cpu->df ? 0 - (uint64_t)n : n;
	uint64_t base = sem_seg_base(cpu, in);
	bool rep = sem_rep(in);
	bool compared = false;
	uint64_t ca = 0, cb = 0; /* the last comparison of CMPS/SCAS */

	/* With a 32-bit address size the registers the instruction uses are
	 * written zero-extended even when it does nothing (count 0). */
	if (in->addrsize == 4) {
		if (k == SEM_MOVS || k == SEM_CMPS || k == SEM_LODS)
			cpu->gpr[X86_RSI] = (uint32_t)cpu->gpr[X86_RSI];
		if (k != SEM_LODS)
			cpu->gpr[X86_RDI] = (uint32_t)cpu->gpr[X86_RDI];
		if (rep)
			cpu->gpr[X86_RCX] = (uint32_t)cpu->gpr[X86_RCX];
	}
	for (;;) {
		uint64_t si = sem_str_get(cpu, in, X86_RSI), di = sem_str_get(cpu, in, X86_RDI);
		uint64_t count = rep ? sem_str_get(cpu, in, X86_RCX) : 1;
		uint64_t a;

		if (count == 0)
			break;
		if (rep && !cpu->df && in->addrsize == 8 && (k == SEM_MOVS || k == SEM_STOS)) {
			uint64_t done = sem_rep_chunk(cpu, in, k == SEM_MOVS, si + base, di, count);
			if (done) {
				if (k == SEM_MOVS)
					cpu->gpr[X86_RSI] = si + done * n;
				cpu->gpr[X86_RDI] = di + done * n;
				cpu->gpr[X86_RCX] = count - done;
				continue;
			}
		}
		switch (k) {
		case SEM_MOVS:
			sem_store(di, n, sem_load(si + base, n));
			sem_str_set(cpu, in, X86_RSI, si + delta);
			sem_str_set(cpu, in, X86_RDI, di + delta);
			break;
		case SEM_STOS:
			sem_store(di, n, cpu->gpr[X86_RAX]);
			sem_str_set(cpu, in, X86_RDI, di + delta);
			break;
		case SEM_LODS:
			a = sem_load(si + base, n);
			sem_set_gpr(cpu, X86_RAX, n, a);
			sem_str_set(cpu, in, X86_RSI, si + delta);
			break;
		case SEM_CMPS:
			ca = sem_load(si + base, n);
			cb = sem_load(di, n);
			compared = true;
			sem_str_set(cpu, in, X86_RSI, si + delta);
			sem_str_set(cpu, in, X86_RDI, di + delta);
			break;
		default: /* SCAS */
			ca = sem_get_gpr(cpu, X86_RAX, n);
			cb = sem_load(di, n);
			compared = true;
			sem_str_set(cpu, in, X86_RDI, di + delta);
			break;
		}
		if (!rep)
			break;
		sem_str_set(cpu, in, X86_RCX, count - 1);
		if (compared && ((in->prefix & X86_PFX_REPNE) ? ca == cb : ca != cb))
			break;
	}
	/* Flags only when the instruction completes: a fault part-way
	 * leaves them as they were before it, as Intel does. */
	if (compared)
		sem_flags_sub(cpu, ca, cb, (ca - cb) & sem_mask(n), n);
}

SEM_INLINE void sem_MOVS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_string(cpu, in, SEM_MOVS);
}
SEM_INLINE void sem_CMPS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_string(cpu, in, SEM_CMPS);
}
SEM_INLINE void sem_STOS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_string(cpu, in, SEM_STOS);
}
SEM_INLINE void sem_LODS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_string(cpu, in, SEM_LODS);
}
SEM_INLINE void sem_SCAS(struct cpu *cpu, const struct x86_insn *in)
{
	sem_string(cpu, in, SEM_SCAS);
}

// clang-format off
#define SEM_MOVE_OPS(X) \
	X(MOV) X(MOVZX) X(MOVSX) X(MOVSXD) X(MOVBE) X(MOVNTI) X(LEA) X(XCHG) X(CMOVCC) \
	X(SETCC) X(XLAT) X(PUSH) X(POP) X(PUSHF) X(POPF) X(LAHF) X(SAHF) X(ENTER) X(LEAVE) \
	X(CLC) X(STC) X(CMC) X(CLD) X(STD) X(MOVS) X(CMPS) X(STOS) X(LODS) X(SCAS) \
	X(MOV_SEG)
// clang-format on

#endif
