/* zydis_diff — differential test of the decoder against Zydis.
 *
 *   zydis_diff [--exhaustive] [--random N] [--seed S] [--examples K] [--speed] [ELF...]
 *
 * For every instruction of the executable sections of each ELF (a linear
 * sweep from the section start and from every function symbol, resynced
 * with Zydis's length where the two disagree), and for N random byte
 * strings (uniform, and biased towards prefixes, the 0F maps, VEX and
 * EVEX), and with --exhaustive for every opcode of every map with every
 * ModRM byte under a set of prefix, REX and VEX field combinations, both
 * decoders run on the same bytes; validity, length, mnemonic
 * and every operand (kind, size, register, memory base/index/scale/disp/
 * segment, immediate) are compared after mapping Zydis's visible operands
 * to our conventions. Instructions of extensions we deliberately do not
 * model (AVX-512 operands, AMX, 3DNow!, XOP...) are counted apart by
 * Zydis's ISA set. Exit status 1 if anything else disagrees.
 */
#include <Zydis/Zydis.h>
#include <ctype.h>
#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "translator/x86/decode_tab.h"
#include "translator/x86/x86.h"

/* ---- result classes ---- */

#define MAX_CLASSES  256
#define MAX_EXAMPLES 16

/* DISAGREE: a bug of ours until explained; EXCLUDED: an extension we do
 * not model; EXPLAINED: Zydis is wrong (each case says why). */
enum kind { DISAGREE, EXCLUDED, EXPLAINED };

struct cls {
	char name[96];
	enum kind kind;
	uint64_t count;
	unsigned nex;
	char ex[MAX_EXAMPLES][320];
};

static struct cls classes[MAX_CLASSES];
static unsigned nclasses;
static unsigned max_examples = 5;
static uint64_t n_agree, n_agree_invalid;

static struct cls *get_class(const char *name, enum kind kind)
{
	for (unsigned i = 0; i < nclasses; i++)
		if (!strcmp(classes[i].name, name) && classes[i].kind == kind)
			return &classes[i];
	if (nclasses == MAX_CLASSES) {
		fprintf(stderr, "zydis_diff: too many classes\n");
		exit(2);
	}
	struct cls *c = &classes[nclasses++];
	snprintf(c->name, sizeof c->name, "%s", name);
	c->kind = kind;
	return c;
}

static void hexbytes(char *out, size_t size, const uint8_t *b, size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && k + 3 < size; i++)
		k += snprintf(out + k, size - k, "%02x", b[i]);
}

static void record(const char *name, enum kind kind, const uint8_t *bytes, size_t n,
		   const char *detail)
{
	struct cls *c = get_class(name, kind);
	c->count++;
	if (c->nex < max_examples && c->nex < MAX_EXAMPLES) {
		char hex[40];
		hexbytes(hex, sizeof hex, bytes, n > 15 ? 15 : n);
		snprintf(c->ex[c->nex++], sizeof c->ex[0], "%-30s %s", hex, detail);
	}
}

/* ---- Zydis side ---- */

static ZydisDecoder zdec;

