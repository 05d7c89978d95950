/* decode.c — the x86-64 (64-bit mode) instruction decoder.
 *
 * The contract semantics and xlatec rely on (x86.h names the fields):
 *
 * - x86_decode() fills every field from the bytes alone: the struct is
 *   zeroed first (padding included), so equal bytes give memcmp-equal
 *   structs that xlatec can emit as `static const` literals. Thread-safe,
 *   no allocation, libc only; the form tables (decode_tab_*.c) are indexed
 *   by (map, opcode) once, under pthread_once, and a decode looks at the
 *   few forms of its opcode.
 * - Operands: the explicit operands of the SDM's Intel syntax, destination
 *   first. Implicit ones are not listed (MUL's RAX/RDX, PUSH's RSP,
 *   CMPXCHG's RAX...). MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS and XLAT have none:
 *   opsize is the element size (1 for XLAT), addrsize the RSI/RDI width,
 *   F3/F2 give X86_PFX_REP/REPNE (the last of them counts). Shift by one
 *   has an IMM operand with imm 1, shift by CL a GPR operand CL.
 * - GPR: size is the access size; byte registers 4-7 without any REX are
 *   AH..BH (X86_AH + 0..3). MOV to/from Sreg: a register operand has the
 *   operand size, memory is 2 bytes.
 * - MEM: size is the bytes accessed; 0 for LEA, hint NOPs, prefetches,
 *   CLFLUSH-style address-only uses and the areas the op implies (FXSAVE,
 *   XSAVE*, FLDENV/FNSTENV, FRSTOR/FNSAVE). LEA also drops FS/GS (it
 *   computes an offset). MOV moffs (A0-A3): base and index none, disp is
 *   the absolute address, zero-extended from the address size.
 * - IMM: size is the size the value is used at (the operand size for ALU,
 *   IMUL, PUSH, MOV and TEST immediates; 1 for shift counts, INT, I/O
 *   ports, SSE imm8 and ENTER's level; 2 for RET/ENTER imm16). insn->imm
 *   is sign-extended where the SDM sign-extends (imm8 to operand size,
 *   imm32 to 64 bits), zero-extended otherwise. A second immediate
 *   (ENTER, EXTRQ, INSERTQ) is in insn->imm2. REL: insn->imm is the
 *   displacement from the next instruction; size is the operand size.
 * - opsize: 1 for byte forms; else 4, 8 with REX.W, 2 with 66 (REX.W
 *   wins). 66 that is an SSE mandatory prefix does not count. Ops that
 *   default to 64 bits (PUSH, POP, LEAVE, ENTER...) give 8, or 2 with 66;
 *   near branches give 8 and ignore 66, as Intel CPUs do; IN/OUT/INS/OUTS
 *   give 2 or 4. VEX forms: 8 with VEX.W, else 4. addrsize: 8, 4 with 67.
 * - SSE/AVX operands follow the VEX form. Where it takes a VEX.vvvv
 *   source, the legacy form repeats its destination as operand 1 (the
 *   MMX forms of those ops too), so all encodings of an op have one
 *   operand shape: ADDPS = (dst, src1, src2), MOVAPS = (dst, src),
 *   CVTSI2SD = (dst, src1, r/m), PSRLW by imm8 = (dst, src, imm) where
 *   the VEX destination is vvvv. XMM size is 16, 32 for a YMM register;
 *   MMX 8. The memory size is what is accessed (4 for ADDSS, 8 for
 *   CVTPS2PD xmm, 16 for VCVTPS2PD ymm). imm8 goes to insn->imm with an
 *   IMM operand. VEX is4 blends have the is4 register as a fourth XMM
 *   operand (its byte in insn->imm); legacy BLENDVPS/BLENDVPD/PBLENDVB
 *   and SHA256RNDS2 list their implicit XMM0 last the same way. Gathers:
 *   mem_index is the XMM index register, MEM size the element size.
 *   X86_PFX_VEX marks VEX encodings, vex_l is VEX.L as encoded.
 * - cond: the opcode's low nibble for JCC/SETCC/CMOVCC; FCMOVB/E/BE/U/NB/
 *   NE/NBE/NU give 2/4/6/10/3/5/7/11; FMA as ops.def says.
 * - x87 operands follow the SDM syntax of each form: FADD m32fp is
 *   [MEM 4]; D8 C0+i FADD is [ST0, STi]; DC C0+i FADD and DE C0+i FADDP
 *   are [STi, ST0]; FLD ST(i) is [STi]; FNSTSW AX is [GPR AX].
 * - seg: the last FS/GS override; CS/DS/ES/SS overrides are no-ops in
 *   64-bit mode (X86_SEG_NONE) and do not cancel an FS/GS.
 * - X86_DECODE_INVALID (#UD): unknown opcodes; LOCK on an op that does not
 *   allow it or with a register destination; ModRM.mod=3 where memory is
 *   required and the reverse; VEX after 66/F2/F3/F0/REX; VEX.L, VEX.W or a
 *   non-1111b VEX.vvvv where the form does not allow them; a gather whose
 *   destination, index and mask are not three registers; opcodes invalid
 *   in 64-bit mode (PUSH ES, AAA, BOUND, LDS...); AMD XOP and 3DNow! (#UD
 *   on Intel CPUs); more than 15 bytes. insn->len is then what was read,
 *   at least 1, and the rest of the struct is as for a zeroed decode.
 *   X86_DECODE_SHORT: `avail` ends before the instruction could be
 *   decoded; no byte past `avail` is read.
 * - Privileged, system and I/O instructions decode to their PRIV ops;
 *   extensions that are decoded but not executed map to NOEXE ops. EVEX
 *   (62) decodes, with its correct length, as X86_OP_AVX512 without
 *   operands. ENDBR64/32, multi-byte NOP and the 0F 18-1F hint space
 *   decode (to NOP where nothing else is defined).
 */
