/* effects_check.c — checks translator/aot/effects.c against the
 * interpreter, on every form of the differential suite (tests/x86).
 *
 * Compiled code keeps guest state in locals and writes back to the real
 * cpu only what effects.c says an instruction may write (region.c,
 * region_dirty_after); it loads only the state classes its instructions
 * name, and drops flag computations that liveness (flags read, flags
 * always overwritten) says nobody observes. A write set that misses a
 * field leaves it stale in the guest's cpu at the next fault or exit, and
 * a read missing from the flags or classes makes compiled code compute
 * from garbage; both silently. So, for a few generated states of every
 * variant, this runs the variant's first instruction alone in the
 * interpreter and checks
 *
 *   - every part of struct cpu it changed is in effects.writes (a vector
 *     register also in effects.xmm), it wrote memory only if
 *     effects.stores, and faulted only if may_fault;
 *   - run again from the same state with the flags it does not read, the
 *     state classes it does not touch and the vector registers it does not
 *     name (effects.xmm) changed at random, it does the same: equal
 *     results everywhere, but for those changed fields,
 *     which it passes through untouched; a flag it "kills" comes out
 *     equal in both runs (it was overwritten, not passed through).
 *
 * Background state the generator leaves constant (YMM high halves, x87
 * registers and tags outside x87 forms) is randomised first, so that a
 * write of zeros or of "empty" tags shows.
 *
 * Usage: effects_check [FILTER]   (a substring of the variant key)
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/x86/forms.h"
#include "translator/aot/aot.h"
#include "translator/x86/x86.h"

/* States per variant: spread over its edge and random cases. */
#define STATES 16

/* The parts of struct cpu, with the state bit (aot.h ST_*) covering each. */
struct field {
	char name[16];
	unsigned off, size;
	uint32_t st;
	int vreg; /* xmm[vreg] or ymmh[vreg]: a bit of effects.xmm; else -1 */
};

static struct field fields[128];
static unsigned nfields;

static void add(const char *name, int index, size_t off, size_t size, uint32_t st)
{
	struct field *f = &fields[nfields++];
	if (index >= 0)
		snprintf(f->name, sizeof f->name, "%s%d", name, index);
	else
		snprintf(f->name, sizeof f->name, "%s", name);
	f->off = (unsigned)off;
	f->size = (unsigned)size;
	f->st = st;
	f->vreg = -1;
}

#define ADD(name, i, member, st)                                                                   \
	add(name, i, offsetof(struct cpu, member), sizeof(((struct cpu *)0)->member), st)

/* Everything of struct cpu the guest sees, but rip (every instruction
 * moves it; the lifter sets it itself). */
static void fields_init(void)
{
	static const char *const flag_names[7] = {"cf", "pf", "af", "zf", "sf", "of", "df"};
	for (int i = 0; i < 16; i++)
		ADD("gpr", i, gpr[i], 1u << i);
	ADD("cf", -1, cf, ST_FLAGS(FL_CF));
	ADD("pf", -1, pf, ST_FLAGS(FL_PF));
	ADD("af", -1, af, ST_FLAGS(FL_AF));
	ADD("zf", -1, zf, ST_FLAGS(FL_ZF));
	ADD("sf", -1, sf, ST_FLAGS(FL_SF));
	ADD("of", -1, of, ST_FLAGS(FL_OF));
	ADD("df", -1, df, ST_FLAGS(FL_DF));
	for (unsigned i = 0; i < 7; i++)
		if (strcmp(fields[16 + i].name, flag_names[i]))
			abort(); /* the order flag_bit relies on */
	ADD("ac", -1, ac, ST_MISC);
	ADD("id", -1, id, ST_MISC);
	ADD("fs_base", -1, fs_base, ST_MISC);
	ADD("gs_base", -1, gs_base, ST_MISC);
	for (int i = 0; i < 16; i++) {
		ADD("xmm", i, xmm[i], ST_SSE);
		fields[nfields - 1].vreg = i;
	}
	ADD("mxcsr", -1, mxcsr, ST_SSE);
	for (int i = 0; i < 16; i++) {
		ADD("ymmh", i, ymmh[i], ST_AVX);
		fields[nfields - 1].vreg = i;
	}
	for (int i = 0; i < 8; i++) {
		ADD("fpr.mant", i, fpr[i].mant, ST_X87);
		ADD("fpr.sexp", i, fpr[i].sexp, ST_X87);
	}
	ADD("fcw", -1, fcw, ST_X87);
	ADD("fsw", -1, fsw, ST_X87);
	ADD("ftw", -1, ftw, ST_X87);
	ADD("ftop", -1, ftop, ST_X87);
	ADD("fop", -1, fop, ST_X87);
	ADD("fip", -1, fip, ST_X87);
	ADD("fdp", -1, fdp, ST_X87);
}

