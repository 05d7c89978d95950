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
 * Both return -1 where the instruction raises #GP (alignment, header).
 * Without REX.W, FIP and FDP are saved and restored as 32-bit values. */
enum x86_xsave_kind { X86_XSAVE, X86_XSAVEOPT, X86_XSAVEC };
uint64_t x86_xinuse(const struct cpu *cpu);
int x86_xsave(const struct cpu *cpu, uint64_t addr, uint64_t rfbm, enum x86_xsave_kind kind,
	      bool rex_w);
int x86_xrstor(struct cpu *cpu, uint64_t addr, uint64_t rfbm, bool rex_w);

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

SEM_INLINE void sem_UD0(struct cpu *cpu, const struct x86_insn *in)
{
	sem_ud(cpu);
}
SEM_INLINE void sem_UD1(struct cpu *cpu, const struct x86_insn *in)
{
	sem_ud(cpu);
}
SEM_INLINE void sem_UD2(struct cpu *cpu, const struct x86_insn *in)
{
	sem_ud(cpu);
}

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

SEM_INLINE void sem_NOP(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_PAUSE(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_ENDBR64(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_ENDBR32(struct cpu *cpu, const struct x86_insn *in)
{
}
/* With no shadow stack enabled (Linux gives user space none unless the
 * program asks, and CPUID does not offer CET) RDSSP is a NOP that leaves
 * its register alone: libgcc's unwinder zeroes it, runs RDSSP and uses
 * the shadow stack only when it became nonzero. */
SEM_INLINE void sem_RDSSP(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_PREFETCH(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_PREFETCHW(struct cpu *cpu, const struct x86_insn *in)
{
}
SEM_INLINE void sem_CLDEMOTE(struct cpu *cpu, const struct x86_insn *in)
{
}

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

/* ---- descriptor tables and segments, as a Linux process sees them ----
 * With UMIP (on every recent CPU) the kernel emulates SGDT, SIDT, SMSW,
 * SLDT and STR for user space with fixed dummy values; we return those.
 * The register forms write at most 4 bytes (SMSW r64: 8), keeping the
 * rest of the register, as that emulation does. */

#define X86_UMIP_GDT_BASE 0xfffffffffffe0000ull
#define X86_UMIP_IDT_BASE 0xffffffffffff0000ull
#define X86_UMIP_CR0	  0x80050033u
#define X86_UMIP_TR	  0x40u

SEM_INLINE void sem_desc_table(struct cpu *cpu, const struct x86_insn *in, uint64_t base)
{
	uint8_t b[10] = {0};
	memcpy(b + 2, &base, 8);
	sem_store_bytes(sem_ea(cpu, in), b, 10);
}

SEM_INLINE void sem_SGDT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_desc_table(cpu, in, X86_UMIP_GDT_BASE);
}

SEM_INLINE void sem_SIDT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_desc_table(cpu, in, X86_UMIP_IDT_BASE);
}

/* Stores a UMIP dummy value: 2 bytes to memory, min(size, 4) bytes (all 8
 * when `full`) into a register, the rest of which is kept. */
SEM_INLINE void sem_umip_store(struct cpu *cpu, const struct x86_insn *in, uint32_t v, bool full)
{
	const struct x86_opnd *o = &in->opnd[0];
	if (o->kind == X86_OPND_MEM) {
		sem_store(sem_ea(cpu, in), 2, v);
	} else if (o->size == 8 && full) {
		cpu->gpr[o->reg] = v;
	} else {
		uint64_t m = o->size >= 4 ? 0xffffffffull : sem_mask(o->size);
		cpu->gpr[o->reg] = (cpu->gpr[o->reg] & ~m) | (v & m);
	}
}

SEM_INLINE void sem_SMSW(struct cpu *cpu, const struct x86_insn *in)
{
	sem_umip_store(cpu, in, X86_UMIP_CR0, true);
}

SEM_INLINE void sem_SLDT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_umip_store(cpu, in, 0, false);
}

SEM_INLINE void sem_STR(struct cpu *cpu, const struct x86_insn *in)
{
	sem_umip_store(cpu, in, X86_UMIP_TR, false);
}

/* The user descriptors of Linux's GDT, by index (selector >> 3): 4 is
 * 32-bit code (0x23), 5 data (0x2b), 6 64-bit code (0x33), 15 the CPU
 * number segment whose limit is node << 12 | cpu (0x7b, for vgetcpu).
 * Returns the access-rights word LAR reports, 0 for no usable descriptor;
 * RPL does not matter (every one has DPL 3). */
SEM_INLINE uint32_t sem_user_desc(uint16_t sel)
{
	if (sel & 4) /* LDT: none */
		return 0;
	switch (sel >> 3) {
	case 4: return 0xcffb00;
	case 5: return 0xcff300;
	case 6: return 0xaffb00;
	case 15: return 0x40f500;
	default: return 0;
	}
}

/* LAR and LSL: ZF = 1 and the destination written for a usable
 * descriptor, ZF = 0 and the destination kept otherwise. */
SEM_INLINE void sem_LAR(struct cpu *cpu, const struct x86_insn *in)
{
	uint32_t ar = sem_user_desc((uint16_t)sem_read(cpu, in, 1));
	cpu->zf = ar != 0;
	if (ar)
		sem_write(cpu, in, 0, ar & (in->opnd[0].size == 2 ? 0xff00u : 0xffff00u));
}

SEM_INLINE void sem_LSL(struct cpu *cpu, const struct x86_insn *in)
{
	uint16_t sel = (uint16_t)sem_read(cpu, in, 1);
	uint32_t ar = sem_user_desc(sel);
	cpu->zf = ar != 0;
	if (ar)
		sem_write(cpu, in, 0, sel >> 3 == 15 ? x86_tsc_aux() : 0xffffffffu);
}

/* VERR: every user descriptor is readable; VERW: only the data one. */
SEM_INLINE void sem_VERR(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->zf = sem_user_desc((uint16_t)sem_read(cpu, in, 0)) != 0;
}

SEM_INLINE void sem_VERW(struct cpu *cpu, const struct x86_insn *in)
{
	cpu->zf = sem_user_desc((uint16_t)sem_read(cpu, in, 0)) == 0xcff300;
}

/* The requested-feature bitmap EDX:EAX. */
SEM_INLINE uint64_t sem_xsave_rfbm(const struct cpu *cpu)
{
	return ((uint64_t)(uint32_t)cpu->gpr[X86_RDX] << 32 | (uint32_t)cpu->gpr[X86_RAX]) &
	       X86_XCR0;
}

SEM_INLINE void sem_xsave(struct cpu *cpu, const struct x86_insn *in, enum x86_xsave_kind k)
{
	if (x86_xsave(cpu, sem_ea(cpu, in), sem_xsave_rfbm(cpu), k, in->prefix & X86_PFX_VEX_W))
		sem_gp(cpu);
}

SEM_INLINE void sem_XSAVE(struct cpu *cpu, const struct x86_insn *in)
{
	sem_xsave(cpu, in, X86_XSAVE);
}
SEM_INLINE void sem_XSAVEOPT(struct cpu *cpu, const struct x86_insn *in)
{
	sem_xsave(cpu, in, X86_XSAVEOPT);
}
SEM_INLINE void sem_XSAVEC(struct cpu *cpu, const struct x86_insn *in)
{
	sem_xsave(cpu, in, X86_XSAVEC);
}

SEM_INLINE void sem_XRSTOR(struct cpu *cpu, const struct x86_insn *in)
{
	if (x86_xrstor(cpu, sem_ea(cpu, in), sem_xsave_rfbm(cpu), in->prefix & X86_PFX_VEX_W))
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

// clang-format off
#define SEM_SYSTEM_OPS(X) \
	X(SYSCALL) X(INT) X(INT3) X(INT1) X(UD0) X(UD1) X(UD2) X(CPUID) X(RDTSC) X(RDTSCP) \
	X(RDRAND) X(RDSEED) X(RDPID) X(NOP) X(PAUSE) X(ENDBR64) X(ENDBR32) X(RDSSP) X(PREFETCH) \
	X(PREFETCHW) X(LFENCE) X(SFENCE) X(MFENCE) X(CLFLUSH) X(CLFLUSHOPT) X(CLWB) \
	X(CLDEMOTE) X(RDFSBASE) X(RDGSBASE) X(WRFSBASE) X(WRGSBASE) X(FXSAVE) X(FXRSTOR) \
	X(XSAVE) X(XSAVEOPT) X(XSAVEC) X(XRSTOR) X(XGETBV) X(LDMXCSR) X(STMXCSR) X(SGDT) \
	X(SIDT) X(SMSW) X(SLDT) X(STR) X(LAR) X(LSL) X(VERR) X(VERW)
// clang-format on

#endif
