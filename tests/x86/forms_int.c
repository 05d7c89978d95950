/* forms_int.c — differential-test forms of the integer, control and
 * system semantics (sem_alu.h, sem_shift.h, sem_move.h, sem_branch.h,
 * sem_system.h). Set "int". */
#include "config.h"

#include <string.h>

#include "tests/x86/forms.h"
#include "translator/x86/x86.h"

#define R(n) (1u << (n))

/* ---- setup hooks ---- */

static unsigned opsize_of(const struct x86_case *c)
{
	return c->opnd[c->nopnd - 1].size ? c->opnd[c->nopnd - 1].size : 8;
}

static void set_low(uint64_t *reg, unsigned size, uint64_t v)
{
	uint64_t m = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	*reg = (*reg & ~m) | (v & m);
}

/* The implicit accumulator (AL/AX/EAX/RAX) also walks the integer edges. */
static void acc_edges(struct snip *s, struct x86_case *c)
{
	unsigned size = opsize_of(c);
	unsigned k = (c->index / X86_INT_EDGES) % X86_INT_EDGES;
	if (c->index < X86_INT_EDGES * X86_INT_EDGES)
		set_low(&s->init.gpr[X86_RAX], size, x86_int_edge(k, size));
}

/* CBW/CWD family: no explicit operand; the accumulator walks the edges. */
static void acc_only(struct snip *s, struct x86_case *c)
{
	if (c->index < X86_INT_EDGES)
		set_low(&s->init.gpr[X86_RAX], 8,
			x86_int_edge(c->index, 8) ^ (c->index & 1 ? 0x80 : 0));
}

/* DIV/IDIV: half the cases get a high half that does not overflow; of
 * those, every other one a high half of zero (one host division for DIV;
 * for a 64-bit IDIV a dividend that may not fit in 64 signed bits). */
static void div_setup(struct snip *s, struct x86_case *c, bool sign)
{
	unsigned size = c->opnd[0].size;
	uint64_t d = c->opnd[0].value, r = x86_case_rand(c);
	acc_edges(s, c);
	if (c->index & 1)
		return;
	if (size == 1) {
		uint64_t al = s->init.gpr[X86_RAX] & 0xff;
		uint64_t ah =
			sign ? (al & 0x80 ? 0xff : 0) : (d ? r % (d & 0xff ? d & 0xff : 1) : 0);
		set_low(&s->init.gpr[X86_RAX], 2, ah << 8 | al);
		return;
	}
	if (sign) {
		uint64_t a = s->init.gpr[X86_RAX];
		uint64_t sb = size == 8 ? a >> 63 : (a >> (8 * size - 1)) & 1;
		set_low(&s->init.gpr[X86_RDX], size, sb && !(c->index & 2) ? ~0ull : 0);
	} else {
		uint64_t m = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
		set_low(&s->init.gpr[X86_RDX], size, (d & m) && !(c->index & 2) ? r % (d & m) : 0);
	}
}

static void div_u(struct snip *s, struct x86_case *c)
{
	div_setup(s, c, false);
}

static void div_s(struct snip *s, struct x86_case *c)
{
	div_setup(s, c, true);
}

/* CMPXCHG: odd cases make the accumulator equal to the destination. */
static void cmpxchg_setup(struct snip *s, struct x86_case *c)
{
	if (c->index & 1)
		set_low(&s->init.gpr[X86_RAX], c->opnd[0].size, c->opnd[0].value);
}

static void cmpxchg8b_setup(struct snip *s, struct x86_case *c)
{
	const uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	if (c->index & 1) {
		uint32_t lo, hi;
		memcpy(&lo, m, 4);
		memcpy(&hi, m + 4, 4);
		set_low(&s->init.gpr[X86_RAX], 4, lo);
		set_low(&s->init.gpr[X86_RDX], 4, hi);
	}
}

static void cmpxchg16b_setup(struct snip *s, struct x86_case *c)
{
	const uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	if (c->index & 1) {
		memcpy(&s->init.gpr[X86_RAX], m, 8);
		memcpy(&s->init.gpr[X86_RDX], m + 8, 8);
	}
}

/* BT with a register offset into memory: keep it within +-128 bytes. */
static void bt_offset(struct snip *s, struct x86_case *c)
{
	int r = c->opnd[1].gpr;
	if (c->mem && r >= 0 && r < 16) {
		int64_t off = (int64_t)(x86_case_rand(c) % 2048) - 1024;
		set_low(&s->init.gpr[r], c->opnd[1].size, (uint64_t)off);
	}
}

/* BEXTR and BZHI controls: start and length (index) around the width. */
static void bmi_control(struct snip *s, struct x86_case *c)
{
	int r = c->opnd[2].gpr;
	uint64_t x = x86_case_rand(c);
	if (r >= 0 && r < 16 && (c->index & 3) != 3)
		set_low(&s->init.gpr[r], 2, (x % 72) | ((x >> 8) % 72) << 8);
}

/* MULX: RDX, the implicit multiplicand, walks the edges. */
static void mulx_setup(struct snip *s, struct x86_case *c)
{
	unsigned size = c->opnd[0].size;
	if (c->index < X86_INT_EDGES * 4)
		set_low(&s->init.gpr[X86_RDX], size, x86_int_edge(c->index % X86_INT_EDGES, size));
}

/* Stack data a POPF may load: any user flag but TF (single-stepping). */
static void popf_setup(struct snip *s, struct x86_case *c)
{
	uint64_t v = x86_case_rand(c) & 0x244ed5;
	memcpy(s->init.mem + 0xf00, &v, 8);
}

/* Indirect branches: to the end marker (past the 2-byte filler), or
 * sometimes to a non-canonical or unmapped address. */
static void branch_target(struct snip *s, struct x86_case *c)
{
	uint64_t t = s->init.rip + s->len;
	switch (c->index % 8) {
	case 5: t = 0x8000000000000000ull; break;
	case 6: t = SNIP_GUARD_ADDR + 0x10; break;
	case 7: t = 0x1000; break;
	default: break;
	}
	if (c->mem)
		memcpy(s->init.mem + (c->ea - SNIP_MEM_ADDR), &t, 8);
	else if (c->opnd[0].gpr >= 0)
		s->init.gpr[c->opnd[0].gpr] = t;
}

/* RET: return to the end marker (or a bad address). */
static void ret_setup(struct snip *s, struct x86_case *c)
{
	uint64_t t = s->init.rip + s->len;
	if (c->index % 8 == 7)
		t = 0xffff800000001000ull;
	memcpy(s->init.mem + 0xf00, &t, 8);
}

/* JRCXZ/LOOP: counts around zero. */
static void count_setup(struct snip *s, struct x86_case *c)
{
	static const uint64_t v[] = {0, 1, 2, 0x100000000ull, 0x100000001ull, ~0ull};
	s->init.gpr[X86_RCX] = v[(c->index / 64) % 6] ^ ((c->index / 384) ? x86_case_rand(c) : 0);
}

/* A loop of 1 to 50 iterations. */
static void loop_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RCX] = 1 + x86_case_rand(c) % 50;
}

