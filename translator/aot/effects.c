/* effects.c — what the lifter must know about an instruction beyond its
 * semantics: how it transfers control, which arithmetic flags it reads and
 * always overwrites, whether it may fault, whether it writes guest memory
 * (and whether it reads any), and which parts of the CPU state it uses.
 *
 * Everything here errs on the safe side: an op not listed reads every
 * flag, overwrites none, may fault, (with a memory operand) both reads
 * and writes memory, and may write every register and flag. A wrong
 * "kill", "pure store" or write set would make the synchronised state
 * inexact, so only ops whose semantics plainly do so are listed.
 */
#include "config.h"

#include <string.h>

#include "translator/aot/aot.h"
#include "translator/x86/sem_alu.h"
#include "translator/x86/sem_branch.h"
#include "translator/x86/sem_move.h"
#include "translator/x86/sem_shift.h"
#include "translator/x86/sem_simd_int.h"
#include "translator/x86/sem_sse.h"
#include "translator/x86/sem_system.h"
#include "translator/x86/sem_x87.h"

/* Which semantics header implements an op. */
enum sect { S_NONE, S_INT, S_BRANCH, S_SYSTEM, S_SIMD_INT, S_SSE, S_X87 };

static uint8_t sect_of[X86_OP_COUNT];
static uint8_t op_bits[X86_OP_COUNT];

/* op_bits */
enum {
	B_NOWRITE0 = 1 << 0,   /* operand 0 is only read (CMP, TEST, PUSH ...) */
	B_WRITEONLY0 = 1 << 1, /* a memory operand 0 is only written (MOV [m], r ...) */
	B_ISTORE = 1 << 2,     /* writes memory besides operand 0 (stack, strings) */
	B_ILOAD = 1 << 3,      /* reads memory besides its operands (stack, strings) */
	B_NOFAULT = 1 << 4,    /* raises nothing without a memory operand */
	B_ON_REAL = 1 << 5,    /* passes the cpu to an out-of-line function */
};

// clang-format off
static const uint16_t nowrite0[] = {
	X86_OP_CMP, X86_OP_TEST, X86_OP_BT, X86_OP_PUSH, X86_OP_JMP, X86_OP_JCC, X86_OP_CALL,
	X86_OP_COMISS, X86_OP_COMISD, X86_OP_UCOMISS, X86_OP_UCOMISD, X86_OP_PTEST,
	X86_OP_PREFETCH, X86_OP_PREFETCHW, X86_OP_LDMXCSR, X86_OP_NOP,
};
static const uint16_t writeonly0[] = {
	X86_OP_MOV, X86_OP_MOVNTI, X86_OP_MOVBE, X86_OP_SETCC, X86_OP_MOVAPS, X86_OP_MOVUPS,
	X86_OP_MOVAPD, X86_OP_MOVUPD, X86_OP_MOVNTPS, X86_OP_MOVNTPD, X86_OP_MOVNTSS,
	X86_OP_MOVNTSD, X86_OP_MOVSS, X86_OP_MOVSD, X86_OP_MOVLPS, X86_OP_MOVHPS, X86_OP_MOVLPD,
	X86_OP_MOVHPD, X86_OP_MOVDQA, X86_OP_MOVDQU, X86_OP_MOVNTDQ, X86_OP_MOVNTQ, X86_OP_MOVQ,
	X86_OP_MOVD, X86_OP_STMXCSR,
};
static const uint16_t istore[] = {
	X86_OP_PUSH, X86_OP_PUSHF, X86_OP_CALL, X86_OP_ENTER, X86_OP_MOVS, X86_OP_STOS,
	X86_OP_XCHG, X86_OP_XADD, X86_OP_CMPXCHG, X86_OP_CMPXCHG8B, X86_OP_CMPXCHG16B,
	X86_OP_MASKMOVQ, X86_OP_MASKMOVDQU, X86_OP_FXSAVE, X86_OP_XSAVE, X86_OP_XSAVEOPT,
	X86_OP_XSAVEC, X86_OP_FNSAVE, X86_OP_FNSTENV,
};
static const uint16_t iload[] = {
	X86_OP_POP, X86_OP_POPF, X86_OP_RET, X86_OP_LEAVE, X86_OP_ENTER, X86_OP_MOVS, X86_OP_LODS,
	X86_OP_CMPS, X86_OP_SCAS, X86_OP_XLAT, X86_OP_FXRSTOR, X86_OP_XRSTOR, X86_OP_FRSTOR,
	X86_OP_FLDENV,
};
/* Integer ops that fault only through memory (DIV/IDIV raise #DE; the
 * branch ops #GP on a non-canonical target; MOV_SEG #GP). */