#include <pthread.h>
#include <string.h>

#include "translator/x86/decode_tab.h"

#define NSLOT  (4 * 256)
#define NENTRY 2048

/* What the key of a form tests, as bits of a "situation" word built
 * from the instruction: ModRM.reg (0-2), mod==3 (3), rm (4-6), W (7),
 * L (8), VEX (9), REX.B (10). */
enum {
	SIT_MOD3 = 1 << 3,
	SIT_W = 1 << 7,
	SIT_L = 1 << 8,
	SIT_VEX = 1 << 9,
	SIT_REXB = 1 << 10,
};

struct entry {
	const struct dform *f;
	uint16_t val, mask;
	uint8_t pfx;	/* accepted prefix classes, bit i for class i */
	uint8_t byteop; /* operand size is 1 */
	uint8_t vvvv;	/* an operand comes from VEX.vvvv */
	uint8_t modreg; /* ModRM.mod is ignored: always registers (MOV CR/DR) */
};

static struct {
	uint16_t start[NSLOT + 1];
	uint8_t modrm[NSLOT];
	struct entry e[NENTRY];
	unsigned n, modrm_conflict;
} idx;

static pthread_once_t idx_once = PTHREAD_ONCE_INIT;

static const struct {
	const struct dform *f;
	const size_t *n;
} tables[] = {
	{x86_forms_gp, &x86_forms_gp_count},
	{x86_forms_sse, &x86_forms_sse_count},
	{x86_forms_avx, &x86_forms_avx_count},
	{x86_forms_x87, &x86_forms_x87_count},
};

static bool spec_uses_modrm(uint8_t kind)
{
	switch (kind) {
	case K_E:
	case K_M:
	case K_RC:
	case K_G:
	case K_V:
	case K_HD:
	case K_W:
	case K_U:
	case K_VSIB:
	case K_P:
	case K_Q:
	case K_N:
	case K_S:
	case K_C:
	case K_D:
	case K_STI: return true;
	default: return false;
	}
}