static bool same(const struct field *f, const struct cpu *a, const struct cpu *b)
{
	return !memcmp((const char *)a + f->off, (const char *)b + f->off, f->size);
}

/* The flag (FL_*) a field is, or 0. */
static uint8_t flag_bit(const struct field *f)
{
	return (f->st >> ST_FLAGS_SHIFT) & FL_ALL;
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* ---- one instruction in the interpreter ---- */

static unsigned boundaries;

/* At every block boundary: the first is the start, the second follows the
 * instruction when it ended its block (a taken branch, a call...). */
static int stop_after_one(struct cpu *cpu)
{
	(void)cpu;
	return boundaries++ ? X86_EXIT_INTERRUPT : 0;
}

struct run {
	struct cpu before, after;
	bool faulted, fetch_fault;
	uint8_t mem[SNIP_MEM_SIZE];
};

/* Runs the instruction of s (its code cut after it, so that the UD2
 * the harness appends follows) from s's state adjusted by `adjust`. */
static void run_one(const struct snip *s, unsigned len, void (*adjust)(struct cpu *, void *),
		    void *arg, struct run *r)
{
	struct snip cut = *s;
	struct cpu cpu;
	int rc;

	cut.len = len;
	snip_interp_load(&cut, &cpu);
	adjust(&cpu, arg);
	r->before = cpu;
	boundaries = 0;
	do {
		rc = x86_run(&cpu);
		/* A SYSCALL ends the block after itself: done. */
	} while (rc != X86_EXIT_FAULT && rc != X86_EXIT_INTERRUPT && rc != X86_EXIT_SYSCALL);
	/* A fault anywhere after the instruction (the UD2 that follows it,
	 * or the guard page after code at the end of the code pages) comes
	 * after its normal end. */
	r->faulted = rc == X86_EXIT_FAULT && cpu.rip == s->init.rip;
	/* Fetching it faulted (it runs into the guard page): compiled code
	 * fetches nothing, so there is nothing to check. */
	r->fetch_fault =
		r->faulted && cpu.fault.signo == X86_SIGSEGV && cpu.fault.addr - s->init.rip < len;
	r->after = cpu;
	memcpy(r->mem, (const void *)(uintptr_t)SNIP_MEM_ADDR, SNIP_MEM_SIZE);
}

/* ---- the states ---- */

struct background {
	uint64_t rng;
	bool x87; /* the form sets up the x87 state itself */
};

/* Randomises what the generator leaves constant. */
static void background(struct cpu *c, void *arg)
{
	struct background *b = arg;
	for (unsigned i = 0; i < 16; i++) {
		c->ymmh[i].u64[0] = rnd(&b->rng);
		c->ymmh[i].u64[1] = rnd(&b->rng);
	}
	c->ac = rnd(&b->rng) & 1;
	if (b->x87)
		return;
	for (unsigned i = 0; i < 8; i++) {
		c->fpr[i].mant = rnd(&b->rng) | 1ull << 63;
		c->fpr[i].sexp = (uint16_t)(0x3fff + rnd(&b->rng) % 64);
	}
	c->ftop = rnd(&b->rng) & 7;
	c->ftw = (uint16_t)rnd(&b->rng);
}

struct perturb {
	struct background bg;
	const struct effects *fx;
	uint64_t rng;
};

/* The background, then a change of the flags the instruction does not
 * read and of the state classes it does not touch. */
static void perturbed(struct cpu *c, void *arg)
{
	struct perturb *p = arg;
	uint8_t fl = (uint8_t)(FL_ALL & ~p->fx->flags_read);
	uint64_t r = rnd(&p->rng);

	background(c, &p->bg);
	for (unsigned i = 0; i < 7; i++)
		if (fl & (1u << i) & r)
			*((uint8_t *)c + fields[16 + i].off) ^= 1;
	/* Of the vector registers, those it does not name are not in its
	 * classes either (a region's copy holds only those it names). */
	for (unsigned i = 0; i < 16; i++) {
		bool named = p->fx->xmm >> i & 1;
		if (!(p->fx->classes & CL_SSE) || !named)
			c->xmm[i].u64[rnd(&p->rng) & 1] ^= rnd(&p->rng);
		if (!(p->fx->classes & CL_AVX) || !named)
			c->ymmh[i].u64[0] ^= rnd(&p->rng);
	}
	if (!(p->fx->classes & CL_SSE))
		c->mxcsr ^= (uint32_t)(r >> 8 & 3) << 13; /* rounding */
	if (!(p->fx->classes & CL_X87)) {
		for (unsigned i = 0; i < 8; i++)
			c->fpr[i].mant ^= rnd(&p->rng) >> 1;
		c->fcw ^= (uint16_t)((r >> 16 & 3) << 10); /* rounding */
	}
}

/* ---- the checks ---- */

static unsigned failures;

static void report(const char *key, const struct x86_insn *in, unsigned idx,
		   const struct effects *fx, const char *what)
{
	static char last[sizeof((struct x86_variant *)0)->key];
	char text[128];
	/* The first failure of each variant. */
	if (++failures, !strcmp(last, key))
		return;
	snprintf(last, sizeof last, "%s", key);
	fprintf(stderr,
		"FAIL %s\n    case %u: %s\n    %s\n    effects: writes %08x flags_read %02x "
		"kill %02x classes %02x xmm %04x stores %d may_fault %d\n",
		key, idx, x86_format(in, SNIP_CODE_ADDR, text, sizeof text), what, fx->writes,
		fx->flags_read, fx->flags_kill, fx->classes, fx->xmm, fx->stores, fx->may_fault);
}

/* What one run changed must be within the effects. */
static void check_writes(const char *key, const struct x86_insn *in, unsigned idx,
			 const struct effects *fx, const struct snip *s, const struct run *r)
{
	char what[160];
	if (r->faulted) {
		if (!fx->may_fault && fx->ctl != CTL_TRAP)
			report(key, in, idx, fx, "faulted, but may_fault is false");
		return;
	}
	for (unsigned i = 0; i < nfields; i++) {
		const struct field *f = &fields[i];
		if (same(f, &r->before, &r->after))
			continue;
		if (!(fx->writes & f->st)) {
			snprintf(what, sizeof what, "wrote %s, outside its write set", f->name);
			report(key, in, idx, fx, what);
		} else if (f->vreg >= 0 && !(fx->xmm >> f->vreg & 1)) {
			snprintf(what, sizeof what, "wrote %s, not among its registers", f->name);
			report(key, in, idx, fx, what);
		}
	}
	if (memcmp(s->init.mem, r->mem, SNIP_MEM_SIZE) && !fx->stores)
		report(key, in, idx, fx, "wrote memory, but stores is false");
}

/* Two runs from states that differ only in what the instruction neither
 * reads nor writes must agree. */
static void check_independent(const char *key, const struct x86_insn *in, unsigned idx,
			      const struct effects *fx, const struct run *a, const struct run *b)
{
	char what[160];
	if (a->faulted != b->faulted ||
	    (a->faulted && (a->after.fault.signo != b->after.fault.signo ||
			    a->after.fault.addr != b->after.fault.addr))) {
		report(key, in, idx, fx,
		       "faults differently after a change of state it does not read");
		return;
	}
	if (a->faulted)
		return;
	for (unsigned i = 0; i < nfields; i++) {
		const struct field *f = &fields[i];
		bool changed = !same(f, &a->before, &b->before);
		bool passed = same(f, &a->before, &a->after) && same(f, &b->before, &b->after);
		if (same(f, &a->after, &b->after))
			continue;
		if (!changed)
			snprintf(what, sizeof what,
				 "%s differs after a change of flags or classes it does not read",
				 f->name);
		else if (flag_bit(f) & fx->flags_kill)
			snprintf(what, sizeof what, "%s is killed, but passed through", f->name);
		else if (!passed)
			snprintf(what, sizeof what, "%s depends on its own old value, unread",
				 f->name);
		else
			continue;
		report(key, in, idx, fx, what);
	}
	if (memcmp(a->mem, b->mem, SNIP_MEM_SIZE))
		report(key, in, idx, fx,
		       "stores differently after a change of flags or classes it does not read");
}

/* Ops the forms reached (for the list of those they do not). */
static bool seen[X86_OP_COUNT];

static void check_variant(const struct x86_variant *v, unsigned *insns)
{
	for (unsigned k = 0; k < STATES && k < v->cases; k++) {
		unsigned idx = (unsigned)((uint64_t)k * v->cases / STATES);
		struct snip s;
		struct x86_insn in;
		struct effects fx;
		struct perturb p;
		struct run a, b;
		int len;

		x86_case_make(v, idx, &s);
		len = x86_decode(s.code, s.len, &in);
		if (len <= 0)
			continue;
		effects_of(&in, &fx);
		seen[in.op] = true;
		if (fx.ctl == CTL_STOP)
			continue; /* the interpreter runs it: compiled code never does */
		p.bg.rng = 0x5eed0000ull + idx;
		for (const char *c = v->key; *c; c++)
			p.bg.rng = p.bg.rng * 131 + (uint8_t)*c;
		p.bg.x87 = (v->form->flags & (FORM_X87 | FORM_MMX)) != 0;
		p.fx = &fx;
		p.rng = p.bg.rng ^ 0xa5a5a5a5a5a5a5a5ull;
		{
			struct background bg = p.bg;
			run_one(&s, (unsigned)len, background, &bg, &a);
		}
		run_one(&s, (unsigned)len, perturbed, &p, &b);
		if (a.fetch_fault)
			continue;
		check_writes(v->key, &in, idx, &fx, &s, &a);
		check_writes(v->key, &in, idx, &fx, &s, &b);
		check_independent(v->key, &in, idx, &fx, &a, &b);
		++*insns;
	}
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned variants = 0, insns = 0;

	fields_init();
	snip_interp_setup();
	x86_hooks.run_translated = stop_after_one;
	for (struct x86_form_set *set = x86_form_sets(); set; set = set->next)
		for (size_t i = 0; i < set->n; i++) {
			struct x86_variant v[2];
			int n = x86_form_variants(&set->forms[i], v);
			if (n < 0)
				return 2;
			for (int k = 0; k < n; k++) {
				if (filter && !strstr(v[k].key, filter))
					continue;
				check_variant(&v[k], &insns);
				variants++;
			}
		}
	/* What this cannot check: translated ops no form reaches. */
	if (!filter) {
		unsigned n = 0;
		for (unsigned op = 0; op < X86_OP_COUNT; op++)
			if (effects_have_sem(op) && !seen[op])
				printf("%s%s", n++ ? " " : "no form for: ", x86_op_name(op));
		printf("%s(%u ops)\n", n ? " " : "no form for: ", n);
	}
	printf("effects_check: %u variants, %u instruction runs (x2), %u failures\n", variants,
	       insns, failures);
	if (!variants) {
		fprintf(stderr, "effects_check: no variant matches\n");
		return 1;
	}
	return failures ? 1 : 0;
}