/* ISA sets whose instructions we deliberately do not model; NULL if we do. */
static const char *unmodelled(ZydisISASet s)
{
	const char *name = ZydisISASetGetString(s);
	static const struct {
		const char *prefix, *cls;
	} tab[] = {
		{"AVX512", "AVX-512 (EVEX)"},
		{"AMX", "AMX"},
		{"AMD3DNOW", "3DNow!"},
		{"XOP", "AMD XOP/FMA4/TBM/LWP"},
		{"FMA4", "AMD XOP/FMA4/TBM/LWP"},
		{"TBM", "AMD XOP/FMA4/TBM/LWP"},
		{"LWP", "AMD XOP/FMA4/TBM/LWP"},
		{"KNC", "Knights Corner"},
		{"VAES", "VAES/VPCLMULQDQ (256-bit VEX)"},
		{"VPCLMULQDQ", "VAES/VPCLMULQDQ (256-bit VEX)"},
		{"AVX_VNNI", "AVX-VNNI"},
		{"PADLOCK", "VIA PadLock"},
		{"SNP", "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
		{"TDX", "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
		{"PCONFIG",
		 "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
		{"SGX_ENCLV",
		 "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
		{"AMD_INVLPGB",
		 "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
		{"TSX_LDTRK",
		 "other system extensions (SNP, TDX, PCONFIG, ENCLV, INVLPGB, TSXLDTRK)"},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (!strncmp(name, tab[i].prefix, strlen(tab[i].prefix)))
			return tab[i].cls;
	return NULL;
}

/* A Zydis operand in our terms. */
struct zop {
	struct x86_opnd o;
	bool ok;       /* mappable */
	bool relative; /* immediate is a branch displacement */
	uint64_t imm;  /* immediate value */
	uint8_t base, index, scale, seg;
	int64_t disp;
	bool agen;     /* address-only memory operand (LEA) */
	bool implicit; /* shown, but not encoded */
	bool modrm_rm; /* encoded in ModRM.rm */
	char what[48]; /* why not mappable */
};

static bool map_reg(ZydisRegister r, struct x86_opnd *o)
{
	ZydisRegisterClass c = ZydisRegisterGetClass(r);
	int id = ZydisRegisterGetId(r);
	switch (c) {
	case ZYDIS_REGCLASS_GPR8:
		o->kind = X86_OPND_GPR;
		o->size = 1;
		o->reg = r >= ZYDIS_REGISTER_AH && r <= ZYDIS_REGISTER_BH
				 ? X86_AH + (r - ZYDIS_REGISTER_AH)
			 : r >= ZYDIS_REGISTER_SPL ? 4 + (r - ZYDIS_REGISTER_SPL)
						   : r - ZYDIS_REGISTER_AL;
		return true;
	case ZYDIS_REGCLASS_GPR16:
		o->kind = X86_OPND_GPR;
		o->size = 2;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_GPR32:
		o->kind = X86_OPND_GPR;
		o->size = 4;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_GPR64:
		o->kind = X86_OPND_GPR;
		o->size = 8;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_X87:
		o->kind = X86_OPND_ST;
		o->size = 10;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_MMX:
		o->kind = X86_OPND_MMX;
		o->size = 8;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_XMM:
		o->kind = X86_OPND_XMM;
		o->size = 16;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_YMM:
		o->kind = X86_OPND_XMM;
		o->size = 32;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_SEGMENT:
		o->kind = X86_OPND_SEG;
		o->size = 2;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_CONTROL:
		o->kind = X86_OPND_CR;
		o->size = 8;
		o->reg = id;
		return true;
	case ZYDIS_REGCLASS_DEBUG:
		o->kind = X86_OPND_DR;
		o->size = 8;
		o->reg = id;
		return true;
	default: return false;
	}
}

static uint8_t map_addr_reg(ZydisRegister r)
{
	if (r == ZYDIS_REGISTER_NONE)
		return X86_REG_NONE;
	if (r == ZYDIS_REGISTER_RIP || r == ZYDIS_REGISTER_EIP)
		return X86_REG_RIP;
	return ZydisRegisterGetId(r);
}

static void map_operand(const ZydisDecodedOperand *z, struct zop *m)
{
	memset(m, 0, sizeof *m);
	m->ok = true;
	m->implicit = z->visibility == ZYDIS_OPERAND_VISIBILITY_IMPLICIT;
	m->modrm_rm = z->encoding == ZYDIS_OPERAND_ENCODING_MODRM_RM;
	switch (z->type) {
	case ZYDIS_OPERAND_TYPE_REGISTER:
		if (!map_reg(z->reg.value, &m->o)) {
			m->ok = false;
			snprintf(m->what, sizeof m->what, "register %s",
				 ZydisRegisterGetString(z->reg.value));
		}
		break;
	case ZYDIS_OPERAND_TYPE_MEMORY:
		m->o.kind = X86_OPND_MEM;
		m->o.size = z->size / 8;
		m->agen = z->mem.type == ZYDIS_MEMOP_TYPE_AGEN;
		m->base = map_addr_reg(z->mem.base);
		m->index = map_addr_reg(z->mem.index);
		m->scale = z->mem.index == ZYDIS_REGISTER_NONE ? 1 : z->mem.scale;
		m->disp = z->mem.disp.has_displacement ? z->mem.disp.value : 0;
		m->seg = z->mem.segment == ZYDIS_REGISTER_FS   ? X86_SEG_FS
			 : z->mem.segment == ZYDIS_REGISTER_GS ? X86_SEG_GS
							       : X86_SEG_NONE;
		break;
	case ZYDIS_OPERAND_TYPE_IMMEDIATE:
		m->relative = z->imm.is_relative;
		m->o.kind = m->relative ? X86_OPND_REL : X86_OPND_IMM;
		m->o.size = z->size / 8;
		m->imm = z->imm.value.u;
		break;
	default:
		m->ok = false;
		snprintf(m->what, sizeof m->what, "operand type %d", z->type);
		break;
	}
}

/* ---- expected mnemonic ---- */

static const char *const zcc[16] = {"o", "no", "b", "nb", "z", "nz", "be", "nbe",
				    "s", "ns", "p", "np", "l", "nl", "le", "nle"};

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Does Zydis's mnemonic zm name our decoded instruction? */
static bool mnemonic_ok(const struct x86_insn *in, const char *zm)
{
	char name[40], want[48];
	const char *n = x86_op_name(in->op);
	size_t i;
	for (i = 0; n[i] && i < sizeof name - 1; i++)
		name[i] = tolower((unsigned char)n[i]);
	name[i] = 0;
	static const char sfx[9] = {0, 'b', 'w', 0, 'd', 0, 0, 0, 'q'};
	static const char *const fcc[16] = {[2] = "b",	[3] = "nb",  [4] = "e",	 [5] = "ne",
					    [6] = "be", [7] = "nbe", [10] = "u", [11] = "nu"};
	/* VEX forms of SIMD ops take a "v"; BMI's VEX encoding is no SIMD */
	bool vex = (in->prefix & X86_PFX_VEX) &&
		   (in->op >= X86_OP_EMMS || in->op == X86_OP_LDMXCSR || in->op == X86_OP_STMXCSR);
	switch (in->op) {
	case X86_OP_JCC: snprintf(want, sizeof want, "j%s", zcc[in->cond]); break;
	case X86_OP_SETCC: snprintf(want, sizeof want, "set%s", zcc[in->cond]); break;
	case X86_OP_CMOVCC: snprintf(want, sizeof want, "cmov%s", zcc[in->cond]); break;
	case X86_OP_FCMOVCC:
		snprintf(want, sizeof want, "fcmov%s", fcc[in->cond] ? fcc[in->cond] : "?");
		break;
	case X86_OP_CBW:
		snprintf(want, sizeof want, "%s",
			 in->opsize == 2   ? "cbw"
			 : in->opsize == 4 ? "cwde"
					   : "cdqe");
		break;
	case X86_OP_CWD:
		snprintf(want, sizeof want, "%s",
			 in->opsize == 2   ? "cwd"
			 : in->opsize == 4 ? "cdq"
					   : "cqo");
		break;
	case X86_OP_MOVS:
	case X86_OP_CMPS:
	case X86_OP_STOS:
	case X86_OP_LODS:
	case X86_OP_SCAS:
	case X86_OP_INS:
	case X86_OP_OUTS: snprintf(want, sizeof want, "%s%c", name, sfx[in->opsize]); break;
	case X86_OP_PUSHF:
	case X86_OP_POPF:
		snprintf(want, sizeof want, "%s%s", name,
			 in->opsize == 8   ? "q"
			 : in->opsize == 4 ? "d"
					   : "");
		break;
	case X86_OP_IRET:
		snprintf(want, sizeof want, "iret%s",
			 in->opsize == 8   ? "q"
			 : in->opsize == 4 ? "d"
					   : "");
		break;
	case X86_OP_JRCXZ:
		snprintf(want, sizeof want, in->addrsize == 8 ? "jrcxz" : "jecxz");
		break;
	case X86_OP_VFMADD:
	case X86_OP_VFMSUB:
	case X86_OP_VFNMADD:
	case X86_OP_VFNMSUB:
	case X86_OP_VFMADDSUB:
	case X86_OP_VFMSUBADD: {
		static const char *const ord[4] = {"", "132", "213", "231"};
		snprintf(want, sizeof want, "%s%s%c%c", name, ord[in->cond & 3],
			 in->cond & 4 ? 's' : 'p', in->prefix & X86_PFX_VEX_W ? 'd' : 's');
		break;
	}
	case X86_OP_PREFETCH:
	case X86_OP_PREFETCHW: return starts(zm, "prefetch");
	case X86_OP_VMX: return starts(zm, "vm") || starts(zm, "inv");
	case X86_OP_SHL: return !strcmp(zm, "shl") || !strcmp(zm, "sal");
	case X86_OP_FSTP: return !strcmp(zm, "fstp") || !strcmp(zm, "fstpnce");
	case X86_OP_FNENI: return !strcmp(zm, "feni8087_nop");
	case X86_OP_FNDISI: return !strcmp(zm, "fdisi8087_nop");
	case X86_OP_FNSETPM: return !strcmp(zm, "fsetpm287_nop");
	case X86_OP_RDSSP:
	case X86_OP_INCSSP:
	case X86_OP_WRSS:
	case X86_OP_WRUSS: return starts(zm, name) && strlen(zm) == strlen(name) + 1;
	default:
		if (strchr(name, '_'))
			*strchr(name, '_') = 0;
		snprintf(want, sizeof want, "%s%s", vex && name[0] != 'v' ? "v" : "", name);
		break;
	}
	if (!strcmp(zm, want))
		return true;
	/* FXSAVE64, XSAVE64 ...: REX.W forms */
	size_t wl = strlen(want);
	return !strncmp(zm, want, wl) && !strcmp(zm + wl, "64");
}

/* ---- comparison ---- */

static bool legacy_dup(const struct dform *f, const struct x86_insn *in)
{
	if (in->prefix & X86_PFX_VEX)
		return false;
	for (unsigned i = 0; i < 4; i++)
		if (f->o[i].kind == K_H || f->o[i].kind == K_HD)
			return true;
	return false;
}

/* With 32-bit addressing the effective address wraps at 4 GiB: Zydis
 * sign-extends a 32-bit moffs, we zero-extend it; both mean the same. */
static bool same_disp(const struct x86_insn *in, int64_t zdisp)
{
	if (in->addrsize == 4)
		return (uint32_t)in->disp == (uint32_t)zdisp;
	return in->disp == zdisp;
}

static uint64_t mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static bool x87_op(unsigned op)
{
	return op >= X86_OP_FLD && op <= X86_OP_FNSETPM;
}

/* Does in->opsize carry meaning for this form? It does where it sizes an
 * operand, and for general-purpose ops without operands (MOVS, CBW,
 * PUSHF, RET...). Not for XLAT (byte by our convention), SYSCALL, hint
 * NOPs and system ops. */
static bool opsize_matters(const struct x86_insn *in, const struct dform *f)
{
	if (in->op == X86_OP_XLAT || in->op == X86_OP_SYSCALL || in->op == X86_OP_NOP ||
	    (x86_op_flags[in->op] & (X86_OPF_PRIV | X86_OPF_NOEXE)) || in->op >= X86_OP_FLD)
		return false;
	if (in->nopnd == 0)
		return true;
	for (unsigned i = 0; i < 4; i++) {
		switch (f->o[i].size) {
		case SZ_V:
		case SZ_Z:
		case SZ_VW:
		case SZ_ZW:
		case SZ_ZD:
		case SZ_V0:
		case SZ_FAR: return true;
		}
	}
	return false;
}

/* Compares one instruction; returns NULL if it agrees, else a class name
 * and the detail in `detail`. */
static const char *compare(const struct x86_insn *in, const struct dform *f,
			   const ZydisDecodedInstruction *zi, const ZydisDecodedOperand *zo,
			   char *detail, size_t dsize)
{
	detail[0] = 0;
	if (in->len != zi->length) {
		snprintf(detail, dsize, "length %u vs zydis %u", in->len, zi->length);
		return "length";
	}
	if (!f)
		return NULL; /* EVEX: length only */
	const char *zm = ZydisMnemonicGetString(zi->mnemonic);
	if (!mnemonic_ok(in, zm)) {
		snprintf(detail, dsize, "op %s vs zydis %s", x86_op_name(in->op), zm);
		return "mnemonic";
	}

	/* LOCK, and REP/REPNE on string operations */
	bool zlock = zi->attributes & ZYDIS_ATTRIB_HAS_LOCK;
	bool zrep = zi->attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE);
	bool zrepne = zi->attributes & ZYDIS_ATTRIB_HAS_REPNE;
	if (!!(in->prefix & X86_PFX_LOCK) != zlock ||
	    ((f->flags & FL_STR) &&
	     (!!(in->prefix & X86_PFX_REP) != zrep || !!(in->prefix & X86_PFX_REPNE) != zrepne))) {
		snprintf(detail, dsize, "prefix %#x vs zydis lock %d rep %d repne %d", in->prefix,
			 zlock, zrep, zrepne);
		return "prefix";
	}
	/* operand size, where it sizes operands or is all there is to go by */
	if (opsize_matters(in, f) && in->opsize * 8 != zi->operand_width) {
		snprintf(detail, dsize, "opsize %u vs zydis %u", in->opsize, zi->operand_width / 8);
		return "operand size";
	}
	/* Zydis's visible operands, our conventions applied */
	struct zop z[8];
	unsigned nz = 0;
	for (unsigned i = 0; i < zi->operand_count && nz < 8; i++) {
		if (zo[i].visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN)
			continue;
		map_operand(&zo[i], &z[nz++]);
	}
	struct x86_opnd ours[4];
	unsigned no = 0;
	bool dup = legacy_dup(f, in);
	for (unsigned i = 0; i < in->nopnd; i++) {
		if (dup && i == 1)
			continue;
		/* legacy BLENDV*, SHA256RNDS2: Zydis hides the implicit XMM0 we list */
		if (f->o[i].kind == K_X0)
			continue;
		ours[no++] = in->opnd[i];
	}
	/* NOP r/m: Zydis also shows the ModRM.reg register the SDM leaves out */
	if (in->op == X86_OP_NOP && no == 1 && nz == 2) {
		if (!z[0].modrm_rm)
			z[0] = z[1];
		nz = 1;
	}
	/* system ops without SDM operands (CLZERO, VMLOAD, INVLPGA...): Zydis
	 * shows their implicit registers */
	if (no == 0 && (x86_op_flags[in->op] & (X86_OPF_PRIV | X86_OPF_NOEXE))) {
		bool all_implicit = true;
		for (unsigned i = 0; i < nz; i++)
			all_implicit &= z[i].implicit;
		if (all_implicit)
			nz = 0;
	}
	/* x87: Zydis shows an implicit ST(0) where the SDM syntax has none */
	if (x87_op(in->op) && nz == no + 1) {
		for (unsigned i = 0; i < nz; i++) {
			if (z[i].implicit && z[i].o.kind == X86_OPND_ST && z[i].o.reg == 0) {
				memmove(&z[i], &z[i + 1], (nz - i - 1) * sizeof z[0]);
				nz--;
				break;
			}
		}
	}
	if (no != nz) {
		snprintf(detail, dsize, "%u operands vs zydis %u", no, nz);
		return "operand count";
	}
	unsigned imm_seen = 0;
	for (unsigned i = 0; i < no; i++) {
		const struct x86_opnd *o = &ours[i];
		struct zop *m = &z[i];
		if (!m->ok) {
			snprintf(detail, dsize, "operand %u: zydis %s", i, m->what);
			return "unmappable zydis operand";
		}
		if (o->kind != m->o.kind) {
			snprintf(detail, dsize, "operand %u kind %u vs zydis %u", i, o->kind,
				 m->o.kind);
			return "operand kind";
		}
		switch (o->kind) {
		case X86_OPND_MEM:
			/* size 0: address only, or an area the op implies */
			if (o->size && o->size != m->o.size) {
				snprintf(detail, dsize, "operand %u mem size %u vs zydis %u", i,
					 o->size, m->o.size);
				return "memory size";
			}
			/* Zydis 4.0 reads 67 + REX.B + SIB base 101 with mod 00 as [r13d]
			 * without a displacement; it is disp32 with no base (SDM vol. 2
			 * table 2-3), as Zydis's own length says */
			if (in->addrsize == 4 && in->mem_base == X86_REG_NONE && m->base == 13 &&
			    m->disp == 0 && in->mem_index == m->index) {
				snprintf(detail, dsize, "zydis [r13d] without disp, length %u",
					 zi->length);
				return "Zydis 4.0 bug: 32-bit SIB no-base with REX.B read as "
				       "[r13d]";
			}
			if (in->mem_base != m->base || in->mem_index != m->index ||
			    (in->mem_index != X86_REG_NONE && in->mem_scale != m->scale) ||
			    !same_disp(in, m->disp) || in->seg != m->seg) {
				snprintf(detail, dsize,
					 "mem b%u i%u s%u d%" PRId64
					 " seg%u vs zydis b%u i%u s%u d%" PRId64 " seg%u",
					 in->mem_base, in->mem_index, in->mem_scale, in->disp,
					 in->seg, m->base, m->index, m->scale, m->disp, m->seg);
				return "memory address";
			}
			break;
		case X86_OPND_IMM: {
			uint64_t ourv = imm_seen++ ? in->imm2 : (uint64_t)in->imm;
			if ((ourv & mask(o->size)) != (m->imm & mask(o->size))) {
				snprintf(detail, dsize,
					 "operand %u imm %#" PRIx64 " vs zydis %#" PRIx64, i, ourv,
					 m->imm);
				return "immediate value";
			}
			/* Zydis sizes an immediate as encoded; we as used (sign-extended
			 * imm8/imm32 at the operand size) */
			if (o->size != m->o.size && o->size != zi->operand_width / 8) {
				snprintf(detail, dsize, "operand %u imm size %u vs zydis %u", i,
					 o->size, m->o.size);
				return "immediate size";
			}
			break;
		}
		case X86_OPND_REL:
			if ((uint64_t)in->imm != m->imm) {
				snprintf(detail, dsize,
					 "operand %u rel %" PRId64 " vs zydis %" PRId64, i, in->imm,
					 (int64_t)m->imm);
				return "branch displacement";
			}
			break;
		default:
			/* hint NOPs: which register Zydis shows is immaterial */
			if (in->op == X86_OP_NOP)
				break;
			if (o->reg != m->o.reg || o->size != m->o.size) {
				snprintf(detail, dsize,
					 "operand %u reg %u size %u vs zydis reg %u size %u", i,
					 o->reg, o->size, m->o.reg, m->o.size);
				return "register";
			}
			break;
		}
	}
	return NULL;
}

/* Decodes bytes with both; returns our length to advance by when the
 * two agree, or 0 when they disagree (the caller resyncs). */
static unsigned check(const uint8_t *b, size_t avail, unsigned *zlen)
{
	struct x86_insn in;
	const struct dform *f;
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
	int r = x86_decode_form(b, avail, &in, &f);
	bool zok = ZYAN_SUCCESS(ZydisDecoderDecodeFull(&zdec, b, avail, &zi, zo));
	*zlen = zok ? zi.length : 0;
	char detail[200], ours[96], text[300];
	x86_format(&in, 0, ours, sizeof ours);

	if (!zok) {
		if (r < 0) {
			n_agree_invalid++;
			return 1;
		}
		if (in.op == X86_OP_AVX512) {
			record("EVEX opcode validity (not modelled)", EXCLUDED, b, in.len, ours);
			return in.len;
		}
		snprintf(text, sizeof text, "ours: %s", ours);
		record("we decode, zydis rejects", DISAGREE, b, in.len, text);
		return 0;
	}
	const char *um = unmodelled(zi.meta.isa_set);
	const char *zm = ZydisMnemonicGetString(zi.mnemonic);
	if (r < 0) {
		snprintf(text, sizeof text, "zydis: %s [%s] ours: %s", zm,
			 ZydisISASetGetString(zi.meta.isa_set),
			 r == X86_DECODE_SHORT ? "short" : "invalid");
		if (um && zi.encoding != ZYDIS_INSTRUCTION_ENCODING_EVEX) {
			record(um, EXCLUDED, b, zi.length, text);
			return zi.length;
		}
		record("zydis decodes, we reject", DISAGREE, b, zi.length, text);
		return 0;
	}
	if (um || in.op == X86_OP_AVX512) {
		/* not modelled: only the length must agree */
		if (in.len != zi.length) {
			snprintf(text, sizeof text, "length %u vs zydis %u (%s [%s]); ours: %s",
				 in.len, zi.length, zm, ZydisISASetGetString(zi.meta.isa_set),
				 ours);
			record("length", DISAGREE, b, zi.length, text);
			return 0;
		}
		record(um ? um : "EVEX decoded by zydis as non-AVX512", um ? EXCLUDED : DISAGREE, b,
		       in.len, zm);
		return in.len;
	}
	const char *c = compare(&in, f, &zi, zo, detail, sizeof detail);
	if (c) {
		snprintf(text, sizeof text, "%s; ours: %s; zydis: %s [%s]", detail, ours, zm,
			 ZydisISASetGetString(zi.meta.isa_set));
		record(c, strncmp(c, "Zydis ", 6) ? DISAGREE : EXPLAINED, b, zi.length, text);
		return 0;
	}
	n_agree++;
	return in.len;
}

/* ---- ELF sweep ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void sweep(const uint8_t *code, uint64_t size)
{
	uint64_t pos = 0;
	while (pos < size) {
		size_t avail = size - pos < 16 ? size - pos : 16;
		unsigned zlen, n = check(code + pos, avail, &zlen);
		pos += n ? n : zlen ? zlen : 1;
	}
}

/* Calls fn on each stretch of code of the ELF at path: its executable
 * sections, cut at every function symbol. */
static int each_region(const char *path, void (*fn)(const uint8_t *code, uint64_t size))
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	struct stat st;
	fstat(fd, &st);
	const uint8_t *img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED) {
		perror(path);
		return -1;
	}
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	if (st.st_size < (off_t)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64) {
		fprintf(stderr, "%s: not an x86-64 ELF\n", path);
		munmap((void *)img, st.st_size);
		return -1;
	}
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);

	/* function starts, from .symtab and .dynsym */
	uint64_t *starts = NULL;
	size_t nstarts = 0;
	for (unsigned s = 0; s < eh->e_shnum; s++) {
		if (sh[s].sh_type != SHT_SYMTAB && sh[s].sh_type != SHT_DYNSYM)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(img + sh[s].sh_offset);
		size_t n = sh[s].sh_size / sizeof *sym;
		starts = realloc(starts, (nstarts + n) * sizeof *starts);
		for (size_t k = 0; k < n; k++)
			if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && sym[k].st_value)
				starts[nstarts++] = sym[k].st_value;
	}
	if (nstarts)
		qsort(starts, nstarts, sizeof *starts, cmp_u64);

	for (unsigned s = 0; s < eh->e_shnum; s++) {
		if (sh[s].sh_type != SHT_PROGBITS || !(sh[s].sh_flags & SHF_EXECINSTR))
			continue;
		uint64_t lo = sh[s].sh_addr, hi = lo + sh[s].sh_size;
		const uint8_t *code = img + sh[s].sh_offset;
		uint64_t from = lo;
		for (size_t k = 0; k < nstarts; k++) {
			if (starts[k] <= from || starts[k] >= hi)
				continue;
			fn(code + (from - lo), starts[k] - from);
			from = starts[k];
		}
		fn(code + (from - lo), hi - from);
	}
	free(starts);
	munmap((void *)img, st.st_size);
	return 0;
}

static uint64_t count_kind(enum kind kind)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < nclasses; i++)
		if (classes[i].kind == kind)
			n += classes[i].count;
	return n;
}

