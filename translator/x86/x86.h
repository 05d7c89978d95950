/* x86.h — the x86-64 guest: decoder, CPU state, semantics, interpreter.
 *
 * This is the one public header of translator/x86. The runtime (xlate) and
 * the AOT compiler (xlatec) include it; semantics headers (sem_*.h) build on
 * it and are shared by the interpreter and the code xlatec generates.
 *
 * Guest memory is identity-mapped: a guest address is a host pointer.
 * Both hosts (x86-64, aarch64) are little-endian, like the guest.
 */
#ifndef XLATE_X86_H
#define XLATE_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "xlate needs a little-endian host"
#endif

/* ------------------------------------------------------------------------ */
/* Operations                                                               */
/* ------------------------------------------------------------------------ */

enum x86_op {
	X86_OP_INVALID = 0,
#define X(name, flags) X86_OP_##name,
#include "translator/x86/ops.def"
#undef X
	X86_OP_COUNT
};

enum x86_op_flags {
	X86_OPF_END = 1 << 0,	/* ends a basic block */
	X86_OPF_PRIV = 1 << 1,	/* privileged: #GP in user mode */
	X86_OPF_NOEXE = 1 << 2, /* decoded only: #UD when executed */
};

extern const uint8_t x86_op_flags[X86_OP_COUNT];
const char *x86_op_name(unsigned op); /* "ADD", ..., "INVALID" */

/* ------------------------------------------------------------------------ */
/* Decoded instructions                                                     */
/* ------------------------------------------------------------------------ */

/* General-purpose registers, in encoding order. */
enum x86_gpr {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};
/* Byte registers AH, CH, DH, BH (encodings 4-7 without REX) are numbered
 * X86_AH + k and name bits 8-15 of register k. */
#define X86_AH 16
/* Memory operand base/index values besides a GPR. */
#define X86_REG_NONE 0xff
#define X86_REG_RIP 0xfe

enum x86_opnd_kind {
	X86_OPND_NONE = 0,
	X86_OPND_GPR,	/* reg: 0-15, or X86_AH+k for a high byte register */
	X86_OPND_MEM,	/* the instruction's memory operand (there is at most one) */
	X86_OPND_IMM,	/* insn->imm (second immediate of ENTER/EXTRQ: insn->imm2) */
	X86_OPND_REL,	/* branch target: next RIP + insn->imm */
	X86_OPND_XMM,	/* reg 0-15; size 16, or 32 for a YMM register */
	X86_OPND_MMX,	/* reg 0-7 */
	X86_OPND_ST,	/* x87 ST(reg) */
	X86_OPND_SEG,	/* reg: ES=0 CS SS DS FS GS */
	X86_OPND_CR,	/* control register (privileged forms) */
	X86_OPND_DR,	/* debug register (privileged forms) */
};

struct x86_opnd {
	uint8_t kind; /* enum x86_opnd_kind */
	uint8_t size; /* bytes accessed: 1 2 4 8 10 16 32; for MEM the access size
		       * (0 for LEA, prefetch, and other address-only uses) */
	uint8_t reg;
};

/* insn->prefix bits */
enum x86_prefix {
	X86_PFX_LOCK = 1 << 0,
	X86_PFX_REP = 1 << 1,	/* F3 on string ops */
	X86_PFX_REPNE = 1 << 2, /* F2 on string ops */
	X86_PFX_OPSIZE = 1 << 3, /* 66 seen */
	X86_PFX_ADDRSIZE = 1 << 4, /* 67 seen: 32-bit addressing */
	X86_PFX_REX = 1 << 5,	/* any REX prefix seen */
	X86_PFX_VEX = 1 << 6,	/* VEX-encoded */
	X86_PFX_VEX_W = 1 << 7, /* REX.W or VEX.W */
};

enum x86_seg { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
	       X86_SEG_NONE = 0xff };