static void make_entry(struct entry *e, const struct dform *f)
{
	uint32_t k = f->key;
	e->f = f;
	e->val = e->mask = 0;
	if (k & KEY_REGSET) {
		e->mask |= 7;
		e->val |= KEY_REG(k);
	}
	if (KEY_MOD(k)) {
		e->mask |= SIT_MOD3;
		e->val |= KEY_MOD(k) == 2 ? SIT_MOD3 : 0;
	}
	if (k & KEY_RMSET) {
		e->mask |= 7 << 4;
		e->val |= KEY_RM(k) << 4;
	}
	if (KEY_W(k)) {
		e->mask |= SIT_W;
		e->val |= KEY_W(k) == 2 ? SIT_W : 0;
	}
	if (KEY_L(k)) {
		e->mask |= SIT_L;
		e->val |= KEY_L(k) == 2 ? SIT_L : 0;
	}
	if (KEY_ENC(k) != 2) {
		e->mask |= SIT_VEX;
		e->val |= KEY_ENC(k) == 1 ? SIT_VEX : 0;
	}
	if (k & KEY_NOREXB)
		e->mask |= SIT_REXB;
	e->pfx = KEY_PFX(k) ? KEY_PFX(k) : 15;
	e->byteop = (f->flags & FL_BYTE) != 0;
	e->vvvv = e->modreg = 0;
	bool gpr_seen = false;
	for (unsigned i = 0; i < 4; i++) {
		uint8_t kind = f->o[i].kind;
		if (kind == K_H || kind == K_HD || kind == K_B)
			e->vvvv = 1;
		if (kind == K_RC)
			e->modreg = 1;
		bool gpr =
			kind == K_E || kind == K_G || kind == K_Z || kind == K_RAX || kind == K_RCX;
		if (gpr && !gpr_seen) {
			gpr_seen = true;
			e->byteop |= f->o[i].size == 1;
		}
	}
}

static bool form_uses_modrm(const struct dform *f)
{
	if (f->key & (KEY_REGSET | KEY_RMSET) || KEY_MOD(f->key))
		return true;
	for (unsigned i = 0; i < 4; i++)
		if (spec_uses_modrm(f->o[i].kind))
			return true;
	return false;
}

/* Calls fn(slot, form) for every slot a form occupies, tables in order. */
static void each_form(void (*fn)(unsigned slot, const struct dform *f))
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (size_t i = 0; i < *tables[t].n; i++) {
			const struct dform *f = &tables[t].f[i];
			unsigned slot = KEY_MAP(f->key) * 256 + KEY_OPC(f->key);
			unsigned n = f->key & KEY_PLUSR ? 8 : 1;
			for (unsigned j = 0; j < n; j++)
				fn(slot + j, f);
		}
	}
}

static unsigned fill[NSLOT];

static void count_form(unsigned slot, const struct dform *f)
{
	idx.start[slot + 1]++;
	bool m = form_uses_modrm(f);
	if (idx.start[slot + 1] > 1 && idx.modrm[slot] != m)
		idx.modrm_conflict++;
	idx.modrm[slot] = m;
}

static void place_form(unsigned slot, const struct dform *f)
{
	make_entry(&idx.e[fill[slot]++], f);
}

static void build_index(void)
{
	each_form(count_form);
	for (unsigned s = 0; s < NSLOT; s++)
		idx.start[s + 1] += idx.start[s];
	idx.n = idx.start[NSLOT];
	if (idx.n > NENTRY) {
		/* the tables outgrew NENTRY: decode nothing rather than overrun
		 * (x86_decode_check_tables reports it) */
		memset(idx.start, 0, sizeof idx.start);
		return;
	}
	for (unsigned s = 0; s < NSLOT; s++)
		fill[s] = idx.start[s];
	each_form(place_form);
}

/* ------------------------------------------------------------------------ */

struct dctx {
	const uint8_t *code;
	size_t avail;
	unsigned pos;
	uint8_t rex;	 /* the REX byte right before the opcode, or 0 */
	uint8_t r, x, b; /* register extensions from REX or VEX: 0 or 8 */
	uint8_t w;	 /* REX.W or VEX.W */
	uint8_t vex, vvvv, l, pp;
	uint8_t p66, p67, lock, rep; /* rep: the last F2/F3, or 0 */
	uint8_t map, opc;
	uint8_t mod, reg, rm;
	uint8_t opsize, o16;
};

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		int r_ = (expr);                                                                   \
		if (r_ < 0)                                                                        \
			return r_;                                                                 \
	} while (0)