static const uint16_t nofault_excluded[] = {
	X86_OP_DIV, X86_OP_IDIV, X86_OP_MOV_SEG, X86_OP_JMP, X86_OP_CALL, X86_OP_RET,
	X86_OP_POPF,
};
/* Semantics that hand the cpu to out-of-line functions (x86_get_rflags,
 * x86_xsave, ...): the lifter runs them on the real cpu, so that the
 * region's local copy of the state never escapes. */
static const uint16_t on_real[] = {
	X86_OP_PUSHF, X86_OP_POPF, X86_OP_SYSCALL, X86_OP_FXSAVE, X86_OP_FXRSTOR, X86_OP_XSAVE,
	X86_OP_XSAVEOPT, X86_OP_XSAVEC, X86_OP_XRSTOR, X86_OP_XGETBV,
};

/* Flags (reads, always-writes) of integer ops; DF for string ops. */
static const struct { uint16_t op; uint8_t rd, kill; } flag_tab[] = {
	{X86_OP_ADD, 0, 0x3f}, {X86_OP_OR, 0, 0x3f}, {X86_OP_ADC, FL_CF, 0x3f},
	{X86_OP_SBB, FL_CF, 0x3f}, {X86_OP_AND, 0, 0x3f}, {X86_OP_SUB, 0, 0x3f},
	{X86_OP_XOR, 0, 0x3f}, {X86_OP_CMP, 0, 0x3f}, {X86_OP_TEST, 0, 0x3f},
	{X86_OP_NEG, 0, 0x3f}, {X86_OP_INC, 0, 0x3e}, {X86_OP_DEC, 0, 0x3e},
	{X86_OP_MUL, 0, 0x3f}, {X86_OP_IMUL, 0, 0x3f}, {X86_OP_XADD, 0, 0x3f},
	{X86_OP_CMPXCHG, 0, 0x3f}, {X86_OP_RCL, FL_CF, 0}, {X86_OP_RCR, FL_CF, 0},
	{X86_OP_ADCX, FL_CF, 0}, {X86_OP_ADOX, FL_OF, 0}, {X86_OP_CLC, 0, FL_CF},
	{X86_OP_STC, 0, FL_CF}, {X86_OP_CMC, FL_CF, FL_CF}, {X86_OP_CLD, 0, FL_DF},
	{X86_OP_STD, 0, FL_DF}, {X86_OP_SAHF, 0, 0x1f /* SF ZF AF PF CF */},
	{X86_OP_LAHF, 0x1f, 0}, {X86_OP_PUSHF, FL_ALL, 0}, {X86_OP_POPF, 0, FL_ALL},
	{X86_OP_MOVS, FL_DF, 0}, {X86_OP_STOS, FL_DF, 0}, {X86_OP_LODS, FL_DF, 0},
	{X86_OP_CMPS, FL_DF | FL_ZF, 0}, {X86_OP_SCAS, FL_DF | FL_ZF, 0},
	{X86_OP_LOOPE, FL_ZF, 0}, {X86_OP_LOOPNE, FL_ZF, 0},
	{X86_OP_COMISS, 0, 0x3f}, {X86_OP_COMISD, 0, 0x3f}, {X86_OP_UCOMISS, 0, 0x3f},
	{X86_OP_UCOMISD, 0, 0x3f}, {X86_OP_PTEST, 0, 0x3f},
};
/* Ops of the integer and branch sections that write no flags (and read
 * none, but for what flag_tab and the condition codes say). */