/* One decoded instruction. Operands are in Intel order (destination
 * first). SSE and AVX arithmetic always has three operands (dst, src1,
 * src2); legacy encodings repeat dst as src1. */
struct x86_insn {
	uint16_t op;	   /* enum x86_op */
	uint8_t len;	   /* 1..15 bytes */
	uint8_t nopnd;	   /* operands used in opnd[] */
	uint8_t opsize;	   /* effective operand size: 1, 2, 4 or 8 bytes */
	uint8_t addrsize;  /* 4 or 8 */
	uint8_t prefix;	   /* enum x86_prefix */
	uint8_t seg;	   /* FS/GS override, or X86_SEG_NONE (others are no-ops in 64-bit mode) */
	uint8_t cond;	   /* condition 0-15 (O NO B AE E NE BE A S NS P NP L GE LE G) for JCC,
			    * SETCC, CMOVCC, FCMOVCC; FMA order 132/213/231 as 1/2/3 for VFM* */
	uint8_t vex_l;	   /* VEX.L: 0 for 128-bit, 1 for 256-bit */
	uint8_t mem_base;  /* GPR, X86_REG_RIP, or X86_REG_NONE */
	uint8_t mem_index; /* GPR or X86_REG_NONE (VSIB: XMM index register number) */
	uint8_t mem_scale; /* 1, 2, 4, 8 */
	uint8_t imm2;	   /* second immediate (ENTER level, EXTRQ/INSERTQ index) */
	int64_t disp; /* displacement; MOV moffs (A0-A3): the absolute address */
	int64_t imm; /* sign- or zero-extended as the instruction defines */
	struct x86_opnd opnd[4];
};

/* Decodes one instruction from at most `avail` bytes at `code`.
 * Returns its length (1..15), X86_DECODE_SHORT when `avail` bytes end
 * inside the instruction, or X86_DECODE_INVALID for an encoding that raises
 * #UD (then insn->len is the length consumed up to the error, at least 1). */
#define X86_DECODE_SHORT (-1)
#define X86_DECODE_INVALID (-2)
int x86_decode(const uint8_t *code, size_t avail, struct x86_insn *insn);