static int fetch(struct dctx *c, uint8_t *out)
{
	if (c->pos >= 15)
		return X86_DECODE_INVALID;
	if (c->pos >= c->avail)
		return X86_DECODE_SHORT;
	*out = c->code[c->pos++];
	return 0;
}

/* Little-endian unsigned value of n bytes. */
static int fetch_n(struct dctx *c, unsigned n, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		TRY(fetch(c, &b));
		v |= (uint64_t)b << (8 * i);
	}
	*out = v;
	return 0;
}

static int64_t sext(uint64_t v, unsigned bytes)
{
	switch (bytes) {
	case 1: return (int8_t)v;
	case 2: return (int16_t)v;
	case 4: return (int32_t)v;
	default: return (int64_t)v;
	}
}

/* Legacy prefixes and REX; returns the first byte after them. */
static int prefixes(struct dctx *c, struct x86_insn *in, uint8_t *opc)
{
	for (;;) {
		uint8_t b;
		TRY(fetch(c, &b));
		switch (b) {
		case 0xf0: c->lock = 1; break;
		case 0xf2:
		case 0xf3: c->rep = b; break;
		case 0x66: c->p66 = 1; break;
		case 0x67: c->p67 = 1; break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e: break; /* no-ops in 64-bit mode */
		case 0x64: in->seg = X86_SEG_FS; break;
		case 0x65: in->seg = X86_SEG_GS; break;
		default:
			if ((b & 0xf0) == 0x40) {
				c->rex = b;
				continue;
			}
			*opc = b;
			return 0;
		}
		c->rex = 0; /* REX counts only right before the opcode */
	}
}

static int vex_prefix(struct dctx *c, uint8_t first)
{
	if (c->p66 || c->rep || c->lock || c->rex)
		return X86_DECODE_INVALID;
	uint8_t v1, v2;
	TRY(fetch(c, &v1));
	c->vex = 1;
	c->r = v1 & 0x80 ? 0 : 8;
	if (first == 0xc5) {
		c->map = 1;
		v2 = v1;
	} else {
		c->x = v1 & 0x40 ? 0 : 8;
		c->b = v1 & 0x20 ? 0 : 8;
		c->map = v1 & 0x1f;
		if (c->map < 1 || c->map > 3)
			return X86_DECODE_INVALID;
		TRY(fetch(c, &v2));
		c->w = v2 >> 7;
	}
	c->vvvv = (~v2 >> 3) & 15;
	c->l = (v2 >> 2) & 1;
	c->pp = v2 & 3;
	return fetch(c, &c->opc);
}

/* ModRM.mod != 3: SIB and displacement. */
static int address(struct dctx *c, struct x86_insn *in, bool vsib)
{
	if (c->rm == 4) {
		uint8_t sib;
		TRY(fetch(c, &sib));
		unsigned index = ((sib >> 3) & 7) | c->x;
		unsigned base = (sib & 7) | c->b;
		if (vsib || index != 4) {
			in->mem_index = index;
			in->mem_scale = 1 << (sib >> 6);
		}
		in->mem_base = ((sib & 7) == 5 && c->mod == 0) ? X86_REG_NONE : base;
	} else if (vsib) {
		return X86_DECODE_INVALID;
	} else if (c->rm == 5 && c->mod == 0) {
		in->mem_base = X86_REG_RIP;
	} else {
		in->mem_base = c->rm | c->b;
	}
	uint64_t d;
	if (c->mod == 1) {
		TRY(fetch_n(c, 1, &d));
		in->disp = (int8_t)d;
	} else if (c->mod == 2 || in->mem_base == X86_REG_NONE || in->mem_base == X86_REG_RIP) {
		TRY(fetch_n(c, 4, &d));
		in->disp = (int32_t)d;
	}
	return 0;
}