/* ENTER/LEAVE need RBP in the data page. */
static void frame_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RBP] = SNIP_MEM_ADDR + 0xe00 - 8 * (x86_case_rand(c) % 8);
}

/* String instructions: RSI/RDI in the data page, small counts, DF
 * random (FORM_DF); destination and source sometimes overlap, and
 * compared strings sometimes match. */
static void string_setup(struct snip *s, struct x86_case *c)
{
	uint64_t r = x86_case_rand(c);
	uint64_t si = 0x300 + (r & 0xff), di = 0x700 + ((r >> 8) & 0xff);
	if ((c->index & 7) == 5)
		di = si + ((r >> 16) & 15);
	if ((c->index & 7) == 6)
		di = si - ((r >> 16) & 15);
	s->init.gpr[X86_RSI] = SNIP_MEM_ADDR + si;
	s->init.gpr[X86_RDI] = SNIP_MEM_ADDR + di;
	s->init.gpr[X86_RCX] = (r >> 24) % 40;
	if ((c->index & 7) == 2) /* a long run */
		s->init.gpr[X86_RCX] = 100 + (r >> 32) % 100;
	if (c->index & 1) { /* make the strings agree for a while */
		unsigned n = (unsigned)((r >> 40) % 64);
		memmove(s->init.mem + di, s->init.mem + si, n);
		if ((c->index & 3) == 1) /* SCAS: the accumulator found at some point */
			memcpy(&s->init.gpr[X86_RAX], s->init.mem + di + ((r >> 48) % 16), 8);
	}
	if (c->index % 16 == 15) /* 32-bit address size: garbage above bit 31 is ignored */
		s->init.gpr[X86_RSI] |= r << 32, s->init.gpr[X86_RDI] |= (r >> 7) << 32;
}

static void xlat_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RBX] = SNIP_MEM_ADDR + 0x200 + (x86_case_rand(c) % 0x300);
	if (c->index & 1)
		s->init.gpr[X86_RBX] |= 0xabcd00000000ull; /* only seen with a 67 prefix */
}

/* SYSCALL with a number no kernel implements: -ENOSYS both ways. */
static void syscall_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RAX] = 0x10000 + (x86_case_rand(c) & 0xffff);
}

/* FS/GS bases, canonical. */
static void segbase_setup(struct snip *s, struct x86_case *c)
{
	s->init.fs_base = x86_case_rand(c) & 0x7fffffffffffull;
	s->init.gs_base = x86_case_rand(c) & 0x7fffffffffffull;
	if (c->index % 5 == 4 && c->opnd[0].gpr >= 0) /* WR*BASE of a non-canonical value */
		s->init.gpr[c->opnd[0].gpr] = 0x8000000000001000ull;
}

/* A valid FXSAVE image in memory for FXRSTOR (and an invalid MXCSR in a
 * few cases). */
static void fxrstor_setup(struct snip *s, struct x86_case *c)
{
	uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	uint32_t mxcsr = (uint32_t)(x86_case_rand(c) & 0xffbf);
	uint16_t fcw = (uint16_t)(x86_case_rand(c) & 0x1f7f) | 0x40;
	if (c->index % 9 == 8)
		mxcsr |= 0x10000;
	uint64_t fip = x86_case_rand(c), fdp = x86_case_rand(c);
	/* Canonical pointers only: CPUs differ in how they canonicalise. */
	fip = (uint64_t)((int64_t)(fip << 16) >> 16);
	fdp = (uint64_t)((int64_t)(fdp << 16) >> 16);
	memcpy(m, &fcw, 2);
	memcpy(m + 8, &fip, 8);
	memcpy(m + 16, &fdp, 8);
	memcpy(m + 24, &mxcsr, 4);
	m[5] = 0;
}

/* XSAVE family: EDX:EAX requests x87, SSE or both (with garbage above). */
static void xsave_setup(struct snip *s, struct x86_case *c)
{
	static const uint64_t rfbm[] = {3, 1, 2, 0, 7, ~0ull};
	uint64_t r = rfbm[c->index % 6];
	uint8_t *m = s->init.mem + (c->ea - SNIP_MEM_ADDR);
	if (r > 3) /* the host has more components than we do: stay within ours */
		r = 3;
	s->init.gpr[X86_RAX] = (uint32_t)r | (x86_case_rand(c) << 32);
	s->init.gpr[X86_RDX] = r >> 32;
	memset(m + 512, 0, 64); /* a clean header for XRSTOR */
	if (c->index % 7 == 3)
		m[512] = 1; /* x87 in use, SSE initial */
	if (c->index % 7 == 4)
		m[512] = 3;
	if (c->index % 11 == 10)
		m[530] = 1; /* reserved header byte: #GP */
	fxrstor_setup(s, c);
}

static void ldmxcsr_setup(struct snip *s, struct x86_case *c)
{
	uint32_t v = (uint32_t)(x86_case_rand(c) & 0xffff);
	if (c->index % 8 == 7)
		v |= 0x20000;
	memcpy(s->init.mem + (c->ea - SNIP_MEM_ADDR), &v, 4);
}

/* Memory operands aimed at the guard page (faults) or read-only page. */
static void guard_target(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RBX] = c->index & 1 ? SNIP_GUARD_ADDR + 0x40 : SNIP_RO_ADDR + 0x40;
}

/* mov Sreg, r16 / pop Sreg: the selector values that are valid, and not. */
static void selector_setup(struct snip *s, struct x86_case *c)
{
	static const uint16_t sel[] = {0, 3, 0x2b, 0x33, 0x23, 0x1234, 0x2b, 0};
	uint16_t v = sel[c->index % 8];
	set_low(&s->init.gpr[X86_RAX], 2, v);
	memcpy(s->init.mem + 0xf00, &v, 2);
	s->init.fs_base = x86_case_rand(c) & 0x7fffffffffffull;
	s->init.gs_base = x86_case_rand(c) & 0x7fffffffffffull;
}

/* Addresses outside the canonical range: #GP, or #SS for the stack. */
static void noncanon_setup(struct snip *s, struct x86_case *c)
{
	static const int regs[] = {X86_RBX, X86_RBP, X86_RSP, X86_RSI, X86_RDI};
	uint64_t bad = 0x8000000000001000ull ^ (x86_case_rand(c) << 48);
	if ((bad >> 47) == 0 || (bad >> 47) == 0x1ffff)
		bad ^= 1ull << 62;
	s->init.gpr[X86_RBX] = SNIP_MEM_ADDR + 0x100;
	s->init.gpr[X86_RBP] = SNIP_MEM_ADDR + 0x200;
	s->init.gpr[X86_RSI] = SNIP_MEM_ADDR + 0x300;
	s->init.gpr[X86_RDI] = SNIP_MEM_ADDR + 0x400;
	s->init.gpr[X86_RCX] = 3;
	s->init.gpr[regs[c->index % 5]] = bad;
}

/* Kernel-half addresses are canonical: page faults with the protection
 * bit set. (Reads only: qemu-user does not report the write bit of a
 * fault outside the guest's address space, real hosts do.) */
static void kernel_addr_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RBX] = 0xffff800000001000ull + (x86_case_rand(c) & 0xfff);
}

/* Code placed so that it crosses from the first code page into the
 * second, or from the second into the unmapped page after it. */
