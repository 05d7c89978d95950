/* sem_system.h — traps, identification, time, randomness, fences and state
 * save/restore (the "sem_system.h" section of ops.def). Privileged ops have
 * no semantics: the interpreter raises #GP for them from their PRIV flag. */
#ifndef XLATE_X86_SEM_SYSTEM_H
#define XLATE_X86_SEM_SYSTEM_H

#include "translator/x86/sem_branch.h"

/* XCR0 of the emulated CPU: x87 (bit 0) and SSE (bit 1). AVX (bit 2) comes
 * with the AVX semantics; see cpuid.c. */
#define X86_XCR0 3ull

/* Nominal TSC frequency: RDTSC counts the host's monotonic clock at this
 * rate (the runtime's /proc/cpuinfo reports it). */
#define X86_TSC_HZ 2000000000ull

/* hostenv.c */
uint64_t x86_rdtsc(void);
uint32_t x86_tsc_aux(void);
bool x86_rdrand(uint64_t *v);

/* cpu.c: the XSAVE area (legacy region + header; components 0 and 1).
 * Both return -1 where the instruction raises #GP (alignment, header). */
enum x86_xsave_kind { X86_XSAVE, X86_XSAVEOPT, X86_XSAVEC };
uint64_t x86_xinuse(const struct cpu *cpu);
int x86_xsave(const struct cpu *cpu, uint64_t addr, uint64_t rfbm, enum x86_xsave_kind kind);
int x86_xrstor(struct cpu *cpu, uint64_t addr, uint64_t rfbm);

/* ---- traps ---- */

/* SYSCALL: RCX = next RIP, R11 = RFLAGS, as the hardware does (the kernel
 * ABI clobbers both); the interpreter then returns X86_EXIT_SYSCALL. */
SEM_INLINE void sem_SYSCALL(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->gpr[X86_RCX] = sem_next_rip(cpu, in);
	cpu->gpr[X86_R11] = x86_get_rflags(cpu);
	cpu->rip = sem_next_rip(cpu, in);
}

/* INT3 and INT 3: SIGTRAP/SI_KERNEL with RIP after the instruction. */
SEM_INLINE _Noreturn void sem_breakpoint(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->rip = sem_next_rip(cpu, in);
	x86_raise(cpu, X86_SIGTRAP, X86_SI_KERNEL, 0, 3);
}

/* INT n, as Linux handles it for a 64-bit process: vector 3 is a
 * breakpoint, vector 4 (overflow) a SIGSEGV trap after the instruction;
 * every other vector, 0x80 included (we behave like a kernel built
 * without IA32 emulation), is a #GP whose error code names the IDT entry. */
SEM_INLINE void sem_INT(struct cpu *cpu, const struct x86_insn *in)
{
	unsigned v = (unsigned)in->imm & 0xff;
	if (v == 3)
		sem_breakpoint(cpu, in);
	if (v == 4) {
		cpu->rip = sem_next_rip(cpu, in);
		x86_raise(cpu, X86_SIGSEGV, X86_SI_KERNEL, 0, 4);
	}
	x86_raise_err(cpu, X86_SIGSEGV, X86_SI_KERNEL, 0, 13, (uint64_t)v << 3 | 2);
}

SEM_INLINE void sem_INT3(struct cpu *cpu, const struct x86_insn *in)
{
	sem_breakpoint(cpu, in);
}

/* INT1 (ICEBP): a debug trap, SIGTRAP/TRAP_BRKPT at the next instruction. */
SEM_INLINE void sem_INT1(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->rip = sem_next_rip(cpu, in);
	x86_raise(cpu, X86_SIGTRAP, X86_TRAP_BRKPT, cpu->rip, 1);
}

SEM_INLINE void sem_UD0(struct cpu *cpu, const struct x86_insn *in) { sem_ud(cpu); }
SEM_INLINE void sem_UD1(struct cpu *cpu, const struct x86_insn *in) { sem_ud(cpu); }
SEM_INLINE void sem_UD2(struct cpu *cpu, const struct x86_insn *in) { sem_ud(cpu); }

/* ---- identification, time, randomness ---- */