/* EVEX: recognised and measured, not decoded further. */
static int evex(struct dctx *c, struct x86_insn *in)
{
	if (c->p66 || c->rep || c->lock || c->rex)
		return X86_DECODE_INVALID;
	uint8_t p0, p1, p2, modrm;
	TRY(fetch(c, &p0));
	TRY(fetch(c, &p1));
	TRY(fetch(c, &p2));
	unsigned map = p0 & 7;
	if ((p0 & 0x08) || !(p1 & 0x04) || map == 0 || map == 4 || map == 7)
		return X86_DECODE_INVALID;
	TRY(fetch(c, &c->opc));
	TRY(fetch(c, &modrm));
	c->mod = modrm >> 6;
	c->rm = modrm & 7;
	if (c->mod != 3) {
		struct x86_insn scratch = *in;
		TRY(address(c, &scratch, false));
	}
	bool imm8 = map == 3;
	if (map == 1)
		imm8 = (c->opc >= 0x70 && c->opc <= 0x73) ||
		       (c->opc >= 0xc2 && c->opc <= 0xc6 && c->opc != 0xc3);
	if (imm8) {
		uint8_t ib;
		TRY(fetch(c, &ib));
	}
	in->op = X86_OP_AVX512;
	return 0;
}

static unsigned gpr_reg_size(const struct dctx *c, uint8_t size)
{
	switch (size) {
	case SZ_V:
	case SZ_VW:
	case SZ_V0: return c->opsize;
	case SZ_Y: return c->w ? 8 : 4;
	case SZ_Z:
	case SZ_ZW:
	case SZ_ZD: return c->opsize == 2 ? 2 : 4;
	case SZ_DW:
	case SZ_DB: return 4;
	case SZ_AS: return c->p67 ? 4 : 8;
	default: return size;
	}
}

static unsigned mem_size(const struct dctx *c, uint8_t size)
{
	switch (size) {
	case SZ_X: return c->l ? 32 : 16;
	case SZ_XH: return c->l ? 16 : 8;
	case SZ_XQ: return c->l ? 8 : 4;
	case SZ_XO: return c->l ? 4 : 2;
	case SZ_DDUP: return c->l ? 32 : 8;
	case SZ_FAR: return 2 + c->opsize;
	case SZ_VW:
	case SZ_DW:
	case SZ_ZW: return 2;
	case SZ_DB: return 1;
	case SZ_ZD: return 4;
	case SZ_V0: return 0;
	default: return gpr_reg_size(c, size);
	}
}

static unsigned vec_size(const struct dctx *c, uint8_t size)
{
	return (size == SZ_X || size == SZ_DDUP) && c->l ? 32 : 16;
}

static uint8_t gpr(const struct dctx *c, unsigned n, unsigned size)
{
	if (size == 1 && !c->rex && n >= 4 && n < 8)
		return X86_AH + n - 4;
	return n;
}

static void set(struct x86_opnd *o, uint8_t kind, unsigned size, unsigned reg)
{
	o->kind = kind;
	o->size = size;
	o->reg = reg;
}

/* Reads the immediate bytes operand spec s needs. */
static int immediate(struct dctx *c, struct x86_insn *in, const struct dspec *s, struct x86_opnd *o)
{
	uint64_t v;
	unsigned n;
	switch (s->kind) {
	case K_I:
		if (s->size == SZ_Z || s->size == SZ_V) {
			n = s->size == SZ_V ? c->opsize : c->opsize == 2 ? 2 : 4;
			TRY(fetch_n(c, n, &v));
			in->imm = sext(v, n);
			set(o, X86_OPND_IMM, c->opsize, 0);
		} else {
			TRY(fetch_n(c, s->size, &v));
			in->imm = (int64_t)v;
			set(o, X86_OPND_IMM, s->size, 0);
		}
		return 0;
	case K_IS:
		TRY(fetch_n(c, 1, &v));
		in->imm = (int8_t)v;
		set(o, X86_OPND_IMM, c->opsize, 0);
		return 0;
	case K_I2:
		TRY(fetch_n(c, 1, &v));
		in->imm2 = v;
		set(o, X86_OPND_IMM, 1, 0);
		return 0;
	case K_J:
		n = s->size == 1 ? 1 : c->opsize == 2 ? 2 : 4;
		TRY(fetch_n(c, n, &v));
		in->imm = sext(v, n);
		set(o, X86_OPND_REL, c->opsize, 0);
		return 0;
	case K_O:
		TRY(fetch_n(c, in->addrsize, &v));
		in->disp = (int64_t)v;
		in->mem_base = in->mem_index = X86_REG_NONE;
		set(o, X86_OPND_MEM, mem_size(c, s->size), 0);
		return 0;
	case K_L:
		TRY(fetch_n(c, 1, &v));
		in->imm = (int64_t)v;
		set(o, X86_OPND_XMM, vec_size(c, s->size), (v >> 4) & 15);
		return 0;
	default: return 1; /* not an immediate */
	}
}