/* Runs fn and prints what it added to the counts. */
static void counted(const char *what, void (*fn)(const void *), const void *arg)
{
	uint64_t agree = n_agree, invalid = n_agree_invalid, excl = count_kind(EXCLUDED),
		 expl = count_kind(EXPLAINED), bad = count_kind(DISAGREE);
	fn(arg);
	printf("%s: agree %" PRIu64 " (+ %" PRIu64 " invalid for both), excluded %" PRIu64
	       ", explained %" PRIu64 ", disagree %" PRIu64 "\n",
	       what, n_agree - agree, n_agree_invalid - invalid, count_kind(EXCLUDED) - excl,
	       count_kind(EXPLAINED) - expl, count_kind(DISAGREE) - bad);
}

static void sweep_elf(const void *path)
{
	if (each_region(path, sweep) < 0)
		exit(2);
}

/* ---- decode speed ---- */

static struct region {
	uint8_t *code;
	uint64_t size;
} * regions;
static size_t nregions;

static void keep_region(const uint8_t *code, uint64_t size)
{
	regions = realloc(regions, (nregions + 1) * sizeof *regions);
	regions[nregions].code = malloc(size ? size : 1);
	memcpy(regions[nregions].code, code, size);
	regions[nregions++].size = size;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Linear sweeps of every region for at least a second; instructions/s. */
static double speed(int which)
{
	uint64_t n = 0;
	double t0 = now(), t;
	do {
		for (size_t r = 0; r < nregions; r++) {
			const uint8_t *c = regions[r].code;
			uint64_t pos = 0, size = regions[r].size;
			while (pos < size) {
				int len;
				if (which == 0) {
					struct x86_insn in;
					len = x86_decode(c + pos, size - pos, &in);
				} else {
					ZydisDecodedInstruction zi;
					ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
					len = ZYAN_SUCCESS(ZydisDecoderDecodeFull(
						      &zdec, c + pos, size - pos, &zi, zo))
						      ? zi.length
						      : -1;
				}
				pos += len > 0 ? len : 1;
				n++;
			}
		}
		t = now() - t0;
	} while (t < 1.0);
	return n / t;
}

/* ---- random strings ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Fills 16 bytes: generator g picks what the string starts with. */
static void random_string(uint8_t b[16], unsigned g)
{
	static const uint8_t pfx[] = {0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x64, 0x65};
	for (unsigned i = 0; i < 16; i += 8) {
		uint64_t v = rnd();
		memcpy(b + i, &v, 8);
	}
	unsigned k = 0;
	switch (g) {
	case 0: return; /* uniform */
	case 1:		/* legacy prefixes, REX, one-byte map */
	case 2:		/* ... 0F */
	case 3:		/* ... 0F 38 / 0F 3A */
		for (unsigned n = rnd() % 3; n; n--)
			b[k++] = pfx[rnd() % sizeof pfx];
		if (rnd() & 1)
			b[k++] = 0x40 | (rnd() & 15);
		if (g >= 2)
			b[k++] = 0x0f;
		if (g == 3)
			b[k++] = rnd() & 1 ? 0x38 : 0x3a;
		return;
	case 4: /* VEX */
		if (rnd() % 8 == 0)
			b[k++] = pfx[rnd() % sizeof pfx];
		b[k++] = rnd() & 1 ? 0xc4 : 0xc5;
		if (b[k - 1] == 0xc4 && rnd() % 4)
			b[k] = (b[k] & 0xe0) | (1 + rnd() % 3); /* mostly valid maps */
		return;
	case 5: /* EVEX */ b[k++] = 0x62; return;
	case 6: /* x87 */
		if (rnd() & 1)
			b[k++] = 0x40 | (rnd() & 15);
		b[k++] = 0xd8 + rnd() % 8;
		return;
	}
}

static uint64_t nrandom, seed = 1;

static void random_test(const void *unused)
{
	uint64_t n = nrandom;
	rng_state = seed;
	uint8_t b[16];
	for (uint64_t i = 0; i < n; i++) {
		random_string(b, i % 7);
		unsigned zlen;
		check(b, sizeof b, &zlen);
	}
}

/* Every map, opcode and ModRM byte, under prefix/REX and VEX field
 * combinations; the bytes after ModRM (SIB, displacement, immediates)
 * come from a fixed tail. */
static const uint8_t tail[12] = {0x24, 0x11, 0x22, 0x33, 0x44, 0x55,
				 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};

/* head: the bytes before the opcode */
static void all_opcodes(const uint8_t *head, unsigned n)
{
	uint8_t b[32];
	unsigned zlen;
	memcpy(b, head, n);
	for (unsigned op = 0; op < 256; op++) {
		for (unsigned modrm = 0; modrm < 256; modrm++) {
			b[n] = op;
			b[n + 1] = modrm;
			memcpy(b + n + 2, tail, sizeof tail);
			check(b, n + 2 + sizeof tail, &zlen);
		}
	}
}

static void exhaustive_test(const void *unused)
{
	static const uint8_t legacy[][3] = {{0},       {1, 0x66},	{1, 0xf3},
					    {1, 0xf2}, {2, 0x66, 0xf3}, {2, 0x66, 0xf2},
					    {1, 0xf0}, {1, 0x67}};
	static const uint8_t rexes[] = {0, 0x48, 0x47, 0x4f};
	static const uint8_t escapes[][3] = {{0}, {1, 0x0f}, {2, 0x0f, 0x38}, {2, 0x0f, 0x3a}};
	for (unsigned p = 0; p < sizeof legacy / sizeof legacy[0]; p++) {
		for (unsigned r = 0; r < sizeof rexes; r++) {
			for (unsigned m = 0; m < 4; m++) {
				uint8_t head[8];
				unsigned n = 0;
				for (unsigned i = 0; i < legacy[p][0]; i++)
					head[n++] = legacy[p][1 + i];
				if (rexes[r])
					head[n++] = rexes[r];
				for (unsigned i = 0; i < escapes[m][0]; i++)
					head[n++] = escapes[m][1 + i];
				all_opcodes(head, n);
			}
		}
	}
	/* three-byte VEX with R/X/B set: each map, W, two vvvv, L, pp */
	static const uint8_t vvvvs[] = {15, 2};
	for (unsigned map = 1; map <= 3; map++) {
		for (unsigned v = 0; v < 2 * 2 * 2 * 4; v++) {
			unsigned w = v & 1, vvvv = vvvvs[v >> 1 & 1], l = v >> 2 & 1, pp = v >> 3;
			uint8_t head[3] = {0xc4, 0xe0 | map,
					   w << 7 | (~vvvv & 15) << 3 | l << 2 | pp};
			all_opcodes(head, 3);
		}
	}
}

/* ---- report ---- */

static uint64_t report_kind(enum kind kind, const char *title, bool examples)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < nclasses; i++)
		if (classes[i].kind == kind)
			n += classes[i].count;
	printf("%s: %" PRIu64 "\n", title, n);
	for (unsigned i = 0; i < nclasses; i++) {
		if (classes[i].kind != kind)
			continue;
		printf("  %-66s %" PRIu64 "\n", classes[i].name, classes[i].count);
		for (unsigned e = 0; examples && e < classes[i].nex; e++)
			printf("      %s\n", classes[i].ex[e]);
	}
	return n;
}