SEM_INLINE void sem_CPUID(struct cpu *cpu, const struct x86_insn *in)
{
	uint32_t r[4];
	x86_cpuid((uint32_t)cpu->gpr[X86_RAX], (uint32_t)cpu->gpr[X86_RCX], r);
	cpu->gpr[X86_RAX] = r[0];
	cpu->gpr[X86_RBX] = r[1];
	cpu->gpr[X86_RCX] = r[2];
	cpu->gpr[X86_RDX] = r[3];
}

SEM_INLINE void sem_RDTSC(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t t = x86_rdtsc();
	cpu->gpr[X86_RAX] = (uint32_t)t;
	cpu->gpr[X86_RDX] = t >> 32;
}

SEM_INLINE void sem_RDTSCP(struct cpu *cpu, const struct x86_insn *in)
{
	sem_RDTSC(cpu, in);
	cpu->gpr[X86_RCX] = x86_tsc_aux();
}

SEM_INLINE void sem_RDPID(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, x86_tsc_aux());
}

/* RDRAND/RDSEED: CF = 1 with a value, CF = 0 and 0 when entropy is
 * unavailable; OF SF ZF AF PF cleared. */
SEM_INLINE void sem_RDRAND(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t v = 0;
	bool ok = x86_rdrand(&v);
	sem_write(cpu, in, 0, ok ? v : 0);
	cpu->cf = ok;
	cpu->of = cpu->sf = cpu->zf = cpu->af = cpu->pf = 0;
}

SEM_INLINE void sem_RDSEED(struct cpu *cpu, const struct x86_insn *in)
{
	sem_RDRAND(cpu, in);
}

/* ---- hints and fences ---- */