/* Fills operand i from its spec; the ModRM fields are decoded. */
static int operand(struct dctx *c, struct x86_insn *in, const struct dspec *s, unsigned i)
{
	struct x86_opnd *o = &in->opnd[i];
	bool mem = c->mod != 3;
	unsigned rm = c->rm | c->b, reg = c->reg | c->r, size;
	switch (s->kind) {
	case K_E:
		if (mem) {
			set(o, X86_OPND_MEM, mem_size(c, s->size), 0);
		} else {
			size = gpr_reg_size(c, s->size);
			set(o, X86_OPND_GPR, size, gpr(c, rm, size));
		}
		return 0;
	case K_M:
		if (!mem)
			return X86_DECODE_INVALID;
		set(o, X86_OPND_MEM, mem_size(c, s->size), 0);
		return 0;
	case K_VSIB: set(o, X86_OPND_MEM, s->size, 0); return 0;
	case K_RC: set(o, X86_OPND_GPR, 8, rm); return 0;
	case K_G:
		size = gpr_reg_size(c, s->size);
		set(o, X86_OPND_GPR, size, gpr(c, reg, size));
		return 0;
	case K_B: set(o, X86_OPND_GPR, gpr_reg_size(c, s->size), c->vvvv); return 0;
	case K_Z:
		size = gpr_reg_size(c, s->size);
		set(o, X86_OPND_GPR, size, gpr(c, (c->opc & 7) | c->b, size));
		return 0;
	case K_RAX: set(o, X86_OPND_GPR, gpr_reg_size(c, s->size), X86_RAX); return 0;
	case K_RCX: set(o, X86_OPND_GPR, 1, X86_RCX); return 0;
	case K_RDX: set(o, X86_OPND_GPR, 2, X86_RDX); return 0;
	case K_ONE:
		in->imm = 1;
		set(o, X86_OPND_IMM, 1, 0);
		return 0;
	case K_V: set(o, X86_OPND_XMM, vec_size(c, s->size), reg); return 0;
	case K_H:
		if (c->vex)
			set(o, X86_OPND_XMM, vec_size(c, s->size), c->vvvv);
		else
			*o = in->opnd[0];
		return 0;
	case K_HD:
		if (c->vex)
			set(o, X86_OPND_XMM, vec_size(c, s->size), c->vvvv);
		else if (!mem)
			set(o, X86_OPND_XMM, vec_size(c, s->size), rm);
		else
			return X86_DECODE_INVALID;
		return 0;
	case K_W:
		if (mem)
			set(o, X86_OPND_MEM, mem_size(c, s->size), 0);
		else
			set(o, X86_OPND_XMM, vec_size(c, s->size), rm);
		return 0;
	case K_U:
		if (mem)
			return X86_DECODE_INVALID;
		set(o, X86_OPND_XMM, vec_size(c, s->size), rm);
		return 0;
	case K_X0: set(o, X86_OPND_XMM, 16, 0); return 0;
	case K_P: set(o, X86_OPND_MMX, 8, c->reg); return 0;
	case K_Q:
		if (mem)
			set(o, X86_OPND_MEM, s->size, 0);
		else
			set(o, X86_OPND_MMX, 8, c->rm);
		return 0;
	case K_N:
		if (mem)
			return X86_DECODE_INVALID;
		set(o, X86_OPND_MMX, 8, c->rm);
		return 0;
	case K_S:
		/* MOV to CS is #UD; there are six segment registers */
		if (c->reg > 5 || (i == 0 && c->reg == X86_SEG_CS))
			return X86_DECODE_INVALID;
		set(o, X86_OPND_SEG, 2, c->reg);
		return 0;
	case K_FS: set(o, X86_OPND_SEG, 2, X86_SEG_FS); return 0;
	case K_GS: set(o, X86_OPND_SEG, 2, X86_SEG_GS); return 0;
	case K_C:
		if (reg != 0 && reg != 2 && reg != 3 && reg != 4 && reg != 8)
			return X86_DECODE_INVALID;
		set(o, X86_OPND_CR, 8, reg);
		return 0;
	case K_D:
		if (c->r)
			return X86_DECODE_INVALID;
		set(o, X86_OPND_DR, 8, c->reg);
		return 0;
	case K_ST0: set(o, X86_OPND_ST, 10, 0); return 0;
	case K_STI: set(o, X86_OPND_ST, 10, c->rm); return 0;
	default: return 0; /* immediates: done in order by immediate() */
	}
}

