/* gen.c — from SDM-style forms to test cases: parses the opcode and
 * instruction columns, encodes the instruction for chosen registers and
 * addressing modes, and builds the initial state from operand value
 * classes. Deterministic on every host (integer PRNG only). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/x86/forms.h"
#include "translator/x86/x86.h"

/* ---- PRNG (splitmix64) ---- */

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t x86_case_rand(struct x86_case *c)
{
	return rnd(&c->rng);
}

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* ---- form sets ---- */

static struct x86_form_set *sets;

void x86_form_set_register(struct x86_form_set *set)
{
	struct x86_form_set **pp = &sets;
	while (*pp && strcmp((*pp)->name, set->name) < 0)
		pp = &(*pp)->next;
	set->next = *pp;
	*pp = set;
}

struct x86_form_set *x86_form_sets(void)
{
	return sets;
}

/* ---- parsed forms ---- */

enum okind {
	K_GPR,
	K_RM,
	K_MEM,
	K_IMM,
	K_ONE,
	K_FIXGPR,
	K_XMM,
	K_XMMRM,
	K_MMX,
	K_MMXRM,
	K_ST0,
	K_STI,
	K_XMM0,
	K_REL,
	K_SEG,
	K_NONE,
};
enum oslot { S_NONE, S_REG, S_RM, S_VVVV, S_OPREG, S_STI, S_IMM };

struct popnd {
	uint8_t kind, slot;
	uint8_t size;	  /* register/value size */
	uint16_t memsize; /* memory size for r/m and m operands */
	int8_t fixed;	  /* fixed GPR */
	char text[24];
};

struct plan {
	uint8_t pfx[4];
	unsigned npfx;
	bool rexw, rexforce, vex;
	unsigned vex_l, vex_pp, vex_map, vex_w;
	uint8_t opc[4];
	unsigned nopc;
	int plusr, plusi, modrm; /* modrm: -1 none, 0-7 digit, 8 /r */
	uint8_t immsize[3];
	unsigned nimm;
	struct popnd op[4];
	unsigned nop;
	char mnem[24];
};

static bool is_hex2(const char *t)
{
	return strlen(t) >= 2 && isxdigit((unsigned char)t[0]) && isxdigit((unsigned char)t[1]) &&
	       (t[2] == 0 || t[2] == '+');
}

static int parse_enc(const char *enc, struct plan *p, char *err)
{
	char buf[128], *save = NULL, *t;
	bool opcode_seen = false;

	snprintf(buf, sizeof buf, "%s", enc);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (!strcmp(t, "+") || !strcmp(t, "NP") || !strcmp(t, "NFx"))
			continue;
		if (!strncmp(t, "REX.W", 5)) {
			p->rexw = true;
		} else if (!strncmp(t, "REX", 3)) {
			p->rexforce = true;
		} else if (!strncmp(t, "VEX.", 4)) {
			char vb[64], *vs = NULL, *f;
			p->vex = true;
			snprintf(vb, sizeof vb, "%s", t + 4);
			for (f = strtok_r(vb, ".", &vs); f; f = strtok_r(NULL, ".", &vs)) {
				if (!strcmp(f, "256") || !strcmp(f, "L1"))
					p->vex_l = 1;
				else if (!strcmp(f, "66"))
					p->vex_pp = 1;
				else if (!strcmp(f, "F3"))
					p->vex_pp = 2;
				else if (!strcmp(f, "F2"))
					p->vex_pp = 3;
				else if (!strcmp(f, "0F"))
					p->vex_map = 1;
				else if (!strcmp(f, "0F38"))
					p->vex_map = 2;
				else if (!strcmp(f, "0F3A"))
					p->vex_map = 3;
				else if (!strcmp(f, "W1"))
					p->vex_w = 1;
			}
		} else if (!strcmp(t, "/r")) {
			p->modrm = 8;
		} else if (t[0] == '/' && t[1] >= '0' && t[1] <= '7' && !t[2]) {
			p->modrm = t[1] - '0';
		} else if (!strcmp(t, "ib") || !strcmp(t, "cb")) {
			p->immsize[p->nimm++] = 1;
		} else if (!strcmp(t, "iw") || !strcmp(t, "cw")) {
			p->immsize[p->nimm++] = 2;
		} else if (!strcmp(t, "id") || !strcmp(t, "cd")) {
			p->immsize[p->nimm++] = 4;
		} else if (!strcmp(t, "io")) {
			p->immsize[p->nimm++] = 8;
		} else if (!strcmp(t, "rb") || !strcmp(t, "rw") || !strcmp(t, "rd") ||
			   !strcmp(t, "ro") || !strcmp(t, "+rb") || !strcmp(t, "+rw") ||
			   !strcmp(t, "+rd") || !strcmp(t, "+ro")) {
			p->plusr = (int)p->nopc - 1;
		} else if (!strcmp(t, "+i")) {
			p->plusi = (int)p->nopc - 1;
		} else if (is_hex2(t)) {
			uint8_t b = (uint8_t)strtoul((char[]){t[0], t[1], 0}, NULL, 16);
			bool prefix =
				!opcode_seen && !p->vex &&
				(b == 0x66 || b == 0xf2 || b == 0xf3 || b == 0xf0 || b == 0x67);
			if (prefix) {
				p->pfx[p->npfx++] = b;
			} else {
				if (p->nopc == sizeof p->opc)
					goto bad;
				p->opc[p->nopc++] = b;
				opcode_seen = true;
			}
			if (t[2] == '+') {
				if (t[3] == 'r' || (t[3] == 0))
					p->plusr = (int)p->nopc - 1;
				else if (t[3] == 'i')
					p->plusi = (int)p->nopc - 1;
			}
		} else {
			goto bad;
		}
		if (p->npfx > 3 || p->nimm > 3)
			goto bad;
	}
	if (!p->nopc)
		goto bad;
	return 0;