/* Writes Intel-syntax text for `insn` at `rip` into buf; returns buf. */
char *x86_format(const struct x86_insn *insn, uint64_t rip, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Guest CPU state                                                          */
/* ------------------------------------------------------------------------ */

union x86_vec {
	uint8_t u8[16];
	uint16_t u16[8];
	uint32_t u32[4];
	uint64_t u64[2];
	int8_t i8[16];
	int16_t i16[8];
	int32_t i32[4];
	int64_t i64[2];
	float f32[4];
	double f64[2];
};

/* An x87 register: 80-bit extended precision, explicit integer bit. */
struct x86_f80 {
	uint64_t mant;
	uint16_t sexp; /* sign in bit 15, biased exponent in bits 0-14 */
};

/* Guest (x86-64 Linux) signal numbers and si_code values that faults use;
 * spelled out because generated image code includes no libc headers. */
enum x86_signo { X86_SIGILL = 4, X86_SIGTRAP = 5, X86_SIGBUS = 7, X86_SIGFPE = 8,
		 X86_SIGSEGV = 11 };
enum x86_si_code {
	X86_ILL_ILLOPN = 2, X86_ILL_PRVOPC = 5,
	X86_FPE_INTDIV = 1, X86_FPE_INTOVF = 2, X86_FPE_FLTDIV = 3, X86_FPE_FLTOVF = 4,
	X86_FPE_FLTUND = 5, X86_FPE_FLTRES = 6, X86_FPE_FLTINV = 7,
	X86_SEGV_MAPERR = 1, X86_SEGV_ACCERR = 2, X86_BUS_ADRALN = 1, X86_TRAP_BRKPT = 1,
	X86_SI_KERNEL = 0x80,
};

/* The fault an instruction raised, for the runtime to deliver. */
struct x86_fault {
	int signo;	  /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	int code;	  /* si_code: SEGV_MAPERR, ILL_ILLOPN, FPE_INTDIV, ... */
	uint64_t addr;	  /* si_addr */
	uint64_t trapno;  /* x86 vector: 0 #DE, 6 #UD, 13 #GP, 14 #PF, 3 #BP, ... */
	uint64_t err;	  /* error code as the kernel reports it in sigcontext */
};

struct cpu {
	uint64_t gpr[16];
	uint64_t rip; /* address of the instruction executing (see x86_run) */

	/* Arithmetic flags, one byte each holding 0 or 1, so that flags
	 * nobody reads are dead stores the C compiler removes from translated
	 * code. RFLAGS is assembled on demand (x86_get_rflags). */
	uint8_t cf, pf, af, zf, sf, of, df;
	uint8_t ac, id; /* RFLAGS.AC (bit 18) and RFLAGS.ID (bit 21): guests toggle them */

	uint64_t fs_base, gs_base;

	/* SSE/AVX: xmm[i] is the low half of YMMi, ymmh[i] the high half. */
	union x86_vec xmm[16];
	union x86_vec ymmh[16];
	uint32_t mxcsr;

	/* x87 and MMX. fpr[] is indexed by physical register; ST(i) is
	 * fpr[(ftop + i) & 7]; MMi is fpr[i].mant. */
	struct x86_f80 fpr[8];
	uint16_t fcw;	/* control word */
	uint16_t fsw;	/* status word, TOP bits (11-13) kept in ftop instead */
	uint16_t ftw;	/* tag word, 2 bits per physical register (11 = empty) */
	uint8_t ftop;
	uint16_t fop;	/* last x87 opcode */
	uint64_t fip, fdp; /* last x87 instruction and data pointers */

	/* Set when x86_run returns X86_EXIT_FAULT. */
	struct x86_fault fault;

	/* Set (to nonzero, from any thread or a signal handler) to make
	 * x86_run return X86_EXIT_INTERRUPT at the next block boundary.
	 * Accessed only through x86_interrupt/x86_set_interrupt: the field
	 * is not volatile because a struct with a volatile member is never
	 * kept in registers (GCC's scalar replacement refuses it), and
	 * translated code works on a local struct cpu it must keep there. */
	int interrupt;

	/* Private to the interpreter: where x86_raise and host faults unwind to. */
	void *jmp;
	/* Owned by the runtime (its per-thread state). */
	void *host;
};

static inline int x86_interrupt(const struct cpu *cpu)
{
	return __atomic_load_n(&cpu->interrupt, __ATOMIC_RELAXED);
}

static inline void x86_set_interrupt(struct cpu *cpu, int v)
{
	__atomic_store_n(&cpu->interrupt, v, __ATOMIC_RELAXED);
}

/* Resets `cpu` to the state of a new x86-64 Linux process (FCW 0x37f,
 * MXCSR 0x1f80, empty x87 stack, flags clear). */
void x86_cpu_init(struct cpu *cpu);

/* RFLAGS as the guest sees it (pushf, signal frames), and back (popf,
 * sigreturn: only user-changeable bits are taken). */
uint64_t x86_get_rflags(const struct cpu *cpu);
void x86_set_rflags(struct cpu *cpu, uint64_t rflags);

/* x87 status word with TOP merged in, and the reverse. */
uint16_t x86_get_fsw(const struct cpu *cpu);
void x86_set_fsw(struct cpu *cpu, uint16_t fsw);

/* FXSAVE-format image (512 bytes) of the x87/SSE state, and the reverse;
 * used by FXSAVE/FXRSTOR and by signal frames. */
void x86_fxsave(const struct cpu *cpu, void *area512);
void x86_fxrstor(struct cpu *cpu, const void *area512);

/* ------------------------------------------------------------------------ */
/* The emulated CPU's identity                                              */
/* ------------------------------------------------------------------------ */

/* CPUID as executed by the guest: only features implemented and tested
 * are advertised. out = {eax, ebx, ecx, edx}. */
void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* Space-separated /proc/cpuinfo "flags" matching x86_cpuid. */
const char *x86_cpuinfo_flags(void);

/* ------------------------------------------------------------------------ */
/* The interpreter                                                          */
/* ------------------------------------------------------------------------ */

enum x86_exit {
	X86_EXIT_SYSCALL = 1, /* rip is after the SYSCALL; do it, then run again */
	X86_EXIT_FAULT,	      /* cpu->fault says what; rip is the faulting insn */
	X86_EXIT_INTERRUPT,   /* cpu->interrupt was set; rip is the next insn */
};

/* Runs guest code from cpu->rip until one of enum x86_exit happens.
 * While an instruction's semantics run, cpu->rip is that instruction's
 * address; the next instruction's address is cpu->rip + insn->len. */
int x86_run(struct cpu *cpu);

/* Hooks the runtime provides (all may stay NULL in a bare test harness). */
struct x86_hooks {
	/* Called the first time code is decoded from a guest page; the
	 * runtime write-protects the page if the guest may write it, so that
	 * a later write reaches x86_code_write_fault (self-modifying code). */
	void (*code_page)(uint64_t page);
	/* Called at every block boundary before the interpreter runs the
	 * block at cpu->rip: runs translated code from there while there is
	 * some (pretranslated images). Returns 0 for the interpreter to go on
	 * at cpu->rip, else an enum x86_exit for x86_run to return. Runs as
	 * guest code: a fault in it reaches x86_host_fault, which unwinds to
	 * cpu->jmp (the hook sets its own there). */
	int (*run_translated)(struct cpu *cpu);
};
extern struct x86_hooks x86_hooks;

/* Drops every decoded block overlapping [addr, addr + len): call on
 * munmap, mprotect and mremap of guest memory, and on code writes. */
void x86_invalidate(uint64_t addr, uint64_t len);

/* Around fork(2) of a process whose other threads may be inside the
 * interpreter: prepare takes its locks so that the child's copy of them
 * is consistent; the child reinitialises them and forgets the threads it
 * did not inherit (they would hold back the freeing of blocks forever). */
void x86_fork_prepare(void);
void x86_fork_parent(void);
void x86_fork_child(void);

/* What the interpreter ran in this process (a fork child starts from
 * zero): blocks, and their instructions up to the end or a taken side
 * exit (a block cut short by a fault is not counted). */
void x86_interp_counts(uint64_t *blocks, uint64_t *insns);

/* A vfork child (CLONE_VM without a TLS of its own) runs the interpreter
 * on the thread-local state of its parent, which is suspended meanwhile:
 * the parent saves that state before and restores it after, whatever
 * the child did or died doing. */
struct x86_thread_saved {
	struct cpu *cpu;
	int phase;
	uint64_t active_gen;
};
void x86_thread_save(struct x86_thread_saved *s);
void x86_thread_restore(const struct x86_thread_saved *s);

/* For the runtime's SIGSEGV/SIGBUS handler: if the current thread is
 * executing guest code and the fault came from a guest memory access,
 * records it as cpu->fault and unwinds x86_run, which returns
 * X86_EXIT_FAULT. Returns only when the fault was not the guest's. */
void x86_host_fault(int signo, void *siginfo, void *ucontext);

/* Raises a fault from semantics (#UD, #DE, #GP, ...): fills cpu->fault,
 * sets cpu->rip to the faulting instruction, unwinds x86_run. */
_Noreturn void x86_raise(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno);
/* The same with the error code the kernel reports in sigcontext.err
 * (INT n: vector * 8 + 2; page faults: PF_* bits). x86_raise passes 0. */
_Noreturn void x86_raise_err(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno,
			     uint64_t err);

#endif