static unsigned operand_size(const struct dctx *c, const struct entry *e)
{
	const struct dform *f = e->f;
	if (e->byteop)
		return 1;
	if (c->vex)
		return c->w ? 8 : 4;
	if (f->flags & FL_F64)
		return 8;
	if (f->flags & FL_D64)
		return c->w ? 8 : c->o16 ? 2 : 8;
	if (f->flags & FL_OPZ)
		return c->o16 && !c->w ? 2 : 4;
	return c->w ? 8 : c->o16 ? 2 : 4;
}

static int decode(struct dctx *c, struct x86_insn *in, const struct dform **formp)
{
	uint8_t b;
	TRY(prefixes(c, in, &b));
	if (c->rex) {
		c->r = c->rex & 4 ? 8 : 0;
		c->x = c->rex & 2 ? 8 : 0;
		c->b = c->rex & 1 ? 8 : 0;
		c->w = (c->rex >> 3) & 1;
	}
	if (b == 0x0f) {
		TRY(fetch(c, &c->opc));
		c->map = 1;
		if (c->opc == 0x38 || c->opc == 0x3a) {
			c->map = c->opc == 0x38 ? 2 : 3;
			TRY(fetch(c, &c->opc));
		}
	} else if (b == 0xc4 || b == 0xc5) {
		TRY(vex_prefix(c, b));
	} else if (b == 0x62) {
		return evex(c, in);
	} else {
		c->opc = b;
		/* 8F with ModRM.reg != 0 is AMD's XOP escape, #UD on Intel */
		if (b == 0x8f && c->pos < c->avail && (c->code[c->pos] & 0x38))
			return X86_DECODE_INVALID;
	}

	unsigned slot = c->map * 256 + c->opc;
	unsigned first = idx.start[slot], last = idx.start[slot + 1];
	if (first == last)
		return X86_DECODE_INVALID;
	if (idx.modrm[slot]) {
		uint8_t modrm;
		TRY(fetch(c, &modrm));
		c->mod = modrm >> 6;
		c->reg = (modrm >> 3) & 7;
		c->rm = modrm & 7;
	} else {
		c->mod = 3;
	}

	unsigned cls = c->vex ? c->pp : c->rep == 0xf3 ? 2 : c->rep == 0xf2 ? 3 : c->p66 ? 1 : 0;
	unsigned sit = c->reg | (c->mod == 3 ? SIT_MOD3 : 0) | c->rm << 4 | (c->w ? SIT_W : 0) |
		       (c->l ? SIT_L : 0) | (c->vex ? SIT_VEX : 0) | (c->b ? SIT_REXB : 0);
	const struct entry *e = NULL;
	for (unsigned i = first; i < last; i++) {
		if ((idx.e[i].pfx >> cls & 1) && !((sit ^ idx.e[i].val) & idx.e[i].mask)) {
			e = &idx.e[i];
			break;
		}
	}
	if (!e)
		return X86_DECODE_INVALID;
	const struct dform *f = e->f;
	if (c->vex && c->vvvv && !e->vvvv)
		return X86_DECODE_INVALID;
	if (e->modreg)
		c->mod = 3;

	/* 66 sizes operands unless it is this form's mandatory prefix */
	c->o16 = c->p66 && !(cls == 1 && !(e->pfx & 1));
	c->opsize = operand_size(c, e);
	in->opsize = c->opsize;
	in->addrsize = c->p67 ? 4 : 8;
	in->vex_l = c->l;

	bool vsib = false;
	for (unsigned i = 0; i < 4; i++)
		vsib |= f->o[i].kind == K_VSIB;
	if (c->mod != 3)
		TRY(address(c, in, vsib));
	else if (vsib)
		return X86_DECODE_INVALID;

	unsigned n = 0;
	for (; n < 4 && f->o[n].kind != K_NONE; n++) {
		int r = immediate(c, in, &f->o[n], &in->opnd[n]);
		if (r < 0)
			return r;
		if (r > 0)
			TRY(operand(c, in, &f->o[n], n));
	}
	in->nopnd = n;
	/* gathers: destination, index and mask must be three registers */
	if (vsib && (in->opnd[0].reg == in->mem_index || in->opnd[2].reg == in->mem_index ||
		     in->opnd[0].reg == in->opnd[2].reg))
		return X86_DECODE_INVALID;

	if (c->lock && !((f->flags & FL_LOCK) && in->opnd[0].kind == X86_OPND_MEM))
		return X86_DECODE_INVALID;

	if (f->flags & FL_AGEN)
		in->seg = X86_SEG_NONE;
	in->op = f->op;
	in->cond = f->flags & FL_CC ? c->opc & 15 : f->cond;
	in->prefix = (c->lock ? X86_PFX_LOCK : 0) | (c->p66 ? X86_PFX_OPSIZE : 0) |
		     (c->p67 ? X86_PFX_ADDRSIZE : 0) | (c->rex ? X86_PFX_REX : 0) |
		     (c->vex ? X86_PFX_VEX : 0) | (c->w ? X86_PFX_VEX_W : 0);
	if (f->flags & FL_STR)
		in->prefix |= c->rep == 0xf3 ? X86_PFX_REP : c->rep == 0xf2 ? X86_PFX_REPNE : 0;
	*formp = f;
	return 0;
}