bad:
	sprintf(err, "cannot parse encoding token '%s'", t ? t : "");
	return -1;
}

static unsigned num_after(const char *s)
{
	while (*s && !isdigit((unsigned char)*s))
		s++;
	return (unsigned)atoi(s);
}

/* One operand of the instruction column. */
static int parse_opnd(const char *t, struct popnd *o)
{
	static const struct {
		const char *name;
		uint8_t size;
		int8_t reg;
	} fixed[] = {{"AL", 1, 0},  {"AX", 2, 0},  {"EAX", 4, 0}, {"RAX", 8, 0}, {"CL", 1, 1},
		     {"CX", 2, 1},  {"ECX", 4, 1}, {"RCX", 8, 1}, {"DX", 2, 2},	 {"EDX", 4, 2},
		     {"RDX", 8, 2}, {"BX", 2, 3},  {"EBX", 4, 3}, {"RBX", 8, 3}};
	char low[24];
	const char *slash = strchr(t, '/');

	memset(o, 0, sizeof *o);
	o->fixed = -1;
	snprintf(o->text, sizeof o->text, "%s", t);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(t, fixed[i].name)) {
			o->kind = K_FIXGPR;
			o->size = fixed[i].size;
			o->fixed = fixed[i].reg;
			return 0;
		}
	for (size_t i = 0; t[i] && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)t[i]), low[i + 1] = 0;
	if (!strcmp(low, "1")) {
		o->kind = K_ONE;
	} else if (!strcmp(low, "<xmm0>")) {
		o->kind = K_XMM0;
		o->size = 16;
	} else if (!strcmp(low, "st(0)") || !strcmp(low, "st")) {
		o->kind = K_ST0;
		o->size = 10;
	} else if (!strcmp(low, "st(i)")) {
		o->kind = K_STI;
		o->size = 10;
	} else if (!strcmp(low, "sreg")) {
		o->kind = K_SEG;
		o->size = 2;
	} else if (!strcmp(low, "fs") || !strcmp(low, "gs")) {
		o->kind = K_NONE;
	} else if (!strncmp(low, "imm", 3)) {
		o->kind = K_IMM;
		o->size = (uint8_t)(num_after(low) / 8);
	} else if (!strncmp(low, "rel", 3)) {
		o->kind = K_REL;
		o->size = (uint8_t)(num_after(low) / 8);
	} else if (!strncmp(low, "xmm", 3)) {
		o->kind = slash ? K_XMMRM : K_XMM;
		o->size = 16;
		if (slash)
			o->memsize = (uint16_t)(num_after(slash) / 8);
	} else if (!strncmp(low, "mm", 2)) {
		o->kind = slash ? K_MMXRM : K_MMX;
		o->size = 8;
		if (slash)
			o->memsize = (uint16_t)(num_after(slash) / 8);
	} else if (!strncmp(low, "r/m", 3)) {
		o->kind = K_RM;
		o->size = (uint8_t)(num_after(low) / 8);
		o->memsize = o->size;
	} else if ((low[0] == 'r' && isdigit((unsigned char)low[1])) || !strncmp(low, "reg", 3)) {
		unsigned bits =
			low[0] == 'r' && isdigit((unsigned char)low[1]) ? num_after(low) : 64;
		o->size = (uint8_t)(bits / 8);
		if (slash) {
			const char *m = strrchr(t, '/');
			o->kind = K_RM;
			o->memsize = (uint16_t)(num_after(m) / 8);
		} else {
			o->kind = K_GPR;
		}
	} else if (low[0] == 'm') {
		const char *last = strrchr(low, '/');
		o->kind = K_MEM;
		if (!strcmp(low, "m") || !strcmp(low, "mem"))
			o->memsize = 0;
		else if (strstr(low, "byte"))
			o->memsize = (uint16_t)num_after(last ? last : low);
		else if (strstr(low, "&"))
			o->memsize = 10;
		else
			o->memsize = (uint16_t)(num_after(low) / 8);
		o->size = o->memsize > 8 ? 8 : (uint8_t)o->memsize;
	} else {
		return -1;
	}
	return 0;
}

