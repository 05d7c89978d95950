/* region_check — what xlatec's region.c promises about a module, checked on
 * the program it builds (tests/aot/regions.sh):
 *
 *   - each guest instruction is lifted into at most one region, and the
 *     instruction count is the regions' sum;
 *   - every entry names an instruction of its region at its offset;
 *   - a direct branch or call to lifted code is a label of its own region
 *     or an entry (it stays direct);
 *   - with --whole, every direct target in the module's code is lifted;
 *   - with a code map (functions that ran, or with --map-blocks blocks),
 *     every block start of the map is an entry (unless the interpreter
 *     must run it), every instruction it covers is lifted, every region
 *     holds some of them, and all of it is part of what --whole lifts with
 *     the same map;
 *   - building twice gives the same regions and entries.
 *
 *   region_check MODULE [MAP]
 *
 * Without MAP it makes one from the whole program: every third entry and
 * the straight-line code after it, as blocks the interpreter would record.
 * With MAP, the --whole build uses it too.
 * Prints the counts of each ("whole:", "map:", "blocks:"), as xlatec
 * --report prints them for the same input. Exit 1 on any failure. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/aot/aot.h"

static int failures;

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;
	if (failures++ >= 20)
		return;
	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The instruction at `off` in rg, or -1. */
static int insn_at(const struct region *rg, uint64_t off)
{
	return dinsn_index(rg->insn, rg->n, off);
}

/* Decodes the module's instruction at off: its length, or -1. */
static int decode(const struct module *m, uint64_t off, struct effects *fx)
{
	size_t avail;
	const uint8_t *code = module_code(m, off, &avail);
	struct x86_insn in;
	int len;
	if (!code || (len = x86_decode(code, avail < 15 ? avail : 15, &in)) < 0)
		return -1;
	effects_of(&in, fx);
	return len;
}

/* Whether the interpreter runs the instruction at off (it is no entry). */
static bool interpreted(const struct module *m, uint64_t off)
{
	struct effects fx;
	return decode(m, off, &fx) < 0 || fx.ctl == CTL_STOP || fx.ctl == CTL_TRAP;
}

static bool has_target(const struct dinsn *d)
{
	return d->fx.ctl == CTL_JMP || d->fx.ctl == CTL_JCC || d->fx.ctl == CTL_COND ||
	       d->fx.ctl == CTL_CALL;
}

/* Which region lifts each offset: a set of offsets is enough to find a
 * second copy; `where` then names the first one for the message. */
struct lifted {
	struct oset set;
	struct offs offs; /* every lifted offset, for the lookups below */
};

static void check_program(const char *what, const struct program *p, struct lifted *l)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < p->nregions; i++) {
		const struct region *rg = p->regions[i];
		sum += rg->n;
		if (rg->id != i)
			fail("%s: region %zu has id %u", what, i, rg->id);
		for (uint32_t k = 0; k < rg->n; k++) {
			if (k && rg->insn[k - 1]->off >= rg->insn[k]->off)
				fail("%s: region %zu is not in offset order", what, i);
			if (!oset_add(&l->set, rg->insn[k]->off))
				fail("%s: the instruction at 0x%" PRIx64 " is lifted twice", what,
				     rg->insn[k]->off);
			offs_add(&l->offs, rg->insn[k]->off);
		}
	}
	offs_sort(&l->offs);
	if (sum != p->ninsns)
		fail("%s: %" PRIu64 " instructions counted, %" PRIu64 " in the regions", what,
		     p->ninsns, sum);
	for (size_t i = 0; i < p->nentries; i++) {
		const struct entry_ref *e = &p->entries[i];
		const struct region *rg;
		int k;
		if (i && p->entries[i - 1].off >= e->off)
			fail("%s: entries not sorted at 0x%" PRIx64, what, e->off);
		if (e->region >= p->nregions) {
			fail("%s: entry 0x%" PRIx64 " names region %u", what, e->off, e->region);
			continue;
		}
		rg = p->regions[e->region];
		k = insn_at(rg, e->off);
		if (k < 0 || rg->entry[k] != e->index + 1)
			fail("%s: entry 0x%" PRIx64 " is not entry %u of region %u", what, e->off,
			     e->index, e->region);
	}
	/* Direct transfers to lifted code stay direct. */
	for (size_t i = 0; i < p->nregions; i++) {
		const struct region *rg = p->regions[i];
		for (uint32_t k = 0; k < rg->n; k++) {
			const struct dinsn *d = rg->insn[k];
			uint64_t t;
			int s;
			if (!has_target(d))
				continue;
			t = effects_target(&d->in, d->off);
			if (!offs_has(&l->offs, t))
				continue;
			s = insn_at(rg, t);
			if (d->fx.ctl != CTL_CALL && s >= 0)
				continue;
			if (!program_entry(p, t) && !interpreted(p->m, t))
				fail("%s: the branch at 0x%" PRIx64 " to lifted 0x%" PRIx64
				     " is not direct",
				     what, d->off, t);
		}
	}
}

static void check_whole(const struct program *p, const struct lifted *l)
{
	for (size_t i = 0; i < p->nregions; i++) {
		const struct region *rg = p->regions[i];
		for (uint32_t k = 0; k < rg->n; k++) {
			const struct dinsn *d = rg->insn[k];
			uint64_t t;
			size_t avail;
			if (!has_target(d))
				continue;
			t = effects_target(&d->in, d->off);
			if (module_code(p->m, t, &avail) && !offs_has(&l->offs, t))
				fail("whole: the target 0x%" PRIx64 " of 0x%" PRIx64
				     " is not lifted",
				     t, d->off);
		}
	}
}