static int report(void)
{
	printf("agree: %" PRIu64 " (+ %" PRIu64 " invalid for both)\n", n_agree, n_agree_invalid);
	report_kind(EXCLUDED, "excluded (extensions not modelled)",
		    getenv("ZD_SHOW_EXCLUDED") != NULL);
	report_kind(EXPLAINED, "explained (Zydis is wrong)", true);
	return report_kind(DISAGREE, "disagree", true) ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool exhaustive = false, bench = false;
	ZydisDecoderInit(&zdec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	/* MPX is gone from current CPUs: its opcodes are hint NOPs again */
	ZydisDecoderEnableMode(&zdec, ZYDIS_DECODER_MODE_MPX, ZYAN_FALSE);
	int i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--random") && i + 1 < argc)
			nrandom = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--speed"))
			bench = true;
		else if (!strcmp(argv[i], "--exhaustive"))
			exhaustive = true;
		else if (!strcmp(argv[i], "--examples") && i + 1 < argc)
			max_examples = atoi(argv[++i]);
		else {
			fprintf(stderr,
				"usage: %s [--exhaustive] [--random N] [--seed S] [--examples K] "
				"[--speed] [ELF...]\n",
				argv[0]);
			return 2;
		}
	}
	if (bench) {
		for (; i < argc; i++)
			if (each_region(argv[i], keep_region) < 0)
				return 2;
		double ours = speed(0), zydis = speed(1);
		printf("decode speed, linear sweep: ours %.1f M insns/s, Zydis (full decode) %.1f "
		       "M "
		       "insns/s\n",
		       ours / 1e6, zydis / 1e6);
		return 0;
	}
	for (; i < argc; i++)
		counted(argv[i], sweep_elf, argv[i]);
	if (exhaustive)
		counted("every opcode x ModRM", exhaustive_test, NULL);
	if (nrandom) {
		char what[80];
		snprintf(what, sizeof what, "%" PRIu64 " random strings (seed %" PRIu64 ")",
			 nrandom, seed);
		counted(what, random_test, NULL);
	}
	return report();
}