static const uint16_t no_flags[] = {
	X86_OP_NOT, X86_OP_CBW, X86_OP_CWD, X86_OP_MOV, X86_OP_MOVZX, X86_OP_MOVSX, X86_OP_MOVSXD,
	X86_OP_MOVBE, X86_OP_MOVNTI, X86_OP_LEA, X86_OP_XCHG, X86_OP_XLAT, X86_OP_PUSH, X86_OP_POP,
	X86_OP_ENTER, X86_OP_LEAVE, X86_OP_BSWAP, X86_OP_MULX, X86_OP_PDEP, X86_OP_PEXT,
	X86_OP_RORX, X86_OP_SARX, X86_OP_SHLX, X86_OP_SHRX, X86_OP_JMP, X86_OP_CALL, X86_OP_RET,
	X86_OP_JCC, X86_OP_JRCXZ, X86_OP_LOOP, X86_OP_LOOPE, X86_OP_LOOPNE,
	X86_OP_CRC32,
	X86_OP_NOP, X86_OP_ENDBR64, X86_OP_ENDBR32, X86_OP_PAUSE, X86_OP_PREFETCH,
	X86_OP_PREFETCHW, X86_OP_LFENCE, X86_OP_SFENCE, X86_OP_MFENCE,
};
/* Registers integer and branch ops write besides their GPR operands (the
 * semantics name them as X86_R*); every other op of those sections writes
 * only its operands. */
#define R(r) (1u << X86_##r)
static const struct { uint16_t op; uint32_t regs; } implicit_tab[] = {
	{X86_OP_MUL, R(RAX) | R(RDX)}, {X86_OP_IMUL, R(RAX) | R(RDX)},
	{X86_OP_DIV, R(RAX) | R(RDX)}, {X86_OP_IDIV, R(RAX) | R(RDX)},
	{X86_OP_CBW, R(RAX)}, {X86_OP_CWD, R(RDX)}, {X86_OP_CMPXCHG, R(RAX)},
	{X86_OP_CMPXCHG8B, R(RAX) | R(RDX)}, {X86_OP_CMPXCHG16B, R(RAX) | R(RDX)},
	{X86_OP_XLAT, R(RAX)}, {X86_OP_LAHF, R(RAX)},
	{X86_OP_PUSH, R(RSP)}, {X86_OP_POP, R(RSP)}, {X86_OP_PUSHF, R(RSP)},
	{X86_OP_POPF, R(RSP) | ST_MISC}, {X86_OP_ENTER, R(RSP) | R(RBP)},
	{X86_OP_LEAVE, R(RSP) | R(RBP)}, {X86_OP_CALL, R(RSP)}, {X86_OP_RET, R(RSP)},
	{X86_OP_MOVS, R(RSI) | R(RDI) | R(RCX) | R(RAX)},
	{X86_OP_CMPS, R(RSI) | R(RDI) | R(RCX) | R(RAX)},
	{X86_OP_STOS, R(RSI) | R(RDI) | R(RCX) | R(RAX)},
	{X86_OP_LODS, R(RSI) | R(RDI) | R(RCX) | R(RAX)},
	{X86_OP_SCAS, R(RSI) | R(RDI) | R(RCX) | R(RAX)},
	{X86_OP_JRCXZ, R(RCX)}, {X86_OP_LOOP, R(RCX)}, {X86_OP_LOOPE, R(RCX)},
	{X86_OP_LOOPNE, R(RCX)}, {X86_OP_MOV_SEG, ST_MISC},
	/* SSE string compares: the index in ECX. */
	{X86_OP_PCMPESTRI, R(RCX)}, {X86_OP_PCMPISTRI, R(RCX)},
};
#undef R
/* The only MMX/SSE ops that write the arithmetic flags. */
static const uint16_t simd_flags[] = {
	X86_OP_COMISS, X86_OP_COMISD, X86_OP_UCOMISS, X86_OP_UCOMISD, X86_OP_PTEST,
	X86_OP_PCMPESTRI, X86_OP_PCMPESTRM, X86_OP_PCMPISTRI, X86_OP_PCMPISTRM,
};
/* System ops that write nothing at all. */
static const uint16_t sys_none[] = {
	X86_OP_NOP, X86_OP_PAUSE, X86_OP_ENDBR64, X86_OP_ENDBR32, X86_OP_PREFETCH,
	X86_OP_PREFETCHW, X86_OP_LFENCE, X86_OP_SFENCE, X86_OP_MFENCE, X86_OP_CLFLUSH,
	X86_OP_CLFLUSHOPT, X86_OP_CLWB,
};
// clang-format on