static void code_at_page_end(struct snip *s, struct x86_case *c)
{
	unsigned back = 1 + c->index % (s->len < 14 ? s->len : 14);
	s->init.rip = SNIP_CODE_ADDR + (c->index & 1 ? 0x2000 : 0x1000) - back;
}

/* Self-modifying loops: a count in EDX, a patch byte in CL. */
static void smc_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RDX] = 1 + x86_case_rand(c) % 20;
	s->init.gpr[X86_RAX] = x86_case_rand(c) & 0xffff;
	if (c->index & 1) /* the loop also starts right before the page boundary */
		s->init.rip = SNIP_CODE_ADDR + 0x1000 - 1 - c->index % 12;
}

/* LAR, LSL, VERR, VERW: selectors of present and absent descriptors
 * (not the per-CPU one, whose limit depends on where the test runs). */
static void lar_setup(struct snip *s, struct x86_case *c)
{
	static const uint16_t sel[] = {0,    3,	   0x20, 0x23, 0x2a, 0x2b,   0x33,
				       0x31, 0x10, 0x1b, 0x2f, 0x63, 0x1234, 0xffff};
	uint16_t v = sel[c->index % 14];
	int r = c->opnd[c->nopnd - 1].gpr;
	if (c->mem)
		memcpy(s->init.mem + (c->ea - SNIP_MEM_ADDR), &v, 2);
	else if (r >= 0 && r < 16)
		set_low(&s->init.gpr[r], 2, v);
}

/* ---- the table ---- */

// clang-format off
#define ALU(N, B0, B1, B2, B3, B4, B5, D, FL)                                          \
	{B0 " /r", N " r/m8, r8", FL, {0}, 0, 0, 0, 0},                                  \
	{"66 " B1 " /r", N " r/m16, r16", FL, {0}, 0, 0, 0, 0},                          \
	{B1 " /r", N " r/m32, r32", FL, {0}, 0, 0, 0, 0},                                \
	{"REX.W + " B1 " /r", N " r/m64, r64", FL, {0}, 0, 0, 0, 0},                     \
	{B2 " /r", N " r8, r/m8", FL | FORM_NO_REG, {0}, 0, 0, 0, 0},                     \
	{B3 " /r", N " r32, r/m32", FL | FORM_NO_REG, {0}, 0, 0, 0, 0},                   \
	{"REX.W + " B3 " /r", N " r64, r/m64", FL | FORM_NO_REG, {0}, 0, 0, 0, 0},        \
	{"80 /" D " ib", N " r/m8, imm8", FL, {0}, 0, 0, 0, 0},                          \
	{"66 81 /" D " iw", N " r/m16, imm16", FL, {0}, 0, 0, 0, 0},                     \
	{"81 /" D " id", N " r/m32, imm32", FL, {0}, 0, 0, 0, 0},                        \
	{"REX.W + 81 /" D " id", N " r/m64, imm32", FL, {0}, 0, 0, 0, 0},                \
	{"83 /" D " ib", N " r/m32, imm8", FL, {0}, 0, 0, 0, 0},                         \
	{"66 83 /" D " ib", N " r/m16, imm8", FL | FORM_NO_MEM, {0}, 0, 0, 0, 0},         \
	{"REX.W + 83 /" D " ib", N " r/m64, imm8", FL, {0}, 0, 0, 0, 0},                 \
	{B4 " ib", N " AL, imm8", FL, {0}, 0, 0, 0, 0},                                  \
	{"66 " B5 " iw", N " AX, imm16", FL, {0}, 0, 0, 0, 0},                           \
	{B5 " id", N " EAX, imm32", FL, {0}, 0, 0, 0, 0},                                \
	{"REX.W + " B5 " id", N " RAX, imm32", FL, {0}, 0, 0, 0, 0}

#define LOCKED(B, N)                                                                   \
	{"F0 " B " /r", "LOCK " N " r/m32, r32", FORM_NO_REG, {0}, 0, 0, 0, 0},           \
	{"F0 REX.W + " B " /r", "LOCK " N " r/m64, r64", FORM_NO_REG | FORM_MISALIGN, {0}, 0, 0, 0, 0}

#define UNARY(N, D)                                                                    \
	{"FE /" D, N " r/m8", 0, {0}, 0, 0, 0, 0},                                         \
	{"66 FF /" D, N " r/m16", 0, {0}, 0, 0, 0, 0},                                     \
	{"FF /" D, N " r/m32", 0, {0}, 0, 0, 0, 0},                                        \
	{"REX.W + FF /" D, N " r/m64", 0, {0}, 0, 0, 0, 0},                                \
	{"F0 FF /" D, "LOCK " N " r/m32", FORM_NO_REG, {0}, 0, 0, 0, 0}

#define UNARY_F7(N, D)                                                                 \
	{"F6 /" D, N " r/m8", 0, {0}, 0, 0, 0, 0},                                         \
	{"66 F7 /" D, N " r/m16", 0, {0}, 0, 0, 0, 0},                                     \
	{"F7 /" D, N " r/m32", 0, {0}, 0, 0, 0, 0},                                        \
	{"REX.W + F7 /" D, N " r/m64", 0, {0}, 0, 0, 0, 0},                                \
	{"F0 F7 /" D, "LOCK " N " r/m32", FORM_NO_REG, {0}, 0, 0, 0, 0}

#define MULDIV(N, D, SETUP)                                                            \
	{"F6 /" D, N " r/m8", 0, {0}, 0, 13 * 13 + 48, 0, SETUP},                          \
	{"66 F7 /" D, N " r/m16", 0, {0}, 0, 13 * 13 + 48, 0, SETUP},                      \
	{"F7 /" D, N " r/m32", 0, {0}, 0, 13 * 13 + 48, 0, SETUP},                         \
	{"REX.W + F7 /" D, N " r/m64", 0, {0}, 0, 13 * 13 + 48, 0, SETUP}

#define SHIFT(N, D, FL)                                                                \
	{"D0 /" D, N " r/m8, 1", FL, {0}, 0, 0, 0, 0},                                     \
	{"D2 /" D, N " r/m8, CL", FL, {0, VC_COUNT}, 0, 0, 0, 0},                          \
	{"C0 /" D " ib", N " r/m8, imm8", FL, {0, VC_COUNT}, 0, 0, 0, 0},                  \
	{"66 D1 /" D, N " r/m16, 1", FL, {0}, 0, 0, 0, 0},                                 \
	{"66 D3 /" D, N " r/m16, CL", FL, {0, VC_COUNT}, 0, 0, 0, 0},                      \
	{"D1 /" D, N " r/m32, 1", FL, {0}, 0, 0, 0, 0},                                    \
	{"D3 /" D, N " r/m32, CL", FL, {0, VC_COUNT}, 0, 0, 0, 0},                         \
	{"C1 /" D " ib", N " r/m32, imm8", FL, {0, VC_COUNT}, 0, 0, 0, 0},                 \
	{"REX.W + D1 /" D, N " r/m64, 1", FL, {0}, 0, 0, 0, 0},                            \
	{"REX.W + D3 /" D, N " r/m64, CL", FL, {0, VC_COUNT}, 0, 0, 0, 0},                 \
	{"REX.W + C1 /" D " ib", N " r/m64, imm8", FL, {0, VC_COUNT}, 0, 0, 0, 0}

