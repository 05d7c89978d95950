/* sem_branch.h — control transfer (the "sem_branch.h" section of ops.def).
 * Every op here sets cpu->rip itself: to the target, or to the next
 * instruction when a condition is false. */
#ifndef XLATE_X86_SEM_BRANCH_H
#define XLATE_X86_SEM_BRANCH_H

#include "translator/x86/sem_move.h"

/* A branch to a non-canonical address raises #GP at the branch (Intel
 * behaviour: RIP still names the branch, no register has changed). */
SEM_INLINE void sem_check_target(struct cpu *cpu, uint64_t target)
{
	uint64_t top = target >> 47;
	if (top != 0 && top != 0x1ffff)
		sem_gp(cpu);
}

SEM_INLINE void sem_JMP(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t t = sem_read(cpu, in, 0);
	sem_check_target(cpu, t);
	cpu->rip = t;
}

SEM_INLINE void sem_JCC(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t t = sem_cond(cpu, in->cond) ? sem_read(cpu, in, 0) : sem_next_rip(cpu, in);
	sem_check_target(cpu, t);
	cpu->rip = t;
}

/* The return address is stored before the target is checked: a CALL to a
 * non-canonical address leaves it in memory (below RSP), as on Intel. */
SEM_INLINE void sem_CALL(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t t = sem_read(cpu, in, 0);
	uint64_t sp = cpu->gpr[X86_RSP] - 8;
	sem_store(sp, 8, sem_next_rip(cpu, in));
	sem_check_target(cpu, t);
	cpu->gpr[X86_RSP] = sp;
	cpu->rip = t;
}

SEM_INLINE void sem_RET(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t t = sem_load(cpu->gpr[X86_RSP], 8);
	sem_check_target(cpu, t);
	cpu->gpr[X86_RSP] += 8 + (in->nopnd ? (uint64_t)in->imm & 0xffff : 0);
	cpu->rip = t;
}

/* RCX or ECX, by address size. */
SEM_INLINE uint64_t sem_count_reg(const struct cpu *cpu, const struct x86_insn *in)
{
	return in->addrsize == 4 ? (uint32_t)cpu->gpr[X86_RCX] : cpu->gpr[X86_RCX];
}

SEM_INLINE void sem_branch_if(struct cpu *cpu, const struct x86_insn *in, bool taken)
{
	uint64_t t = taken ? sem_read(cpu, in, 0) : sem_next_rip(cpu, in);
	sem_check_target(cpu, t);
	cpu->rip = t;
}

SEM_INLINE void sem_JRCXZ(struct cpu *cpu, const struct x86_insn *in)
{
	sem_branch_if(cpu, in, sem_count_reg(cpu, in) == 0);
}

/* LOOP, LOOPE, LOOPNE: decrement the count (without touching flags), then
 * branch while it is not zero (and ZF is 1 / 0). */
SEM_INLINE void sem_loop(struct cpu *cpu, const struct x86_insn *in, int zf_want)
{
	uint64_t c = sem_count_reg(cpu, in) - 1;
	bool taken =
		(in->addrsize == 4 ? (uint32_t)c : c) != 0 && (zf_want < 0 || cpu->zf == zf_want);
	uint64_t t = taken ? sem_read(cpu, in, 0) : sem_next_rip(cpu, in);
	sem_check_target(cpu, t);
	if (in->addrsize == 4)
		cpu->gpr[X86_RCX] = (uint32_t)c;
	else
		cpu->gpr[X86_RCX] = c;
	cpu->rip = t;
}

SEM_INLINE void sem_LOOP(struct cpu *cpu, const struct x86_insn *in)
{
	sem_loop(cpu, in, -1);
}
SEM_INLINE void sem_LOOPE(struct cpu *cpu, const struct x86_insn *in)
{
	sem_loop(cpu, in, 1);
}
SEM_INLINE void sem_LOOPNE(struct cpu *cpu, const struct x86_insn *in)
{
	sem_loop(cpu, in, 0);
}

// clang-format off
#define SEM_BRANCH_OPS(X) \
	X(JMP) X(JCC) X(CALL) X(RET) X(JRCXZ) X(LOOP) X(LOOPE) X(LOOPNE)
// clang-format on

#endif