static uint8_t flag_rd[X86_OP_COUNT], flag_kill[X86_OP_COUNT];
/* ST_* an op writes besides its operands and its classes (see writes_of). */
static uint32_t op_writes[X86_OP_COUNT];
static bool tables_ready;

static void set_bits(const uint16_t *ops, size_t n, uint8_t bit)
{
	for (size_t i = 0; i < n; i++)
		op_bits[ops[i]] |= bit;
}

#define SET(list, bit) set_bits(list, sizeof list / sizeof *list, bit)

static void tables_init(void)
{
#define X_INT(name)	 sect_of[X86_OP_##name] = S_INT;
#define X_BRANCH(name)	 sect_of[X86_OP_##name] = S_BRANCH;
#define X_SYSTEM(name)	 sect_of[X86_OP_##name] = S_SYSTEM;
#define X_SIMD_INT(name) sect_of[X86_OP_##name] = S_SIMD_INT;
#define X_SSE(name)	 sect_of[X86_OP_##name] = S_SSE;
#define X_X87(name)	 sect_of[X86_OP_##name] = S_X87;
	SEM_ALU_OPS(X_INT)
	SEM_SHIFT_OPS(X_INT)
	SEM_MOVE_OPS(X_INT)
	SEM_BRANCH_OPS(X_BRANCH)
	SEM_SYSTEM_OPS(X_SYSTEM)
	SEM_SIMD_INT_OPS(X_SIMD_INT)
	SEM_SSE_OPS(X_SSE)
	SEM_X87_OPS(X_X87)
	SET(nowrite0, B_NOWRITE0);
	SET(writeonly0, B_WRITEONLY0);
	SET(istore, B_ISTORE);
	SET(iload, B_ILOAD);
	SET(on_real, B_ON_REAL);
	for (unsigned op = 0; op < X86_OP_COUNT; op++) {
		if (sect_of[op] == S_INT)
			op_bits[op] |= B_NOFAULT;
		/* x87 semantics report exceptions through x87.c (with the cpu). */
		if (sect_of[op] == S_X87)
			op_bits[op] |= B_ON_REAL;
		/* Unknown ops read every flag and may write any. */
		flag_rd[op] = FL_ALL;
		/* MMX/SSE/x87 arithmetic never reads the arithmetic flags. */
		if (sect_of[op] == S_SIMD_INT || sect_of[op] == S_SSE || sect_of[op] == S_X87)
			flag_rd[op] = 0;
	}
	flag_rd[X86_OP_FCMOVCC] = FL_CF | FL_ZF | FL_PF;
	for (size_t i = 0; i < sizeof nofault_excluded / sizeof *nofault_excluded; i++)
		op_bits[nofault_excluded[i]] &= (uint8_t)~B_NOFAULT;
	for (size_t i = 0; i < sizeof no_flags / sizeof *no_flags; i++)
		flag_rd[no_flags[i]] = 0;
	for (size_t i = 0; i < sizeof flag_tab / sizeof *flag_tab; i++) {
		flag_rd[flag_tab[i].op] = flag_tab[i].rd;
		flag_kill[flag_tab[i].op] = flag_tab[i].kill;
	}
	for (unsigned op = 0; op < X86_OP_COUNT; op++) {
		switch (sect_of[op]) {
		case S_INT:
		case S_BRANCH: op_writes[op] = ST_FLAGS(FL_ALL & ~FL_DF); break;
		case S_SIMD_INT:
		case S_SSE: op_writes[op] = 0; break;
		default: op_writes[op] = ST_STATE | ST_FLAGS(FL_ALL); break;
		}
	}
	for (size_t i = 0; i < sizeof no_flags / sizeof *no_flags; i++)
		op_writes[no_flags[i]] &= ~ST_FLAGS(FL_ALL);
	for (size_t i = 0; i < sizeof simd_flags / sizeof *simd_flags; i++)
		op_writes[simd_flags[i]] |= ST_FLAGS(FL_ALL);
	for (size_t i = 0; i < sizeof sys_none / sizeof *sys_none; i++)
		op_writes[sys_none[i]] = 0;
	for (size_t i = 0; i < sizeof implicit_tab / sizeof *implicit_tab; i++)
		op_writes[implicit_tab[i].op] |= implicit_tab[i].regs;
	/* The only integer ops that write DF. */
	op_writes[X86_OP_CLD] |= ST_FLAGS(FL_DF);
	op_writes[X86_OP_STD] |= ST_FLAGS(FL_DF);
	op_writes[X86_OP_POPF] |= ST_FLAGS(FL_DF);
	tables_ready = true;
}