#define SHXD(N, BI, BC)                                                                \
	{"66 0F " BI " /r ib", N " r/m16, r16, imm8", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0}, \
	{"66 0F " BC " /r", N " r/m16, r16, CL", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0},      \
	{"0F " BI " /r ib", N " r/m32, r32, imm8", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0},    \
	{"0F " BC " /r", N " r/m32, r32, CL", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0},         \
	{"REX.W + 0F " BI " /r ib", N " r/m64, r64, imm8", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0}, \
	{"REX.W + 0F " BC " /r", N " r/m64, r64, CL", 0, {0, VC_RANDOM, VC_COUNT}, 0, 0, 0, 0}

#define BITTEST(N, BR, D)                                                              \
	{"66 0F " BR " /r", N " r/m16, r16", 0, {0}, 0, 0, 0, bt_offset},                  \
	{"0F " BR " /r", N " r/m32, r32", 0, {0}, 0, 0, 0, bt_offset},                     \
	{"REX.W + 0F " BR " /r", N " r/m64, r64", 0, {0}, 0, 0, 0, bt_offset},             \
	{"0F BA /" D " ib", N " r/m32, imm8", 0, {0, VC_COUNT}, 0, 0, 0, 0},               \
	{"66 0F BA /" D " ib", N " r/m16, imm8", 0, {0, VC_COUNT}, 0, 0, 0, 0},            \
	{"REX.W + 0F BA /" D " ib", N " r/m64, imm8", 0, {0, VC_COUNT}, 0, 0, 0, 0}

#define SCAN(E, N)                                                                     \
	{"66 " E " /r", N " r16, r/m16", 0, {0}, 0, 0, 0, 0},                              \
	{E " /r", N " r32, r/m32", 0, {0}, 0, 0, 0, 0},                                    \
	{"REX.W + " E " /r", N " r64, r/m64", 0, {0}, 0, 0, 0, 0}

#define SCAN_F3(OP, N)                                                                 \
	{"66 F3 0F " OP " /r", N " r16, r/m16", 0, {0}, 0, 0, 0, 0},                       \
	{"F3 0F " OP " /r", N " r32, r/m32", 0, {0}, 0, 0, 0, 0},                          \
	{"F3 REX.W 0F " OP " /r", N " r64, r/m64", 0, {0}, 0, 0, 0, 0}

#define VEX2(MAP, OP, N, SYN32, SYN64, SETUP, ...)                                     \
	{"VEX.LZ." MAP ".W0 " OP, N " " SYN32, 0, {__VA_ARGS__}, 0, 0, 0, SETUP},          \
	{"VEX.LZ." MAP ".W1 " OP, N " " SYN64, 0, {__VA_ARGS__}, 0, 0, 0, SETUP}

#define CC16(M)                                                                        \
	M("0", "O") M("1", "NO") M("2", "B") M("3", "AE") M("4", "E") M("5", "NE") M("6", "BE") \
	M("7", "A") M("8", "S") M("9", "NS") M("A", "P") M("B", "NP") M("C", "L") M("D", "GE")  \
	M("E", "LE") M("F", "G")

#define CMOV(C, N)                                                                     \
	{"0F 4" C " /r", "CMOV" N " r32, r/m32", FORM_FLAGS_SWEEP, {VC_RANDOM, VC_RANDOM}, 0, 128, 0, 0},
#define SETCC(C, N) {"0F 9" C " /0", "SET" N " r/m8", FORM_FLAGS_SWEEP, {0}, 0, 128, 0, 0},
#define JCC8(C, N) {"7" C " cb", "J" N " rel8", FORM_FLAGS_SWEEP | FORM_REL_SKIP, {0}, 0, 64, 0, 0},
#define JCC32(C, N)                                                                    \
	{"0F 8" C " cd", "J" N " rel32", FORM_FLAGS_SWEEP | FORM_REL_SKIP, {0}, 0, 64, 0, 0},

#define STRING(P, B8, B, N, FL, SETUP)                                                 \
	{NULL, N "B", FL, {0}, 0, 64, P B8, SETUP},                                        \
	{NULL, N "W", FL, {0}, 0, 32, "66 " P B, SETUP},                                   \
	{NULL, N "D", FL, {0}, 0, 48, P B, SETUP},                                         \
	{NULL, N "Q", FL, {0}, 0, 48, P "48 " B, SETUP}

#define RAW(NAME, CODE, N, SETUP) {NULL, NAME, 0, {0}, 0, N, CODE, SETUP}