int x86_decode_form(const uint8_t *code, size_t avail, struct x86_insn *in,
		    const struct dform **form)
{
	pthread_once(&idx_once, build_index);
	struct dctx c = {.code = code, .avail = avail};
	memset(in, 0, sizeof *in);
	in->seg = X86_SEG_NONE;
	in->mem_base = in->mem_index = X86_REG_NONE;
	in->mem_scale = 1;
	*form = NULL;
	int r = decode(&c, in, form);
	if (r < 0) {
		memset(in, 0, sizeof *in);
		in->seg = X86_SEG_NONE;
		in->mem_base = in->mem_index = X86_REG_NONE;
		in->mem_scale = 1;
		in->len = c.pos ? c.pos : 1;
		*form = NULL;
		return r;
	}
	in->len = c.pos;
	return c.pos;
}

int x86_decode(const uint8_t *code, size_t avail, struct x86_insn *in)
{
	const struct dform *f;
	return x86_decode_form(code, avail, in, &f);
}

/* ------------------------------------------------------------------------ */

static bool shadows(const struct entry *a, const struct entry *b)
{
	return (a->pfx & b->pfx) == b->pfx && (a->mask & b->mask) == a->mask &&
	       !((a->val ^ b->val) & a->mask);
}

unsigned x86_decode_check_tables(void (*bad)(const char *msg, const struct dform *f))
{
	pthread_once(&idx_once, build_index);
	unsigned problems = 0;
	if (idx.n > NENTRY) {
		bad("form index overflow: raise NENTRY", NULL);
		problems++;
	}
	if (idx.modrm_conflict) {
		bad("forms of one opcode disagree about ModRM", NULL);
		problems++;
	}
	for (unsigned s = 0; s < NSLOT; s++) {
		for (unsigned j = idx.start[s]; j < idx.start[s + 1] && j < NENTRY; j++) {
			if (form_uses_modrm(idx.e[j].f) != idx.modrm[s]) {
				bad("ModRM presence differs within an opcode", idx.e[j].f);
				problems++;
			}
			for (unsigned i = idx.start[s]; i < j; i++) {
				if (shadows(&idx.e[i], &idx.e[j])) {
					bad("form can never match", idx.e[j].f);
					problems++;
					break;
				}
			}
		}
	}
	return problems;
}