bool effects_have_sem(unsigned op)
{
	if (!tables_ready)
		tables_init();
	return op < X86_OP_COUNT && sect_of[op] != S_NONE &&
	       !(x86_op_flags[op] & (X86_OPF_PRIV | X86_OPF_NOEXE));
}

/* Flags a condition code reads. */
static uint8_t cond_flags(unsigned cond)
{
	static const uint8_t t[8] = {FL_OF, FL_CF, FL_ZF,	  FL_CF | FL_ZF,
				     FL_SF, FL_PF, FL_SF | FL_OF, FL_ZF | FL_SF | FL_OF};
	return t[(cond >> 1) & 7];
}

uint64_t effects_target(const struct x86_insn *in, uint64_t off)
{
	return off + in->len + (uint64_t)in->imm;
}

/* What an instruction may write: its GPR operands (sources too: a
 * superset), its op's implicit registers and flags, and the vector and
 * x87 state of its classes. */
static uint32_t writes_of(const struct x86_insn *in, uint8_t classes)
{
	uint32_t w = op_writes[in->op];
	for (unsigned i = 0; i < in->nopnd && i < 4; i++) {
		const struct x86_opnd *o = &in->opnd[i];
		/* Loading FS or GS (POP FS, MOV GS, r) resets its base. */
		if (o->kind == X86_OPND_SEG && i == 0 && !(op_bits[in->op] & B_NOWRITE0))
			w |= ST_MISC;
		if (o->kind != X86_OPND_GPR)
			continue;
		w |= 1u << (o->reg >= X86_AH ? o->reg - X86_AH : o->reg);
	}
	if (classes & CL_SSE)
		w |= ST_SSE;
	if (classes & CL_AVX)
		w |= ST_AVX;
	if (classes & CL_X87)
		w |= ST_X87;
	return w;
}

/* The vector registers an instruction may read or write: its XMM
 * operands (the decoder lists the mask of a variable blend among them,
 * XMM0 of the legacy form too) and the result of PCMPxSTRM, XMM0.
 * Instructions run on the real cpu may touch any. */
static uint16_t xmm_of(const struct x86_insn *in, uint8_t bits)
{
	uint16_t m = 0;

	if (bits & B_ON_REAL)
		return 0xffff;
	for (unsigned i = 0; i < in->nopnd && i < 4; i++)
		if (in->opnd[i].kind == X86_OPND_XMM)
			m |= (uint16_t)(1u << (in->opnd[i].reg & 15));
	if (in->op == X86_OP_PCMPESTRM || in->op == X86_OP_PCMPISTRM)
		m |= 1;
	return m;
}

static enum ctl ctl_of(const struct x86_insn *in)
{
	bool rel = in->nopnd && in->opnd[0].kind == X86_OPND_REL;
	switch (in->op) {
	case X86_OP_JMP: return rel ? CTL_JMP : CTL_JMP_IND;
	case X86_OP_JCC: return CTL_JCC;
	case X86_OP_CALL: return rel ? CTL_CALL : CTL_CALL_IND;
	case X86_OP_RET: return CTL_RET;
	case X86_OP_JRCXZ:
	case X86_OP_LOOP:
	case X86_OP_LOOPE:
	case X86_OP_LOOPNE: return CTL_COND;
	case X86_OP_SYSCALL: return CTL_SYSCALL;
	case X86_OP_INT:
	case X86_OP_INT3:
	case X86_OP_INT1: return CTL_TRAP;
	default: return (x86_op_flags[in->op] & X86_OPF_END) ? CTL_STOP : CTL_NONE;
	}
}