static const struct x86_form forms[] = {
	/* sem_alu.h */
	ALU("ADD", "00", "01", "02", "03", "04", "05", "0", 0),
	ALU("OR", "08", "09", "0A", "0B", "0C", "0D", "1", 0),
	ALU("ADC", "10", "11", "12", "13", "14", "15", "2", FORM_CARRY),
	ALU("SBB", "18", "19", "1A", "1B", "1C", "1D", "3", FORM_CARRY),
	ALU("AND", "20", "21", "22", "23", "24", "25", "4", 0),
	ALU("SUB", "28", "29", "2A", "2B", "2C", "2D", "5", 0),
	ALU("XOR", "30", "31", "32", "33", "34", "35", "6", 0),
	ALU("CMP", "38", "39", "3A", "3B", "3C", "3D", "7", 0),
	LOCKED("01", "ADD"), LOCKED("09", "OR"), LOCKED("11", "ADC"), LOCKED("19", "SBB"),
	LOCKED("21", "AND"), LOCKED("29", "SUB"), LOCKED("31", "XOR"),
	{"84 /r", "TEST r/m8, r8", 0, {0}, 0, 0, 0, 0},
	{"66 85 /r", "TEST r/m16, r16", 0, {0}, 0, 0, 0, 0},
	{"85 /r", "TEST r/m32, r32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 85 /r", "TEST r/m64, r64", 0, {0}, 0, 0, 0, 0},
	{"F6 /0 ib", "TEST r/m8, imm8", 0, {0}, 0, 0, 0, 0},
	{"F7 /0 id", "TEST r/m32, imm32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + F7 /0 id", "TEST r/m64, imm32", 0, {0}, 0, 0, 0, 0},
	{"A8 ib", "TEST AL, imm8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + A9 id", "TEST RAX, imm32", 0, {0}, 0, 0, 0, 0},
	UNARY("INC", "0"), UNARY("DEC", "1"), UNARY_F7("NOT", "2"), UNARY_F7("NEG", "3"),
	MULDIV("MUL", "4", acc_edges), MULDIV("IMUL", "5", acc_edges),
	MULDIV("DIV", "6", div_u), MULDIV("IDIV", "7", div_s),
	{"66 0F AF /r", "IMUL r16, r/m16", 0, {0}, 0, 0, 0, 0},
	{"0F AF /r", "IMUL r32, r/m32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F AF /r", "IMUL r64, r/m64", 0, {0}, 0, 0, 0, 0},
	{"6B /r ib", "IMUL r32, r/m32, imm8", 0, {0}, 0, 0, 0, 0},
	{"66 69 /r iw", "IMUL r16, r/m16, imm16", 0, {0}, 0, 0, 0, 0},
	{"69 /r id", "IMUL r32, r/m32, imm32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 6B /r ib", "IMUL r64, r/m64, imm8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 69 /r id", "IMUL r64, r/m64, imm32", 0, {0}, 0, 0, 0, 0},
	RAW("CBW", "66 98", 32, acc_only), RAW("CWDE", "98", 32, acc_only),
	RAW("CDQE", "48 98", 32, acc_only), RAW("CWD", "66 99", 32, acc_only),
	RAW("CDQ", "99", 32, acc_only), RAW("CQO", "48 99", 32, acc_only),
	{"0F C0 /r", "XADD r/m8, r8", 0, {0}, 0, 0, 0, 0},
	{"66 0F C1 /r", "XADD r/m16, r16", 0, {0}, 0, 0, 0, 0},
	{"0F C1 /r", "XADD r/m32, r32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F C1 /r", "XADD r/m64, r64", 0, {0}, 0, 0, 0, 0},
	{"F0 0F C1 /r", "LOCK XADD r/m32, r32", FORM_NO_REG | FORM_MISALIGN, {0}, 0, 0, 0, 0},
	{"F0 REX.W + 0F C1 /r", "LOCK XADD r/m64, r64", FORM_NO_REG, {0}, 0, 0, 0, 0},
	{"0F B0 /r", "CMPXCHG r/m8, r8", 0, {0}, 0, 0, 0, cmpxchg_setup},
	{"66 0F B1 /r", "CMPXCHG r/m16, r16", 0, {0}, 0, 0, 0, cmpxchg_setup},
	{"0F B1 /r", "CMPXCHG r/m32, r32", 0, {0}, 0, 0, 0, cmpxchg_setup},
	{"REX.W + 0F B1 /r", "CMPXCHG r/m64, r64", 0, {0}, 0, 0, 0, cmpxchg_setup},
	{"F0 0F B1 /r", "LOCK CMPXCHG r/m32, r32", FORM_NO_REG, {0}, 0, 0, 0, cmpxchg_setup},
	{"F0 REX.W + 0F B1 /r", "LOCK CMPXCHG r/m64, r64", FORM_NO_REG | FORM_MISALIGN, {0}, 0, 0, 0,
	 cmpxchg_setup},
	{"0F C7 /1", "CMPXCHG8B m64", 0, {0}, R(X86_RBX), 64, 0, cmpxchg8b_setup},
	{"F0 0F C7 /1", "LOCK CMPXCHG8B m64", 0, {0}, R(X86_RBX), 64, 0, cmpxchg8b_setup},
	{"F0 0F C7 /1", "LOCK CMPXCHG8B m64", FORM_MISALIGN, {0}, R(X86_RBX), 32, 0, cmpxchg8b_setup},
	{"REX.W + 0F C7 /1", "CMPXCHG16B m128", 0, {0}, R(X86_RBX), 64, 0, cmpxchg16b_setup},
	{"F0 REX.W + 0F C7 /1", "LOCK CMPXCHG16B m128", 0, {0}, R(X86_RBX), 64, 0, cmpxchg16b_setup},
	{"REX.W + 0F C7 /1", "CMPXCHG16B m128", FORM_MISALIGN, {0}, R(X86_RBX), 16, 0, 0},
	{"66 0F 38 F6 /r", "ADCX r32, r/m32", FORM_CARRY, {0}, 0, 0, 0, 0},
	{"66 REX.W 0F 38 F6 /r", "ADCX r64, r/m64", FORM_CARRY, {0}, 0, 0, 0, 0},
	{"F3 0F 38 F6 /r", "ADOX r32, r/m32", FORM_CARRY, {0}, 0, 0, 0, 0},
	{"F3 REX.W 0F 38 F6 /r", "ADOX r64, r/m64", FORM_CARRY, {0}, 0, 0, 0, 0},

	/* sem_shift.h */
	SHIFT("ROL", "0", 0), SHIFT("ROR", "1", 0), SHIFT("RCL", "2", FORM_CARRY),
	SHIFT("RCR", "3", FORM_CARRY), SHIFT("SHL", "4", 0), SHIFT("SHR", "5", 0),
	SHIFT("SAR", "7", 0),
	SHXD("SHLD", "A4", "A5"), SHXD("SHRD", "AC", "AD"),
	BITTEST("BT", "A3", "4"), BITTEST("BTS", "AB", "5"), BITTEST("BTR", "B3", "6"),
	BITTEST("BTC", "BB", "7"),
	{"F0 0F AB /r", "LOCK BTS r/m32, r32", FORM_NO_REG, {0}, 0, 0, 0, bt_offset},
	{"F0 REX.W + 0F B3 /r", "LOCK BTR r/m64, r64", FORM_NO_REG, {0}, 0, 0, 0, bt_offset},
	{"F0 0F BA /7 ib", "LOCK BTC r/m32, imm8", FORM_NO_REG, {0}, 0, 0, 0, 0},
	SCAN("0F BC", "BSF"), SCAN("0F BD", "BSR"),
	SCAN_F3("B8", "POPCNT"), SCAN_F3("BD", "LZCNT"), SCAN_F3("BC", "TZCNT"),
	VEX2("0F38", "F2 /r", "ANDN", "r32a, r32b, r/m32", "r64a, r64b, r/m64", 0, 0),
	VEX2("0F38", "F7 /r", "BEXTR", "r32a, r/m32, r32b", "r64a, r/m64, r64b", bmi_control, 0),
	VEX2("0F38", "F3 /3", "BLSI", "r32, r/m32", "r64, r/m64", 0, 0),
	VEX2("0F38", "F3 /2", "BLSMSK", "r32, r/m32", "r64, r/m64", 0, 0),
	VEX2("0F38", "F3 /1", "BLSR", "r32, r/m32", "r64, r/m64", 0, 0),
	VEX2("0F38", "F5 /r", "BZHI", "r32a, r/m32, r32b", "r64a, r/m64, r64b", bmi_control, 0),
	VEX2("F2.0F38", "F6 /r", "MULX", "r32a, r32b, r/m32", "r64a, r64b, r/m64", mulx_setup,
	     VC_RANDOM, VC_RANDOM),
	VEX2("F2.0F38", "F5 /r", "PDEP", "r32a, r32b, r/m32", "r64a, r64b, r/m64", 0, 0),
	VEX2("F3.0F38", "F5 /r", "PEXT", "r32a, r32b, r/m32", "r64a, r64b, r/m64", 0, 0),
	VEX2("F2.0F3A", "F0 /r ib", "RORX", "r32, r/m32, imm8", "r64, r/m64, imm8", 0, 0, 0,
	     VC_COUNT),
	VEX2("F3.0F38", "F7 /r", "SARX", "r32a, r/m32, r32b", "r64a, r/m64, r64b", 0, 0, 0,
	     VC_COUNT),
	VEX2("66.0F38", "F7 /r", "SHLX", "r32a, r/m32, r32b", "r64a, r/m64, r64b", 0, 0, 0,
	     VC_COUNT),
	VEX2("F2.0F38", "F7 /r", "SHRX", "r32a, r/m32, r32b", "r64a, r/m64, r64b", 0, 0, 0,
	     VC_COUNT),
	{"0F C8+rd", "BSWAP r32", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F C8+rd", "BSWAP r64", 0, {0}, 0, 0, 0, 0},
	{"66 0F C8+rd", "BSWAP r16", 0, {0}, 0, 0, 0, 0},
	{"F2 0F 38 F0 /r", "CRC32 r32, r/m8", 0, {0}, 0, 0, 0, 0},
	{"66 F2 0F 38 F1 /r", "CRC32 r32, r/m16", 0, {0}, 0, 0, 0, 0},
	{"F2 0F 38 F1 /r", "CRC32 r32, r/m32", 0, {0}, 0, 0, 0, 0},
	{"F2 REX.W 0F 38 F0 /r", "CRC32 r64, r/m8", 0, {0}, 0, 0, 0, 0},
	{"F2 REX.W 0F 38 F1 /r", "CRC32 r64, r/m64", 0, {0}, 0, 0, 0, 0},

	/* sem_move.h */
	{"88 /r", "MOV r/m8, r8", 0, {0}, 0, 40, 0, 0},
	{"66 89 /r", "MOV r/m16, r16", 0, {0}, 0, 40, 0, 0},
	{"89 /r", "MOV r/m32, r32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + 89 /r", "MOV r/m64, r64", 0, {0}, 0, 40, 0, 0},
	{"8A /r", "MOV r8, r/m8", FORM_NO_REG, {0}, 0, 40, 0, 0},
	{"8B /r", "MOV r32, r/m32", FORM_NO_REG | FORM_MISALIGN, {0}, 0, 40, 0, 0},
	{"REX.W + 8B /r", "MOV r64, r/m64", FORM_NO_REG, {0}, 0, 40, 0, 0},
	{"C6 /0 ib", "MOV r/m8, imm8", 0, {0}, 0, 40, 0, 0},
	{"C7 /0 id", "MOV r/m32, imm32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + C7 /0 id", "MOV r/m64, imm32", 0, {0}, 0, 40, 0, 0},
	{"B0+rb ib", "MOV r8, imm8", 0, {0}, 0, 40, 0, 0},
	{"66 B8+rw iw", "MOV r16, imm16", 0, {0}, 0, 40, 0, 0},
	{"B8+rd id", "MOV r32, imm32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + B8+rd io", "MOV r64, imm64", 0, {0}, 0, 40, 0, 0},
	{"0F B6 /r", "MOVZX r32, r/m8", 0, {0}, 0, 0, 0, 0},
	{"0F B7 /r", "MOVZX r32, r/m16", 0, {0}, 0, 0, 0, 0},
	{"66 0F B6 /r", "MOVZX r16, r/m8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F B6 /r", "MOVZX r64, r/m8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F B7 /r", "MOVZX r64, r/m16", 0, {0}, 0, 0, 0, 0},
	{"0F BE /r", "MOVSX r32, r/m8", 0, {0}, 0, 0, 0, 0},
	{"0F BF /r", "MOVSX r32, r/m16", 0, {0}, 0, 0, 0, 0},
	{"66 0F BE /r", "MOVSX r16, r/m8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F BE /r", "MOVSX r64, r/m8", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 0F BF /r", "MOVSX r64, r/m16", 0, {0}, 0, 0, 0, 0},
	{"REX.W + 63 /r", "MOVSXD r64, r/m32", 0, {0}, 0, 0, 0, 0},
	{"63 /r", "MOVSXD r32, r/m32", 0, {0}, 0, 0, 0, 0},
	{"66 0F 38 F0 /r", "MOVBE r16, m16", 0, {0}, 0, 40, 0, 0},
	{"0F 38 F0 /r", "MOVBE r32, m32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + 0F 38 F0 /r", "MOVBE r64, m64", 0, {0}, 0, 40, 0, 0},
	{"0F 38 F1 /r", "MOVBE m32, r32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + 0F 38 F1 /r", "MOVBE m64, r64", 0, {0}, 0, 40, 0, 0},
	{"0F C3 /r", "MOVNTI m32, r32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + 0F C3 /r", "MOVNTI m64, r64", 0, {0}, 0, 40, 0, 0},
	{"8D /r", "LEA r32, m", 0, {0}, 0, 64, 0, 0},
	{"REX.W + 8D /r", "LEA r64, m", 0, {0}, 0, 64, 0, 0},
	{"66 8D /r", "LEA r16, m", 0, {0}, 0, 64, 0, 0},
	{"REX.W + 8D /r", "LEA r64, m", FORM_ADDR32, {0}, 0, 64, 0, 0},
	{"REX.W + 8B /r", "MOV r64, m64", FORM_ADDR32, {0}, 0, 40, 0, 0},
	{"86 /r", "XCHG r/m8, r8", 0, {0}, 0, 40, 0, 0},
	{"66 87 /r", "XCHG r/m16, r16", 0, {0}, 0, 40, 0, 0},
	{"87 /r", "XCHG r/m32, r32", FORM_MISALIGN, {0}, 0, 40, 0, 0},
	{"REX.W + 87 /r", "XCHG r/m64, r64", 0, {0}, 0, 40, 0, 0},
	{"90+rd", "XCHG EAX, r32", 0, {0}, 0, 40, 0, 0},
	{"REX.W + 90+rd", "XCHG RAX, r64", 0, {0}, 0, 40, 0, 0},
	RAW("XCHG EAX, EAX", "87 c0", 16, 0),
	CC16(CMOV)
	{"66 0F 44 /r", "CMOVE r16, r/m16", FORM_FLAGS_SWEEP, {VC_RANDOM, VC_RANDOM}, 0, 128, 0, 0},
	{"REX.W + 0F 4F /r", "CMOVG r64, r/m64", FORM_FLAGS_SWEEP, {VC_RANDOM, VC_RANDOM}, 0, 128, 0, 0},
	CC16(SETCC)
	RAW("XLAT", "d7", 32, xlat_setup), RAW("XLAT (REX.W)", "48 d7", 32, xlat_setup),
	RAW("XLAT (addr32)", "67 d7", 32, xlat_setup),
	{"FF /6", "PUSH r/m64", 0, {0}, 0, 40, 0, 0},
	{"50+rd", "PUSH r64", 0, {0}, 0, 40, 0, 0},
	{"66 50+rw", "PUSH r16", 0, {0}, 0, 40, 0, 0},
	{"6A ib", "PUSH imm8", 0, {0}, 0, 0, 0, 0},
	{"68 id", "PUSH imm32", 0, {0}, 0, 0, 0, 0},
	{"66 68 iw", "PUSH imm16", 0, {0}, 0, 0, 0, 0},
	RAW("PUSH RSP", "54", 8, 0), RAW("PUSH [RSP]", "ff 34 24", 8, 0),
	RAW("PUSH FS", "0f a0", 8, 0), RAW("PUSH GS", "0f a8", 8, 0),
	{"8F /0", "POP r/m64", 0, {0}, 0, 40, 0, 0},
	{"58+rd", "POP r64", 0, {0}, 0, 40, 0, 0},
	{"66 58+rw", "POP r16", 0, {0}, 0, 40, 0, 0},
	RAW("POP RSP", "5c", 8, 0), RAW("POP [RSP]", "8f 04 24", 8, 0),
	RAW("POP [RSP+8]", "8f 44 24 08", 8, 0),
	RAW("POP FS", "0f a1", 16, selector_setup), RAW("POP GS", "0f a9", 16, selector_setup),
	RAW("MOV EAX, CS", "8c c8", 4, 0), RAW("MOV EAX, SS", "8c d0", 4, 0),
	RAW("MOV EAX, DS", "8c d8", 4, 0), RAW("MOV EAX, ES", "8c c0", 4, 0),
	RAW("MOV EAX, FS", "8c e0", 4, 0), RAW("MOV EAX, GS", "8c e8", 4, 0),
	RAW("MOV RAX, CS", "48 8c c8", 4, 0), RAW("MOV AX, SS", "66 8c d0", 4, 0),
	RAW("MOV [RSP], CS", "8c 0c 24", 4, 0),
	RAW("MOV DS, AX", "8e d8", 16, selector_setup), RAW("MOV ES, AX", "8e c0", 16, selector_setup),
	RAW("MOV SS, AX", "8e d0", 16, selector_setup), RAW("MOV FS, AX", "8e e0", 16, selector_setup),
	RAW("MOV GS, AX", "8e e8", 16, selector_setup),
	RAW("PUSHFQ", "9c", 64, 0), RAW("PUSHF", "66 9c", 64, 0),
	RAW("POPFQ", "9d", 64, popf_setup), RAW("POPF", "66 9d", 64, popf_setup),
	RAW("LAHF", "9f", 64, 0), RAW("SAHF", "9e", 64, 0),
	{"C8 iw ib", "ENTER imm16, imm8", 0, {VC_INT, VC_SMALL}, 0, 128, 0, frame_setup},
	{"66 C8 iw ib", "ENTER imm16, imm8", 0, {VC_INT, VC_SMALL}, 0, 64, 0, frame_setup},
	RAW("LEAVE", "c9", 16, frame_setup), RAW("LEAVE (16-bit)", "66 c9", 16, frame_setup),
	RAW("CLC", "f8", 16, 0), RAW("STC", "f9", 16, 0), RAW("CMC", "f5", 16, 0),
	RAW("CLD", "fc", 16, 0), RAW("STD", "fd", 16, 0),
	STRING("", "A4", "A5", "MOVS", FORM_DF, string_setup),
	STRING("F3 ", "A4", "A5", "REP MOVS", FORM_DF, string_setup),
	STRING("", "A6", "A7", "CMPS", FORM_DF, string_setup),
	STRING("F3 ", "A6", "A7", "REPE CMPS", FORM_DF, string_setup),
	STRING("F2 ", "A6", "A7", "REPNE CMPS", FORM_DF, string_setup),
	STRING("", "AA", "AB", "STOS", FORM_DF, string_setup),
	STRING("F3 ", "AA", "AB", "REP STOS", FORM_DF, string_setup),
	STRING("", "AC", "AD", "LODS", FORM_DF, string_setup),
	STRING("F3 ", "AC", "AD", "REP LODS", FORM_DF, string_setup),
	STRING("", "AE", "AF", "SCAS", FORM_DF, string_setup),
	STRING("F3 ", "AE", "AF", "REPE SCAS", FORM_DF, string_setup),
	STRING("F2 ", "AE", "AF", "REPNE SCAS", FORM_DF, string_setup),
	{NULL, "REP MOVSB (addr32)", FORM_DF, {0}, 0, 64, "67 f3 a4", string_setup},
	{NULL, "REP STOSD (addr32)", FORM_DF, {0}, 0, 64, "67 f3 ab", string_setup},
	{NULL, "REPNE SCASB (addr32)", FORM_DF, {0}, 0, 64, "67 f2 ae", string_setup},
	{NULL, "LODSB FS:", FORM_DF, {0}, 0, 32, "64 ac", string_setup},

	/* sem_branch.h */
	{"EB cb", "JMP rel8", FORM_REL_SKIP, {0}, 0, 8, 0, 0},
	{"E9 cd", "JMP rel32", FORM_REL_SKIP, {0}, 0, 8, 0, 0},
	{"FF /4", "JMP r/m64", FORM_REL_SKIP, {0}, 0, 32, 0, branch_target},
	CC16(JCC8) CC16(JCC32)
	{"E8 cd", "CALL rel32", FORM_REL_SKIP, {0}, 0, 8, 0, 0},
	{"FF /2", "CALL r/m64", FORM_REL_SKIP, {0}, 0, 32, 0, branch_target},
	RAW("RET", "c3", 32, ret_setup),
	{"C2 iw", "RET imm16", 0, {0}, 0, 0, 0, ret_setup},
	{"E3 cb", "JRCXZ rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	{"67 E3 cb", "JECXZ rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	{"E2 cb", "LOOP rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	{"E1 cb", "LOOPE rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	{"E0 cb", "LOOPNE rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	{"67 E2 cb", "LOOP rel8", FORM_REL_SKIP | FORM_FLAGS_SWEEP, {0}, 0, 384, 0, count_setup},
	/* A backward loop: dec ecx; jnz back (a block that jumps to itself). */
	{NULL, "DEC ECX; JNZ loop", 0, {0}, 0, 16, "ff c9 75 fc", loop_setup},

	/* Non-canonical and kernel addresses. */
	RAW("PUSH RAX [non-canonical]", "50", 35, noncanon_setup),
	RAW("POP RAX [non-canonical]", "58", 35, noncanon_setup),
	RAW("RET [non-canonical]", "c3", 35, noncanon_setup),
	RAW("MOV RAX, [RBX] [non-canonical]", "48 8b 03", 35, noncanon_setup),
	RAW("ADD [RBP], EAX [non-canonical]", "01 45 00", 35, noncanon_setup),
	RAW("MOV RAX, [RSP] [non-canonical]", "48 8b 04 24", 35, noncanon_setup),
	RAW("MOV RAX, FS:[RBP] [non-canonical]", "64 48 8b 45 00", 35, noncanon_setup),
	RAW("REP MOVSB [non-canonical]", "f3 a4", 35, noncanon_setup),
	RAW("LEAVE [non-canonical]", "c9", 35, noncanon_setup),
	RAW("MOV RAX, [RBX] [kernel address]", "48 8b 03", 8, kernel_addr_setup),
	RAW("LODSB [kernel address]", "48 89 de ac", 8, kernel_addr_setup),

	/* Instructions and blocks across code pages, and fetch faults. */
	RAW("MOV RAX, imm64 [page end]", "48 b8 11 22 33 44 55 66 77 88", 40, code_at_page_end),
	RAW("ADD; XOR; INC [page end]", "48 01 d8 48 31 c8 ff c0 48 ff c3", 44, code_at_page_end),
	RAW("PUSH; POP; NOP [page end]", "50 5b 0f 1f 44 00 00 90", 32, code_at_page_end),

	/* Self-modifying code (the runner write-protects decoded pages). */
	/* mov byte [rip+2], 5; add eax, 1 (patched to 5 before it runs) */
	RAW("SMC: patch the next instruction", "c6 05 02 00 00 00 05 83 c0 01", 16, smc_setup),
	/* loop: add eax, 1; mov [rip-7], cl (the add's imm8); inc cl; dec edx; jnz loop */
	RAW("SMC: patch an executed instruction in a loop",
	    "83 c0 01 88 0d f9 ff ff ff fe c1 ff ca 75 f1", 16, smc_setup),
	/* lea rdi, [rip+12]; mov ecx, 4; mov al, 0x40; rep stosb: the four
	 * NOPs after it become INC EAX (0x40 is a REX prefix... and then
	 * 0x40 0x40 0x40 0x40 0x90 is a NOP with REX prefixes) */
	RAW("SMC: REP STOSB over following code", "48 8d 3d 0c 00 00 00 b9 04 00 00 00 b0 41 f3 aa "
	    "ff c0 ff c0", 8, smc_setup),
	/* the patch lands in the second page, written from the first */
	RAW("SMC: patch across a page", "c6 05 02 00 00 00 05 83 c0 01", 16, code_at_page_end),

	/* sem_system.h */
	{NULL, "SYSCALL", 0, {0}, 0, 16, "0f 05", syscall_setup},
	RAW("INT3", "cc", 8, 0), RAW("INT 3", "cd 03", 8, 0), RAW("INT 4", "cd 04", 8, 0),
	RAW("INT 0x21", "cd 21", 8, 0), RAW("INT 0xff", "cd ff", 8, 0), RAW("INT1", "f1", 8, 0),
	RAW("UD2", "0f 0b", 8, 0), RAW("UD1", "0f b9 c0", 8, 0), RAW("UD0", "0f ff c0", 8, 0),
	RAW("HLT", "f4", 4, 0), RAW("CLI", "fa", 4, 0), RAW("STI", "fb", 4, 0),
	RAW("IN AL, 0x80", "e4 80", 4, 0), RAW("OUT 0x80, AL", "e6 80", 4, 0),
	RAW("RDMSR", "0f 32", 4, 0), RAW("WRMSR", "0f 30", 4, 0), RAW("RDPMC", "0f 33", 4, 0),
	RAW("INVD", "0f 08", 4, 0), RAW("WBINVD", "0f 09", 4, 0), RAW("CLTS", "0f 06", 4, 0),
	RAW("MOV RAX, CR0", "0f 20 c0", 4, 0), RAW("SWAPGS", "0f 01 f8", 4, 0),
	RAW("INVLPG [RAX]", "0f 01 38", 4, 0),
	RAW("NOP", "90", 8, 0), RAW("PAUSE", "f3 90", 8, 0), RAW("ENDBR64", "f3 0f 1e fa", 8, 0),
	RAW("ENDBR32", "f3 0f 1e fb", 8, 0),
	{"0F 1F /0", "NOP r/m32", 0, {0}, 0, 16, 0, 0},
	RAW("NOP [guard]", "0f 1f 03", 4, guard_target),
	RAW("PREFETCHT0 [guard]", "0f 18 0b", 4, guard_target),
	RAW("PREFETCHNTA [guard]", "0f 18 03", 4, guard_target),
	RAW("PREFETCHW [guard]", "0f 0d 0b", 4, guard_target),
	RAW("LFENCE", "0f ae e8", 4, 0), RAW("SFENCE", "0f ae f8", 4, 0),
	RAW("MFENCE", "0f ae f0", 4, 0),
	{"0F AE /7", "CLFLUSH m8", 0, {0}, 0, 8, 0, 0},
	{"66 0F AE /7", "CLFLUSHOPT m8", 0, {0}, 0, 8, 0, 0},
	{"66 0F AE /6", "CLWB m8", 0, {0}, 0, 8, 0, 0},
	RAW("CLFLUSH [guard or ro]", "0f ae 3b", 8, guard_target),
	{"F3 0F AE /0", "RDFSBASE r32", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 REX.W 0F AE /0", "RDFSBASE r64", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 0F AE /1", "RDGSBASE r32", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 REX.W 0F AE /1", "RDGSBASE r64", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 0F AE /2", "WRFSBASE r32", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 REX.W 0F AE /2", "WRFSBASE r64", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 0F AE /3", "WRGSBASE r32", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	{"F3 REX.W 0F AE /3", "WRGSBASE r64", FORM_NO_MEM, {0}, 0, 16, 0, segbase_setup},
	RAW("MOV RAX, FS:[RBX]", "64 48 8b 03", 16, segbase_setup),
	{"0F 02 /r", "LAR r32, r32/m16", 0, {0}, 0, 28, 0, lar_setup},
	{"66 0F 02 /r", "LAR r16, r16/m16", FORM_NO_MEM, {0}, 0, 28, 0, lar_setup},
	{"REX.W + 0F 02 /r", "LAR r64, r32/m16", FORM_NO_MEM, {0}, 0, 28, 0, lar_setup},
	{"0F 03 /r", "LSL r32, r32/m16", 0, {0}, 0, 28, 0, lar_setup},
	{"REX.W + 0F 03 /r", "LSL r64, r32/m16", FORM_NO_MEM, {0}, 0, 28, 0, lar_setup},
	{"0F 00 /4", "VERR r/m16", 0, {0}, 0, 28, 0, lar_setup},
	{"0F 00 /5", "VERW r/m16", 0, {0}, 0, 28, 0, lar_setup},
	{"0F AE /0", "FXSAVE m512byte", FORM_X87, {0}, 0, 16, 0, 0},
	{"REX.W + 0F AE /0", "FXSAVE64 m512byte", FORM_X87, {0}, 0, 16, 0, 0},
	{"0F AE /0", "FXSAVE m512byte", FORM_MISALIGN, {0}, 0, 4, 0, 0},
	{"0F AE /1", "FXRSTOR m512byte", 0, {0}, 0, 18, 0, fxrstor_setup},
	{"REX.W + 0F AE /1", "FXRSTOR64 m512byte", 0, {0}, 0, 18, 0, fxrstor_setup},
	{"0F AE /4", "XSAVE mem", FORM_X87, {0}, 0, 12, 0, xsave_setup},
	{"REX.W + 0F AE /4", "XSAVE64 mem", FORM_X87, {0}, 0, 12, 0, xsave_setup},
	{"0F AE /6", "XSAVEOPT mem", FORM_X87, {0}, 0, 12, 0, xsave_setup},
	{"0F C7 /4", "XSAVEC mem", FORM_X87, {0}, 0, 12, 0, xsave_setup},
	{"0F AE /5", "XRSTOR mem", 0, {0}, 0, 33, 0, xsave_setup},
	{"REX.W + 0F AE /5", "XRSTOR64 mem", 0, {0}, 0, 22, 0, xsave_setup},
	{"0F AE /4", "XSAVE mem", FORM_MISALIGN, {0}, 0, 4, 0, xsave_setup},
	{"0F AE /2", "LDMXCSR m32", 0, {0}, 0, 16, 0, ldmxcsr_setup},
	{"0F AE /3", "STMXCSR m32", FORM_MXCSR, {0}, 0, 16, 0, 0},
};

// clang-format on

X86_FORM_SET(int_set, "int", forms)