static int parse_syntax(const char *syn, struct plan *p, char *err)
{
	static const char *const prefixes[] = {"REP", "REPE", "REPZ", "REPNE", "REPNZ", "LOCK"};
	char buf[128], *rest, *t, *save = NULL;

	snprintf(buf, sizeof buf, "%s", syn);
	rest = buf;
	for (;;) {
		char *sp = strchr(rest, ' ');
		bool pre = false;
		if (!sp)
			break;
		for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
			if ((size_t)(sp - rest) == strlen(prefixes[i]) &&
			    !strncmp(rest, prefixes[i], strlen(prefixes[i])))
				pre = true;
		if (!pre)
			break;
		rest = sp + 1;
	}
	t = strchr(rest, ' ');
	snprintf(p->mnem, sizeof p->mnem, "%.*s", t ? (int)(t - rest) : (int)strlen(rest), rest);
	if (!t)
		return 0;
	for (t = strtok_r(t + 1, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		for (char *e = t + strlen(t); e > t && e[-1] == ' ';)
			*--e = 0;
		if (p->nop == 4 || parse_opnd(t, &p->op[p->nop])) {
			sprintf(err, "cannot parse operand '%s'", t);
			return -1;
		}
		p->nop++;
	}
	return 0;
}

static int assign_slots(struct plan *p, char *err)
{
	bool used_reg = p->modrm != 8, used_vvvv = !p->vex, used_rm = p->modrm < 0;
	bool used_opreg = p->plusr < 0;

	for (unsigned i = 0; i < p->nop; i++) {
		struct popnd *o = &p->op[i];
		switch (o->kind) {
		case K_RM:
		case K_MEM:
		case K_XMMRM:
		case K_MMXRM:
			if (used_rm)
				goto bad;
			o->slot = S_RM;
			used_rm = true;
			break;
		case K_IMM:
		case K_REL: o->slot = S_IMM; break;
		case K_STI: o->slot = p->plusi >= 0 ? S_STI : S_NONE; break;
		case K_GPR:
		case K_XMM:
		case K_MMX:
		case K_SEG:
			if (!used_opreg) {
				o->slot = S_OPREG;
				used_opreg = true;
			} else if (!used_reg) {
				o->slot = S_REG;
				used_reg = true;
			} else if (!used_vvvv) {
				o->slot = S_VVVV;
				used_vvvv = true;
			} else if (!used_rm) {
				o->slot = S_RM;
				used_rm = true;
			} else {
				goto bad;
			}
			break;
		default: o->slot = S_NONE; break;
		}
	}
	return 0;
bad:
	sprintf(err, "no encoding slot left for the operands of '%s'", p->mnem);
	return -1;
}

static int plan_form(const struct x86_form *f, struct plan *p, char *err)
{
	memset(p, 0, sizeof *p);
	p->plusr = p->plusi = p->modrm = -1;
	if (!f->enc) {
		snprintf(p->mnem, sizeof p->mnem, "raw");
		return 0;
	}
	if (parse_enc(f->enc, p, err) || parse_syntax(f->syntax, p, err) || assign_slots(p, err))
		return -1;
	return 0;
}

static bool has_rm_choice(const struct plan *p)
{
	for (unsigned i = 0; i < p->nop; i++)
		if (p->op[i].kind == K_RM || p->op[i].kind == K_XMMRM || p->op[i].kind == K_MMXRM)
			return true;
	return false;
}

static bool has_mem(const struct plan *p)
{
	for (unsigned i = 0; i < p->nop; i++)
		if (p->op[i].kind == K_MEM)
			return true;
	return false;
}

/* ---- value classes ---- */

struct f80 {
	uint64_t mant;
	uint16_t sexp;
};

// clang-format off
static const uint64_t counts[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255};
static const uint64_t f32_edges[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0xbfc00000, 0x00000001,
	0x007fffff, 0x80000001, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0x4f000000, 0xcf000000, 0x4f800000,
	0x3f000000, 0x40200000, 0x5f000000, 0x3eaaaaab,
};
static const uint64_t f64_edges[] = {
	0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
	0x3ff8000000000000, 0xbff8000000000000, 0x0000000000000001, 0x000fffffffffffff,
	0x8000000000000001, 0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
	0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000000,
	0x7ff0000000000001, 0x7ff4000000000000, 0x41e0000000000000, 0xc1e0000000000000,
	0x41f0000000000000, 0x3fe0000000000000, 0x4004000000000000, 0x43e0000000000000,
	0x3fd5555555555555, 0x41dfffffffe00000,
};
static const struct f80 f80_edges[] = {
	{0, 0}, {0, 0x8000}, {1ull << 63, 0x3fff}, {1ull << 63, 0xbfff},
	{0xc000000000000000, 0x3fff}, {1, 0}, {0x7fffffffffffffff, 0}, {1ull << 63, 0},
	{0x4000000000000000, 0x3fff}, {1ull << 63, 1}, {~0ull, 0x7ffe}, {~0ull, 0xfffe},
	{1ull << 63, 0x7fff}, {1ull << 63, 0xffff}, {0xc000000000000000, 0x7fff},
	{0xc000000000000000, 0xffff}, {0x8000000000000001, 0x7fff}, {0, 0x7fff},
	{0x4000000000000000, 0x7fff}, {0xc90fdaa22168c235, 0x4000}, {1ull << 63, 0x403e},
	{1ull << 63, 0x3ffe}, {0xd49a784cfef27ae0, 0x7000}, {1ull << 63, 0x0100},
	{0xfffffffffffff800, 0x401d},
};
// clang-format on
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

#define N_INT_EDGES X86_INT_EDGES
uint64_t x86_int_edge(unsigned k, unsigned size)
{
	uint64_t m = mask_of(size), smin = 1ull << (8 * size - 1);
	const uint64_t v[N_INT_EDGES] = {0,
					 1,
					 2,
					 0xf,
					 0x10,
					 smin - 1,
					 smin,
					 smin + 1,
					 m,
					 m - 1,
					 0x5555555555555555,
					 0xaaaaaaaaaaaaaaaa,
					 0x0123456789abcdef};
	return v[k] & m;
}

static unsigned vclass_of(const struct x86_form *f, const struct popnd *o, unsigned i)
{
	unsigned c = f->vclass[i];
	if (c != VC_AUTO)
		return c;
	switch (o->kind) {
	case K_ST0:
	case K_STI: return VC_F80;
	case K_XMM:
	case K_XMMRM:
	case K_XMM0:
	case K_MMX:
	case K_MMXRM: return VC_RANDOM;
	case K_MEM: return o->memsize > 8 ? VC_RANDOM : VC_INT;
	default: return VC_INT;
	}
}

/* Number of edge values of a scalar class, 0 when it has none. */
static unsigned n_edges(unsigned vc)
{
	switch (vc) {
	case VC_INT: return N_INT_EDGES;
	case VC_COUNT: return NELEM(counts);
	case VC_SMALL: return 16;
	case VC_F32: return NELEM(f32_edges);
	case VC_F64: return NELEM(f64_edges);
	case VC_F80: return NELEM(f80_edges);
	default: return 0;
	}
}

/* Scalar value of class vc: edge k, or random when k < 0. */
static uint64_t scalar(unsigned vc, int k, unsigned size, uint64_t *rng)
{
	uint64_t r = rnd(rng);
	switch (vc) {
	case VC_INT: return k >= 0 ? x86_int_edge((unsigned)k, size) : r & mask_of(size);
	case VC_COUNT: return k >= 0 ? counts[k] : r & 0xff;
	case VC_SMALL: return k >= 0 ? (uint64_t)k : r & 15;
	case VC_F32: return k >= 0 ? f32_edges[k] : r & 0xffffffff;
	case VC_F64: return k >= 0 ? f64_edges[k] : r;
	default: return r & mask_of(size);
	}
}

static struct f80 f80_value(int k, uint64_t *rng)
{
	struct f80 v;
	if (k >= 0)
		return f80_edges[k];
	v.mant = rnd(rng) | 1ull << 63;
	v.sexp = (uint16_t)(0x3fff + (int)(rnd(rng) % 160) - 80) | (uint16_t)(rnd(rng) & 0x8000);
	return v;
}

/* 16 bytes of a vector class: each lane an edge or random. */
static void vector(unsigned vc, uint8_t *out, uint64_t *rng)
{
	unsigned lane = vc == VC_I8 ? 1 : vc == VC_I16 ? 2 : vc == VC_I32 || vc == VC_F32 ? 4 : 8;
	if (vc == VC_RANDOM || vc == VC_INT || vc == VC_COUNT || vc == VC_SMALL || vc == VC_F80) {
		for (unsigned i = 0; i < 16; i += 8) {
			uint64_t r = rnd(rng);
			memcpy(out + i, &r, 8);
		}
		return;
	}
	for (unsigned i = 0; i < 16; i += lane) {
		unsigned ne = vc == VC_F32   ? NELEM(f32_edges)
			      : vc == VC_F64 ? NELEM(f64_edges)
					     : N_INT_EDGES;
		int k = rnd(rng) & 1 ? (int)(rnd(rng) % ne) : -1;
		uint64_t v = vc == VC_F32 || vc == VC_F64 ? scalar(vc, k, lane, rng)
							  : scalar(VC_INT, k, lane, rng);
		memcpy(out + i, &v, lane);
	}
}

/* ---- variants ---- */

/* Input-flag patterns every edge case runs with. */
static unsigned sweep_of(const struct x86_form *f)
{
	return f->flags & FORM_FLAGS_SWEEP ? 64 : f->flags & FORM_CARRY ? 2 : 1;
}

/* Operands that carry a value the case chooses. */
static bool valued(const struct popnd *o)
{
	return o->kind != K_ONE && o->kind != K_REL && o->kind != K_SEG && o->kind != K_NONE &&
	       !(o->kind == K_MEM && o->memsize == 0);
}

int x86_form_variants(const struct x86_form *f, struct x86_variant out[2])
{
	struct plan p;
	char err[160];
	int n = 0;

	if (plan_form(f, &p, err)) {
		fprintf(stderr, "form '%s' / '%s': %s\n", f->enc ? f->enc : "raw", f->syntax, err);
		return -1;
	}
	for (int mem = 0; mem < 2; mem++) {
		struct x86_variant *v = &out[n];
		char syn[128];
		unsigned primaries = 0, ne = 1;

		if (f->enc && has_rm_choice(&p)) {
			if ((mem && (f->flags & FORM_NO_MEM)) || (!mem && (f->flags & FORM_NO_REG)))
				continue;
		} else if (mem) {
			continue;
		}
		memset(v, 0, sizeof *v);
		v->form = f;
		v->mem = mem || has_mem(&p);
		/* The variant's syntax: "r/m32" becomes "r32" or "m32". */
		snprintf(syn, sizeof syn, "%s", p.mnem);
		for (unsigned i = 0; i < p.nop; i++) {
			const struct popnd *o = &p.op[i];
			char t[32];
			const char *slash = strchr(o->text, '/');
			if (slash &&
			    (o->kind == K_RM || o->kind == K_XMMRM || o->kind == K_MMXRM)) {
				if (mem)
					snprintf(t, sizeof t, "%s", strrchr(o->text, '/') + 1);
				else if (o->kind == K_RM && !strncmp(o->text, "r/m", 3))
					snprintf(t, sizeof t, "r%s", o->text + 3);
				else
					snprintf(t, sizeof t, "%.*s", (int)(slash - o->text),
						 o->text);
			} else {
				snprintf(t, sizeof t, "%s", o->text);
			}
			strncat(syn, i ? ", " : " ", sizeof syn - strlen(syn) - 1);
			strncat(syn, t, sizeof syn - strlen(syn) - 1);
		}
		snprintf(v->key, sizeof v->key, "%s | %s%s%s", f->enc ? f->enc : f->raw,
			 f->enc ? syn : f->syntax, f->flags & FORM_MISALIGN ? " [misaligned]" : "",
			 f->flags & FORM_ADDR32 ? " [addr32]" : "");
		for (unsigned i = 0; i < p.nop && primaries < 2; i++) {
			unsigned vc = vclass_of(f, &p.op[i], i);
			bool scalar_op = valued(&p.op[i]);
			if (scalar_op && n_edges(vc)) {
				ne *= n_edges(vc);
				primaries++;
			}
		}
		if (f->cases)
			v->cases = f->cases;
		else if (v->mem && primaries)
			v->cases = 40;
		else if (primaries)
			v->cases = ne * sweep_of(f) + 48;
		else
			v->cases = f->enc ? 160 : 64;
		if (v->cases < sweep_of(f))
			v->cases = sweep_of(f);
		n++;
	}
	return n;
}

/* ---- encoding ---- */

struct choice {
	int reg[4];   /* register number per operand (GPR: 0-15 or X86_AH+k) */
	bool legacy8; /* no REX: byte registers 4-7 are AH..BH */
	int mode;     /* memory: 0 [b+d8], 1 [b+i*s+d32], 2 [rip+d32], 3 [b] */
	int base, index, scale;
	int32_t disp;
	uint64_t imm[3];
};

static int hw(int reg) /* encoding number of a register */
{
	return reg >= X86_AH ? reg - X86_AH + 4 : reg;
}

/* Encodes the instruction; returns its length. */
static unsigned encode(const struct plan *p, bool mem, const struct choice *c, uint8_t *out,
		       bool addr32)
{
	unsigned n = 0, R = 0, X = 0, B = 0, vvvv = 0, reg = 0, rm = 0;
	int opreg = -1, sti = -1, disp_at = -1;
	bool need_rex = p->rexforce, rm_is_mem = false;

	for (unsigned i = 0; i < p->nop; i++) {
		const struct popnd *o = &p->op[i];
		int r = c->reg[i];
		bool is_mem =
			o->kind == K_MEM ||
			(mem && (o->kind == K_RM || o->kind == K_XMMRM || o->kind == K_MMXRM));
		if (o->kind == K_GPR || o->kind == K_RM)
			if (!is_mem && o->size == 1 && r >= 4 && r < 8)
				need_rex = true;
		switch (o->slot) {
		case S_REG: reg = (unsigned)hw(r) & 7, R = (unsigned)r >> 3 & 1; break;
		case S_VVVV: vvvv = (unsigned)r & 15; break;
		case S_OPREG: opreg = hw(r) & 7, B = (unsigned)r >> 3 & 1; break;
		case S_STI: sti = r; break;
		case S_RM:
			if (is_mem) {
				rm_is_mem = true;
			} else {
				rm = (unsigned)hw(r) & 7;
				B = (unsigned)r >> 3 & 1;
			}
			break;
		default: break;
		}
	}
	if (p->modrm >= 0 && p->modrm < 8)
		reg = (unsigned)p->modrm;
	if (rm_is_mem) {
		if (c->mode != 2)
			B = (unsigned)c->base >> 3 & 1;
		if (c->mode == 1)
			X = (unsigned)c->index >> 3 & 1;
	}
	if (addr32)
		out[n++] = 0x67;
	for (unsigned i = 0; i < p->npfx; i++)
		out[n++] = p->pfx[i];
	if (p->vex) {
		out[n++] = 0xc4;
		out[n++] = (uint8_t)((!R) << 7 | (!X) << 6 | (!B) << 5 | p->vex_map);
		out[n++] = (uint8_t)(p->vex_w << 7 | (~vvvv & 15) << 3 | p->vex_l << 2 | p->vex_pp);
	} else {
		unsigned rex = 0x40 | (p->rexw ? 8 : 0) | R << 2 | X << 1 | B;
		if ((rex != 0x40 || need_rex) && !c->legacy8)
			out[n++] = (uint8_t)rex;
	}
	for (unsigned i = 0; i < p->nopc; i++) {
		uint8_t b = p->opc[i];
		if ((int)i == p->plusr && opreg >= 0)
			b = (uint8_t)(b + opreg);
		if ((int)i == p->plusi && sti >= 0)
			b = (uint8_t)(b + sti);
		out[n++] = b;
	}
	if (p->modrm >= 0) {
		if (!rm_is_mem) {
			out[n++] = (uint8_t)(0xc0 | reg << 3 | rm);
		} else {
			int base = c->base & 7;
			switch (c->mode) {
			case 0:
				if (base == 4) {
					out[n++] = (uint8_t)(0x40 | reg << 3 | 4);
					out[n++] = 0x24;
				} else {
					out[n++] = (uint8_t)(0x40 | reg << 3 | (unsigned)base);
				}
				out[n++] = (uint8_t)c->disp;
				break;
			case 1:
				out[n++] = (uint8_t)(0x80 | reg << 3 | 4);
				out[n++] = (uint8_t)((c->scale == 8   ? 3
						      : c->scale == 4 ? 2
						      : c->scale == 2 ? 1
								      : 0)
							     << 6 |
						     (c->index & 7) << 3 | base);
				disp_at = (int)n;
				n += 4;
				break;
			case 2:
				out[n++] = (uint8_t)(reg << 3 | 5);
				disp_at = (int)n;
				n += 4;
				break;
			default:
				if (base == 4) {
					out[n++] = (uint8_t)(reg << 3 | 4);
					out[n++] = 0x24;
				} else {
					out[n++] = (uint8_t)(reg << 3 | (unsigned)base);
				}
				break;
			}
		}
	}
	for (unsigned i = 0; i < p->nimm; i++) {
		uint64_t v = c->imm[i];
		for (unsigned k = 0; k < p->immsize[i]; k++)
			out[n++] = (uint8_t)(v >> (8 * k));
	}
	if (disp_at >= 0) {
		int32_t d = c->disp;
		if (c->mode == 2) /* RIP-relative: EA - next RIP */
			d = (int32_t)((int64_t)(SNIP_MEM_ADDR + (uint32_t)c->disp) -
				      (int64_t)(SNIP_CODE_ADDR + n));
		memcpy(out + disp_at, &d, 4);
	}
	return n;
}

/* ---- cases ---- */

/* GPRs a case may pick: not RSP, and not RAX RCX RDX, which so many
 * instructions use implicitly. */
#define GPR_RESERVED (1u << X86_RSP | 1u << X86_RAX | 1u << X86_RCX | 1u << X86_RDX)

static int pick(uint16_t *avail, uint64_t *rng, bool low8)
{
	int cand[16], n = 0;
	for (int r = 0; r < 16; r++)
		if ((*avail & (1u << r)) && (!low8 || r < 8))
			cand[n++] = r;
	if (!n)
		return -1;
	int r = cand[rnd(rng) % (unsigned)n];
	*avail &= (uint16_t) ~(1u << r);
	return r;
}

static void put_f80(uint8_t *st, struct f80 v)
{
	memcpy(st, &v.mant, 8);
	memcpy(st + 8, &v.sexp, 2);
}

void x86_case_make(const struct x86_variant *v, unsigned index, struct snip *s)
{
	const struct x86_form *f = v->form;
	struct plan p;
	struct choice c;
	struct x86_case xc;
	char err[160];
	uint64_t seed = fnv1a(v->key, strlen(v->key), 0xcbf29ce484222325ull);
	uint64_t rng = seed ^ ((uint64_t)index * 0x9e3779b97f4a7c15ull), memoff;
	uint16_t avail = (uint16_t)(0xffff & ~GPR_RESERVED & ~f->avoid);
	unsigned ne[2] = {1, 1}, prim = 0, pidx[2] = {0, 0}, flags;
	bool addr32 = (f->flags & FORM_ADDR32) != 0;

	memset(s, 0, sizeof *s);
	memset(&xc, 0, sizeof xc);
	s->init.rip = SNIP_CODE_ADDR;
	memset(&c, 0, sizeof c);
	plan_form(f, &p, err); /* checked by x86_form_variants */
	rnd(&rng);

	/* Background: random registers, memory and vectors; a stack. */
	for (int i = 0; i < 16; i++)
		s->init.gpr[i] = rnd(&rng);
	s->init.gpr[X86_RSP] = SNIP_MEM_ADDR + 0xf00;
	for (unsigned i = 0; i < SNIP_MEM_SIZE; i += 8) {
		uint64_t r = rnd(&rng);
		memcpy(s->init.mem + i, &r, 8);
	}
	flags = (unsigned)rnd(&rng);
	if (f->flags & FORM_FLAGS_SWEEP)
		flags = index % 64;
	else if (f->flags & FORM_CARRY)
		flags = (flags & ~0x21u) | (index & 1 ? 0x21u : 0);
	s->init.rflags = 2 | (flags & 1) | (flags >> 1 & 1) << 2 | (flags >> 2 & 1) << 4 |
			 (flags >> 3 & 1) << 6 | (flags >> 4 & 1) << 7 | (flags >> 5 & 1) << 11 |
			 (rnd(&rng) & 1) << 21;
	if ((f->flags & FORM_DF) && (rnd(&rng) & 1))
		s->init.rflags |= 1 << 10;
	/* FXSAVE image: x87 in its initial state, MXCSR default, random XMM. */
	s->init.fx[0] = 0x7f;
	s->init.fx[1] = 0x03;
	{
		uint32_t mxcsr = 0x1f80;
		if (f->flags & (FORM_MXCSR | FORM_MXCSR_UNMASK)) {
			uint64_t r = rnd(&rng);
			mxcsr = (uint32_t)(r & 0x3f) | (uint32_t)(r >> 8 & 3) << 13 |
				(uint32_t)(r >> 10 & 1) << 6 | (uint32_t)(r >> 11 & 1) << 15 |
				0x1f80;
			if (f->flags & FORM_MXCSR_UNMASK)
				mxcsr = (mxcsr & ~0x1f80u) | (uint32_t)(r >> 16 & 0x3f) << 7;
		}
		memcpy(s->init.fx + 24, &mxcsr, 4);
	}
	for (unsigned i = 0; i < 16; i++)
		vector(VC_RANDOM, s->init.fx + 160 + 16 * i, &rng);
	if (f->flags & FORM_X87) {
		uint16_t fcw = (uint16_t)(0x037f & ~0x0f00u) | (uint16_t)((rnd(&rng) & 3) << 10);
		uint16_t pc[3] = {0x000, 0x200, 0x300};
		uint16_t fsw = (uint16_t)((rnd(&rng) & 7) << 11);
		fcw |= pc[rnd(&rng) % 3];
		memcpy(s->init.fx, &fcw, 2);
		memcpy(s->init.fx + 2, &fsw, 2);
		s->init.fx[4] = 0xff;
		for (unsigned i = 0; i < 8; i++)
			put_f80(s->init.fx + 32 + 16 * i,
				f80_value(rnd(&rng) & 1 ? (int)(rnd(&rng) % NELEM(f80_edges)) : -1,
					  &rng));
		if (f->flags & FORM_MMX) {
			/* An MMX instruction tags every register valid, and
			 * first takes a pending unmasked x87 exception (#MF):
			 * half the cases have some registers empty, one in
			 * eight an exception pending. */
			uint64_t r = rnd(&rng);
			if (r & 1)
				s->init.fx[4] = (uint8_t)(r >> 8);
			if ((r >> 16) % 8 == 0) {
				unsigned e = 1u << ((r >> 20) % 6);
				fcw &= (uint16_t)~e;
				fsw |= (uint16_t)(e | 0x8080);
				memcpy(s->init.fx, &fcw, 2);
				memcpy(s->init.fx + 2, &fsw, 2);
			}
		}
	}

	if (!f->enc) {
		size_t len = strlen(f->raw);
		for (size_t i = 0; i + 1 < len && s->len < SNIP_CODE_MAX;) {
			while (f->raw[i] == ' ')
				i++;
			s->code[s->len++] =
				(uint8_t)strtoul((char[]){f->raw[i], f->raw[i + 1], 0}, NULL, 16);
			i += 2;
			while (i < len && f->raw[i] == ' ')
				i++;
		}
		xc.index = index;
		xc.rng = rng;
		if (f->setup)
			f->setup(s, &xc);
		return;
	}

	/* Registers. One case in four uses no REX, so that byte registers
	 * 4-7 are AH..BH (only BL and BH are free of implicit uses). */
	c.legacy8 = !p.vex && !p.rexw && index % 4 == 3;
	for (unsigned i = 0; i < p.nop; i++) {
		const struct popnd *o = &p.op[i];
		if (o->kind == K_FIXGPR)
			avail &= (uint16_t) ~(1u << o->fixed);
	}
	for (unsigned i = 0; i < p.nop; i++) {
		const struct popnd *o = &p.op[i];
		bool is_mem =
			o->kind == K_MEM ||
			(v->mem && (o->kind == K_RM || o->kind == K_XMMRM || o->kind == K_MMXRM));
		c.reg[i] = -1;
		if (is_mem)
			continue;
		switch (o->kind) {
		case K_GPR:
		case K_RM:
			if (c.legacy8 && o->size == 1) {
				/* BL, or BH when BL is taken */
				if (avail & (1u << X86_RBX)) {
					c.reg[i] = (rnd(&rng) & 1) ? X86_RBX : X86_AH + X86_RBX;
					avail &= (uint16_t) ~(1u << X86_RBX);
				} else {
					c.reg[i] = -1;
				}
			} else {
				c.reg[i] = pick(&avail, &rng, c.legacy8);
			}
			if (c.reg[i] < 0) { /* legacy8 ran out: give up on it */
				c.legacy8 = false;
				c.reg[i] = pick(&avail, &rng, false);
			}
			break;
		case K_FIXGPR: c.reg[i] = o->fixed; break;
		case K_XMM:
		case K_XMMRM:
			c.reg[i] = (int)(rnd(&rng) % (p.vex || !c.legacy8 ? 16 : 8));
			for (unsigned j = 0; j < i; j++)
				if ((p.op[j].kind == K_XMM || p.op[j].kind == K_XMMRM) &&
				    c.reg[j] == c.reg[i])
					c.reg[i] = (c.reg[i] + 1) & (c.legacy8 ? 7 : 15),
					j = (unsigned)-1;
			break;
		case K_XMM0: c.reg[i] = 0; break;
		case K_MMX:
		case K_MMXRM:
			c.reg[i] = (int)(rnd(&rng) % 8);
			for (unsigned j = 0; j < i; j++)
				if ((p.op[j].kind == K_MMX || p.op[j].kind == K_MMXRM) &&
				    c.reg[j] == c.reg[i])
					c.reg[i] = (c.reg[i] + 1) & 7, j = (unsigned)-1;
			break;
		case K_STI: c.reg[i] = 1 + (int)(rnd(&rng) % 7); break;
		case K_ST0: c.reg[i] = 0; break;
		case K_SEG: c.reg[i] = 3; break; /* DS */
		default: break;
		}
	}
	/* XMM operands must not collide with the fixed <XMM0>. */
	for (unsigned i = 0; i < p.nop; i++)
		if (p.op[i].kind == K_XMM0)
			for (unsigned j = 0; j < p.nop; j++)
				if ((p.op[j].kind == K_XMM || p.op[j].kind == K_XMMRM) &&
				    c.reg[j] == 0)
					c.reg[j] = 1 + (int)(rnd(&rng) % (c.legacy8 ? 7 : 15));

	/* Memory operand: 64-byte aligned in the middle of the data page. */
	memoff = 0x700 + 64 * (rnd(&rng) % 8);
	if (f->flags & FORM_MISALIGN)
		memoff += 1 + rnd(&rng) % 15;
	c.mode = (int)(index % 4);
	if (addr32 && c.mode == 2)
		c.mode = 0;
	c.base = pick(&avail, &rng, c.legacy8);
	c.index = pick(&avail, &rng, c.legacy8);
	c.scale = 1 << (rnd(&rng) % 4);
	if (c.base < 0 || c.index < 0)
		c.mode = 2;
	if (c.mode == 3 && (c.base & 7) == 5) /* [rbp] and [r13] need a displacement */
		c.mode = 0;
	xc.ea = SNIP_MEM_ADDR + memoff;

	/* Operand values. */
	for (unsigned i = 0; i < p.nop && prim < 2; i++) {
		const struct popnd *o = &p.op[i];
		unsigned vc = vclass_of(f, o, i);
		if (valued(o) && n_edges(vc)) {
			pidx[prim] = i;
			ne[prim++] = n_edges(vc);
		}
	}
	xc.nopnd = (int)p.nop;
	{
		unsigned ni = 0, sweep = sweep_of(f), eindex = index / sweep;
		unsigned edge_cases = prim ? ne[0] * ne[1] : 0;
		for (unsigned i = 0; i < p.nop; i++) {
			const struct popnd *o = &p.op[i];
			unsigned vc = vclass_of(f, o, i);
			bool is_mem = o->kind == K_MEM ||
				      (v->mem && (o->kind == K_RM || o->kind == K_XMMRM ||
						  o->kind == K_MMXRM));
			unsigned size = is_mem ? o->memsize : o->size;
			int k = -1;
			uint64_t val;
			uint8_t vec[16];

			if (prim >= 1 && i == pidx[0] && eindex < edge_cases)
				k = (int)(eindex % ne[0]);
			else if (prim >= 2 && i == pidx[1] && eindex < edge_cases)
				k = (int)(eindex / ne[0] % ne[1]);
			else if (n_edges(vc) && (rnd(&rng) & 3) == 0)
				k = (int)(rnd(&rng) % n_edges(vc));
			xc.opnd[i].gpr = -1;
			xc.opnd[i].xmm = -1;
			xc.opnd[i].size = size;
			if (vc == VC_F80) {
				struct f80 fv = f80_value(k, &rng);
				val = fv.mant;
				if (is_mem)
					put_f80(s->init.mem + (xc.ea - SNIP_MEM_ADDR), fv);
				else
					put_f80(s->init.fx + 32 + 16 * (unsigned)c.reg[i], fv);
				if (!is_mem) {
					s->init.fx[4] |=
						(uint8_t)(1u << (((unsigned)c.reg[i] +
								  (s->init.fx[3] >> 3 & 7)) &
								 7));
					xc.opnd[i].xmm = c.reg[i];
				}
				xc.opnd[i].value = val;
				continue;
			}
			if (o->kind == K_XMM || o->kind == K_XMMRM || o->kind == K_XMM0 ||
			    (is_mem && size > 8)) {
				vector(vc, vec, &rng);
				if (n_edges(vc) && (vc == VC_F32 || vc == VC_F64 || vc == VC_INT)) {
					uint64_t sv = scalar(vc, k, vc == VC_F32 ? 4 : 8, &rng);
					memcpy(vec, &sv, vc == VC_F32 ? 4 : 8);
				}
				if (is_mem)
					memcpy(s->init.mem + (xc.ea - SNIP_MEM_ADDR), vec,
					       size > 16 ? 16 : size);
				else
					memcpy(s->init.fx + 160 + 16 * (unsigned)c.reg[i], vec, 16);
				memcpy(&xc.opnd[i].value, vec, 8);
				xc.opnd[i].xmm = is_mem ? -1 : c.reg[i];
				continue;
			}
			if (vc == VC_RANDOM || vc >= VC_I8)
				val = rnd(&rng) & mask_of(size ? size : 8);
			else
				val = scalar(vc, k, size ? size : 8, &rng);
			if (o->kind == K_MMX || o->kind == K_MMXRM) {
				if (vc >= VC_I8 && vc <= VC_F64) {
					vector(vc, vec, &rng);
					memcpy(&val, vec, 8);
				}
				if (!is_mem) {
					/* MMi is physical register i: ST((i - TOP) & 7). */
					unsigned top = s->init.fx[3] >> 3 & 7;
					uint8_t *st = s->init.fx + 32 +
						      16 * ((unsigned)(c.reg[i] - (int)top) & 7);
					memcpy(st, &val, 8);
					xc.opnd[i].xmm = c.reg[i];
				}
			}
			xc.opnd[i].value = val;
			if (is_mem) {
				memcpy(s->init.mem + (xc.ea - SNIP_MEM_ADDR), &val,
				       size > 8 ? 8 : size);
			} else if (o->kind == K_IMM || o->kind == K_REL) {
				if (o->kind == K_REL)
					val = f->flags & FORM_REL_SKIP ? 2 : 0;
				c.imm[ni++] = val;
				xc.opnd[i].value = val;
			} else if (o->kind == K_GPR || o->kind == K_RM || o->kind == K_FIXGPR) {
				int r = c.reg[i];
				xc.opnd[i].gpr = r;
				if (r >= X86_AH) {
					uint64_t *g = &s->init.gpr[r - X86_AH];
					*g = (*g & ~0xff00ull) | (val & 0xff) << 8;
				} else {
					s->init.gpr[r] = (s->init.gpr[r] & ~mask_of(size)) | val;
				}
			}
		}
		/* Immediates the syntax does not name (e.g. ENTER's second). */
		while (ni < p.nimm)
			c.imm[ni++] = rnd(&rng) & 0xff;
	}

	/* Addressing registers, set last: they may share nothing with operands. */
	if (v->mem || has_mem(&p)) {
		uint64_t hi = addr32 ? rnd(&rng) << 32 : 0;
		switch (c.mode) {
		case 0:
			c.disp = (int8_t)rnd(&rng);
			s->init.gpr[c.base] = (xc.ea - (uint64_t)(int64_t)c.disp) | hi;
			break;
		case 1: {
			uint64_t idx = rnd(&rng) % 64;
			c.disp = (int32_t)(rnd(&rng) % 0x100000) - 0x80000;
			s->init.gpr[c.index] = idx | hi;
			s->init.gpr[c.base] =
				(xc.ea - (uint64_t)(int64_t)c.disp - idx * (uint64_t)c.scale) +
				(addr32 ? rnd(&rng) << 32 : 0);
			break;
		}
		case 2: c.disp = (int32_t)(xc.ea - SNIP_MEM_ADDR); break;
		default: s->init.gpr[c.base] = xc.ea | hi; break;
		}
	}
	s->len = encode(&p, v->mem, &c, s->code, addr32);
	if (f->flags & FORM_REL_SKIP) {
		s->code[s->len++] = 0xff; /* inc eax */
		s->code[s->len++] = 0xc0;
	}
	xc.index = index;
	xc.mem = v->mem;
	xc.rng = rng;
	if (f->setup)
		f->setup(s, &xc);
}