/* A map of what the whole program would run if every third entry were
 * reached: from each, straight-line code up to the first transfer. */
static struct code_range *make_map(const struct program *p, size_t *n)
{
	struct code_range *map = xcalloc(p->nentries / 3 + 1, sizeof *map);
	*n = 0;
	for (size_t i = 0; i < p->nentries; i += 3) {
		const struct region *rg = p->regions[p->entries[i].region];
		int k = insn_at(rg, p->entries[i].off);
		uint64_t end;
		if (k < 0)
			continue;
		while ((uint32_t)k + 1 < rg->n && rg->insn[k]->fx.ctl == CTL_NONE &&
		       rg->insn[k]->off + rg->insn[k]->in.len == rg->insn[k + 1]->off)
			k++;
		end = rg->insn[k]->off + rg->insn[k]->in.len;
		map[*n].off = (uint32_t)p->entries[i].off;
		map[(*n)++].len = (uint32_t)(end - p->entries[i].off);
	}
	return map;
}

/* The map's promises: its block starts are entries, its code is lifted,
 * and every region lifts some of it. */
static void check_map(const char *what, const struct program *p, const struct lifted *l,
		      const struct code_range *map, size_t nmap)
{
	struct oset ran = {0};
	for (size_t i = 0; i < nmap; i++) {
		uint64_t off = map[i].off, end = off + map[i].len;
		bool block_start = true;
		while (off < end) {
			struct effects fx;
			int len = decode(p->m, off, &fx);
			if (len < 0)
				break;
			oset_add(&ran, off);
			if (!offs_has(&l->offs, off))
				fail("%s: 0x%" PRIx64 " ran but is not lifted", what, off);
			else if (block_start && fx.ctl != CTL_STOP && fx.ctl != CTL_TRAP &&
				 !program_entry(p, off))
				fail("%s: the block at 0x%" PRIx64 " ran but is no entry", what,
				     off);
			block_start = fx.ctl != CTL_NONE;
			off += (unsigned)len;
		}
	}
	for (size_t i = 0; i < p->nregions; i++) {
		const struct region *rg = p->regions[i];
		uint32_t k = 0;
		while (k < rg->n && !oset_has(&ran, rg->insn[k]->off))
			k++;
		if (k == rg->n)
			fail("%s: region %zu (0x%" PRIx64 ") holds nothing that ran", what, i,
			     rg->start);
	}
	oset_free(&ran);
}

static bool same_program(const struct program *a, const struct program *b)
{
	if (a->nregions != b->nregions || a->nentries != b->nentries || a->ninsns != b->ninsns)
		return false;
	for (size_t i = 0; i < a->nregions; i++) {
		const struct region *x = a->regions[i], *y = b->regions[i];
		if (x->start != y->start || x->n != y->n || x->nentries != y->nentries)
			return false;
		for (uint32_t k = 0; k < x->n; k++)
			if (x->insn[k]->off != y->insn[k]->off || x->entry[k] != y->entry[k])
				return false;
	}
	return !memcmp(a->entries, b->entries, a->nentries * sizeof *a->entries);
}

/* Builds the program twice (determinism), checks it; returns the first. */
static void build_checked(const char *what, const char *path, const struct lift_opts *o,
			  struct module *m, struct program *p, struct lifted *l)
{
	struct module m2;
	struct program p2;

	if (module_open(path, m) || program_build(m, o, p))
		exit(1);
	if (module_open(path, &m2) || program_build(&m2, o, &p2))
		exit(1);
	if (!same_program(p, &p2))
		fail("%s: two builds differ", what);
	program_free(&p2);
	module_close(&m2);
	memset(l, 0, sizeof *l);
	check_program(what, p, l);
	printf("%s: %zu regions, %zu entries, %" PRIu64 " instructions\n", what, p->nregions,
	       p->nentries, p->ninsns);
}

int main(int argc, char **argv)
{
	struct lift_opts o = {.whole = true, .region_max = 1000};
	struct code_range *map = NULL;
	size_t nmap = 0;
	struct module m, mm;
	struct program p, pm;
	struct lifted l, lm;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: region_check MODULE [MAP]\n");
		return 2;
	}
	if (argc == 3) {
		if (codemap_read(argv[2], &map, &nmap))
			return 1;
		o.map = map;
		o.nmap = nmap;
	}
	build_checked("whole", argv[1], &o, &m, &p, &l);
	check_whole(&p, &l);
	if (!map) {
		map = make_map(&p, &nmap);
		o.map = map;
		o.nmap = nmap;
	}
	o.whole = false;
	for (int blocks = 0; blocks < 2; blocks++) {
		const char *what = blocks ? "blocks" : "map";
		o.blocks = blocks;
		build_checked(what, argv[1], &o, &mm, &pm, &lm);
		check_map(what, &pm, &lm, map, nmap);
		/* The map's program is part of the whole one, instruction by
		 * instruction. */
		for (size_t i = 0; i < lm.offs.n; i++)
			if (!offs_has(&l.offs, lm.offs.v[i])) {
				fail("%s: 0x%" PRIx64 " is lifted, but not with --whole", what,
				     lm.offs.v[i]);
				break;
			}
		if (pm.ninsns > p.ninsns)
			fail("%s: more instructions than --whole", what);
		program_free(&pm);
		module_close(&mm);
		oset_free(&lm.set);
		offs_free(&lm.offs);
	}
	program_free(&p);
	module_close(&m);
	oset_free(&l.set);
	offs_free(&l.offs);
	free(map);
	if (failures > 20)
		printf("(%d failures in all)\n", failures);
	return failures ? 1 : 0;
}