SEM_INLINE void sem_NOP(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_PAUSE(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_ENDBR64(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_ENDBR32(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_PREFETCH(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_PREFETCHW(struct cpu *cpu, const struct x86_insn *in) {}
SEM_INLINE void sem_CLDEMOTE(struct cpu *cpu, const struct x86_insn *in) {}

SEM_INLINE void sem_LFENCE(struct cpu *cpu, const struct x86_insn *in)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

SEM_INLINE void sem_SFENCE(struct cpu *cpu, const struct x86_insn *in)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

SEM_INLINE void sem_MFENCE(struct cpu *cpu, const struct x86_insn *in)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Cache-line flushes have no effect here but fault like a read of the
 * line would. */
SEM_INLINE void sem_CLFLUSH(struct cpu *cpu, const struct x86_insn *in)
{
	sem_load(sem_ea(cpu, in), 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

SEM_INLINE void sem_CLFLUSHOPT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_CLFLUSH(cpu, in);
}

SEM_INLINE void sem_CLWB(struct cpu *cpu, const struct x86_insn *in)
{
	sem_CLFLUSH(cpu, in);
}

/* ---- FS/GS base (Linux enables FSGSBASE for user space) ---- */

SEM_INLINE void sem_RDFSBASE(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, cpu->fs_base);
}

SEM_INLINE void sem_RDGSBASE(struct cpu *cpu, const struct x86_insn *in)
{
	sem_write(cpu, in, 0, cpu->gs_base);
}

SEM_INLINE uint64_t sem_new_base(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t v = sem_read(cpu, in, 0);
	uint64_t top = v >> 47;
	if (top != 0 && top != 0x1ffff)
		sem_gp(cpu);
	return v;
}

SEM_INLINE void sem_WRFSBASE(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->fs_base = sem_new_base(cpu, in);
}

SEM_INLINE void sem_WRGSBASE(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->gs_base = sem_new_base(cpu, in);
}

/* ---- x87/SSE state ---- */

SEM_INLINE void sem_LDMXCSR(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t v = sem_read(cpu, in, 0);
	if (v & ~0xffffull)
		sem_gp(cpu);
	cpu->mxcsr = (uint32_t)v;
}

SEM_INLINE void sem_STMXCSR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_store(sem_ea(cpu, in), 4, cpu->mxcsr);
}

/* FXSAVE writes bytes 0-415 of its area; without REX.W (the 32-bit
 * layout) FIP and FDP keep their low halves and the selector fields read 0,
 * as on CPUs that deprecate FCS/FDS. */
SEM_INLINE void sem_FXSAVE(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t ea = sem_ea(cpu, in);
	uint8_t img[512];
	if (ea & 15)
		sem_gp(cpu);
	x86_fxsave(cpu, img);
	if (!(in->prefix & X86_PFX_VEX_W)) {
		memset(img + 12, 0, 4);
		memset(img + 20, 0, 4);
	}
	sem_store_bytes(ea, img, 416);
}

SEM_INLINE void sem_FXRSTOR(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t ea = sem_ea(cpu, in);
	uint8_t img[512];
	uint32_t mxcsr;
	if (ea & 15)
		sem_gp(cpu);
	sem_load_bytes(img, ea, 512);
	memcpy(&mxcsr, img + 24, 4);
	if (mxcsr & ~0xffffu)
		sem_gp(cpu);
	if (!(in->prefix & X86_PFX_VEX_W)) {
		memset(img + 12, 0, 4);
		memset(img + 20, 0, 4);
	}
	x86_fxrstor(cpu, img);
}

/* The requested-feature bitmap EDX:EAX. */
SEM_INLINE uint64_t sem_xsave_rfbm(const struct cpu *cpu)
{
	return ((uint64_t)(uint32_t)cpu->gpr[X86_RDX] << 32 | (uint32_t)cpu->gpr[X86_RAX]) & X86_XCR0;
}

SEM_INLINE void sem_xsave(struct cpu *cpu, const struct x86_insn *in, enum x86_xsave_kind k)
{
	if (x86_xsave(cpu, sem_ea(cpu, in), sem_xsave_rfbm(cpu), k))
		sem_gp(cpu);
}

SEM_INLINE void sem_XSAVE(struct cpu *cpu, const struct x86_insn *in) { sem_xsave(cpu, in, X86_XSAVE); }
SEM_INLINE void sem_XSAVEOPT(struct cpu *cpu, const struct x86_insn *in) { sem_xsave(cpu, in, X86_XSAVEOPT); }
SEM_INLINE void sem_XSAVEC(struct cpu *cpu, const struct x86_insn *in) { sem_xsave(cpu, in, X86_XSAVEC); }

SEM_INLINE void sem_XRSTOR(struct cpu *cpu, const struct x86_insn *in)
{
	if (x86_xrstor(cpu, sem_ea(cpu, in), sem_xsave_rfbm(cpu)))
		sem_gp(cpu);
}

/* XGETBV: XCR0 (ECX = 0) or XINUSE & XCR0 (ECX = 1). */
SEM_INLINE void sem_XGETBV(struct cpu *cpu, const struct x86_insn *in)
{
	uint32_t c = (uint32_t)cpu->gpr[X86_RCX];
	uint64_t v;
	if (c == 0)
		v = X86_XCR0;
	else if (c == 1)
		v = x86_xinuse(cpu) & X86_XCR0;
	else
		sem_gp(cpu);
	cpu->gpr[X86_RAX] = (uint32_t)v;
	cpu->gpr[X86_RDX] = v >> 32;
}

#define SEM_SYSTEM_OPS(X)                                                                \
	X(SYSCALL) X(INT) X(INT3) X(INT1) X(UD0) X(UD1) X(UD2) X(CPUID) X(RDTSC) X(RDTSCP) \
	X(RDRAND) X(RDSEED) X(RDPID) X(NOP) X(PAUSE) X(ENDBR64) X(ENDBR32) X(PREFETCH)    \
	X(PREFETCHW) X(LFENCE) X(SFENCE) X(MFENCE) X(CLFLUSH) X(CLFLUSHOPT) X(CLWB)       \
	X(CLDEMOTE) X(RDFSBASE) X(RDGSBASE) X(WRFSBASE) X(WRGSBASE) X(FXSAVE) X(FXRSTOR)  \
	X(XSAVE) X(XSAVEOPT) X(XSAVEC) X(XRSTOR) X(XGETBV) X(LDMXCSR) X(STMXCSR)

#endif