void effects_of(const struct x86_insn *in, struct effects *e)
{
	unsigned op = in->op;
	uint8_t bits;
	bool mem_read = false, mem_write = false;

	if (!tables_ready)
		tables_init();
	memset(e, 0, sizeof *e);
	if (!effects_have_sem(op)) {
		e->ctl = CTL_STOP;
		return;
	}
	bits = op_bits[op];
	e->ctl = ctl_of(in);
	e->classes = CL_GPR | CL_SEG | CL_SYS;
	for (unsigned i = 0; i < in->nopnd && i < 4; i++) {
		const struct x86_opnd *o = &in->opnd[i];
		if (o->kind == X86_OPND_XMM)
			e->classes |= CL_SSE;
		if (o->kind == X86_OPND_MMX || o->kind == X86_OPND_ST)
			e->classes |= CL_X87;
		if (o->kind != X86_OPND_MEM || o->size == 0)
			continue;
		if (i == 0 && !(bits & B_NOWRITE0)) {
			mem_write = true;
			mem_read |= !(bits & B_WRITEONLY0);
		} else {
			mem_read = true;
		}
	}
	switch (sect_of[op]) {
	case S_SSE:
	case S_SIMD_INT:
		e->classes |= CL_SSE;
		/* EMMS has no operand, but writes the x87 tag word. */
		if (op == X86_OP_EMMS)
			e->classes |= CL_X87;
		break;
	case S_X87: e->classes |= CL_X87 | CL_SSE; break;
	case S_SYSTEM:
		if (op == X86_OP_LDMXCSR || op == X86_OP_STMXCSR)
			e->classes |= CL_SSE;
		break;
	}
	if (in->prefix & X86_PFX_VEX)
		e->classes |= CL_AVX;
	/* Implicit memory: the stack, string operands, save areas. */
	if (bits & B_ISTORE) {
		/* XCHG, XADD, CMPXCHG write memory only through a memory operand. */
		bool via_opnd = op == X86_OP_XCHG || op == X86_OP_XADD || op == X86_OP_CMPXCHG;
		if (!via_opnd)
			mem_write = true;
		else
			for (unsigned i = 0; i < in->nopnd && i < 4; i++)
				if (in->opnd[i].kind == X86_OPND_MEM)
					mem_write = mem_read = true;
	}
	mem_read |= (bits & B_ILOAD) != 0;
	/* An address-only memory operand elsewhere may stand for an area the
	 * op reads or writes (x87 environment, XSAVE): assume both. */
	if (sect_of[op] != S_INT && sect_of[op] != S_BRANCH && sect_of[op] != S_SSE &&
	    sect_of[op] != S_SIMD_INT) {
		for (unsigned i = 0; i < in->nopnd && i < 4; i++)
			if (in->opnd[i].kind == X86_OPND_MEM && in->opnd[i].size == 0 &&
			    op != X86_OP_PREFETCH && op != X86_OP_PREFETCHW && op != X86_OP_NOP &&
			    op != X86_OP_CLFLUSH && op != X86_OP_CLFLUSHOPT && op != X86_OP_CLWB &&
			    op != X86_OP_CLDEMOTE)
				mem_read = mem_write = true;
	}
	e->stores = mem_write;
	e->pure_store = mem_write && !mem_read;
	e->may_fault = mem_read || mem_write || !(bits & B_NOFAULT);
	e->on_real = (bits & B_ON_REAL) != 0;
	e->flags_read = flag_rd[op];
	e->flags_kill = flag_kill[op];
	if (op == X86_OP_JCC || op == X86_OP_SETCC || op == X86_OP_CMOVCC)
		e->flags_read = cond_flags(in->cond);
	if (e->on_real)
		e->classes = CL_ALL;
	if (e->classes & (CL_SSE | CL_AVX))
		e->xmm = xmm_of(in, bits);
	e->writes = writes_of(in, e->classes);
}
