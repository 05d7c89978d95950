/* region.c — from the module's code to regions: one per guest function (or
 * piece of one), each the instructions reachable from its roots without
 * following calls, with its entry points.
 *
 * Function starts come from the module (module.c) and from direct call
 * targets found while decoding. A function with a known range (FDE or
 * sized symbol) keeps the code inside it; a jump out of it, or to another
 * function's start, is a tail transfer. Code-map ranges add roots: every
 * instruction of a range that starts it or follows a control transfer
 * began a block that ran (a jump-table target, a landing pad...).
 *
 * Without --whole, only functions holding code the map names are kept.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "translator/aot/aot.h"

/* ---- the decode cache: offset -> instruction ---- */

struct dcache {
	struct dinsn **slot;
	size_t cap, n;
};

static size_t dhash(uint64_t off, size_t cap)
{
	return (size_t)((off * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static void dcache_grow(struct dcache *c)
{
	size_t ncap = c->cap ? 2 * c->cap : 1u << 16;
	struct dinsn **ns = xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < c->cap; i++) {
		struct dinsn *d = c->slot[i];
		size_t h;
		if (!d)
			continue;
		for (h = dhash(d->off, ncap); ns[h]; h = (h + 1) & (ncap - 1))
			;
		ns[h] = d;
	}
	free(c->slot);
	c->slot = ns;
	c->cap = ncap;
}

/* The instruction at `off`, decoded on first use; NULL if `off` is not in
 * executable bytes. An undecodable one comes back with fx.ctl CTL_STOP. */
static struct dinsn *decode_at(struct dcache *c, const struct module *m, uint64_t off)
{
	struct dinsn *d;
	const uint8_t *code;
	size_t avail, h;
	int len;

	if (2 * (c->n + 1) > c->cap)
		dcache_grow(c);
	for (h = dhash(off, c->cap); (d = c->slot[h]); h = (h + 1) & (c->cap - 1))
		if (d->off == off)
			return d;
	code = module_code(m, off, &avail);
	if (!code)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->off = off;
	len = x86_decode(code, avail < 15 ? avail : 15, &d->in);
	if (len < 0) {
		memset(&d->in, 0, sizeof d->in);
		d->in.len = 1;
		d->fx.ctl = CTL_STOP;
	} else {
		effects_of(&d->in, &d->fx);
	}
	c->slot[h] = d;
	c->n++;
	return d;
}

static void dcache_free(struct dcache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->slot[i]);
	free(c->slot);
}

/* ---- building one function's region ---- */

struct builder {
	struct module *m;
	struct dcache dc;
	struct offs starts;   /* sorted function starts (grows: call targets) */
	struct offs pending;  /* call targets found, not yet in starts */
	struct offs maproots; /* sorted code-map roots */
	const struct lift_opts *o;
};

static bool is_start(const struct builder *b, uint64_t off)
{
	return offs_has(&b->starts, off);
}

/* Whether a direct branch from function `f` (range r, may be NULL) to t
 * stays inside the function. */
static bool inside(const struct builder *b, uint64_t f, const struct symbol_range *r, uint64_t t)
{
	if (t != f && is_start(b, t))
		return false;
	if (r)
		return t - r->start < r->size;
	return module_is_code(b->m, t);
}

static int cmp_dinsn(const void *a, const void *b)
{
	const struct dinsn *x = *(struct dinsn *const *)a, *y = *(struct dinsn *const *)b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Decodes function f from its roots; returns its instructions sorted, and
 * marks branch targets in `targets`. */
static struct dinsn **descend(struct builder *b, uint64_t f, const struct offs *roots, uint32_t *n,
			      struct offs *targets)
{
	const struct symbol_range *r = module_range(b->m, f);
	struct offs work = {0};
	struct oset seen = {0};
	struct dinsn **out = NULL;
	size_t cnt = 0, cap = 0;

	for (size_t i = 0; i < roots->n; i++)
		offs_add(&work, roots->v[i]);
	while (work.n) {
		uint64_t off = work.v[--work.n];
		/* Walk straight-line code from `off`. */
		for (;;) {
			struct dinsn *d;
			uint64_t next, t;
			bool in;
			if (oset_has(&seen, off))
				break;
			d = decode_at(&b->dc, b->m, off);
			if (!d)
				break;
			oset_add(&seen, off);
			if (cnt == cap) {
				cap = cap ? 2 * cap : 64;
				out = xrealloc(out, cap * sizeof *out);
			}
			out[cnt++] = d;
			next = off + d->in.len;
			switch (d->fx.ctl) {
			case CTL_NONE: break;
			case CTL_JMP:
			case CTL_JCC:
			case CTL_COND:
				t = effects_target(&d->in, off);
				in = inside(b, f, r, t);
				if (in) {
					offs_add(&work, t);
					offs_add(targets, t);
				} else if (module_is_code(b->m, t) && !is_start(b, t)) {
					offs_add(&b->pending, t);
				}
				if (d->fx.ctl == CTL_JMP)
					goto stop;
				break;
			case CTL_CALL:
				t = effects_target(&d->in, off);
				if (module_is_code(b->m, t) && !is_start(b, t))
					offs_add(&b->pending, t);
				/* the continuation, as for the others */
				__attribute__((fallthrough));
			case CTL_CALL_IND:
			case CTL_SYSCALL:
			case CTL_TRAP: offs_add(targets, next); break;
			case CTL_JMP_IND:
			case CTL_RET:
			case CTL_STOP: goto stop;
			}
			if (!inside(b, f, r, next))
				goto stop;
			off = next;
		}
	stop:;
	}
	offs_free(&work);
	oset_free(&seen);
	qsort(out, cnt, sizeof *out, cmp_dinsn);
	*n = (uint32_t)cnt;
	return out;
}

/* ---- flag liveness ---- */

static int find_insn(const struct region *rg, uint64_t off)
{
	uint32_t lo = 0, hi = rg->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (rg->insn[mid]->off < off)
			lo = mid + 1;
		else if (rg->insn[mid]->off > off)
			hi = mid;
		else
			return (int)mid;
	}
	return -1;
}

/* Flags that may be observed after each instruction, by a later read or
 * by a later fault (a fault shows all of them), before being overwritten.
 * Region exits synchronise everything themselves and add nothing. */
static void liveness(struct region *rg)
{
	uint8_t *in = xcalloc(rg->n, 1);
	bool changed = true;

	rg->live_out = xcalloc(rg->n, 1);
	while (changed) {
		changed = false;
		for (uint32_t k = rg->n; k-- > 0;) {
			const struct dinsn *d = rg->insn[k];
			uint8_t out = 0, li;
			int s;
			switch (d->fx.ctl) {
			case CTL_NONE:
			case CTL_JCC:
			case CTL_COND:
			case CTL_JMP:
				if (d->fx.ctl != CTL_JMP &&
				    (s = find_insn(rg, d->off + d->in.len)) >= 0)
					out |= in[s];
				if (d->fx.ctl != CTL_NONE &&
				    (s = find_insn(rg, effects_target(&d->in, d->off))) >= 0)
					out |= in[s];
				break;
			default: break; /* exits */
			}
			li = (uint8_t)((d->fx.may_fault ? FL_ALL : 0) | d->fx.flags_read |
				       (out & ~d->fx.flags_kill));
			if (out != rg->live_out[k] || li != in[k]) {
				rg->live_out[k] = out;
				in[k] = li;
				changed = true;
			}
		}
	}
	free(in);
}

/* ---- what the local copy holds unsynchronised ---- */

/* Where control goes to t inside region rg with the local copy as it is,
 * as emit.c lays it out: from instruction k straight into the next one
 * (k is rg->n for a jump), or a jump to a label (not to one the
 * interpreter runs); -1 for none. */
static int local_succ(const struct region *rg, uint32_t k, uint64_t t)
{
	int s;
	if (k + 1 < rg->n && rg->insn[k + 1]->off == t)
		return (int)k + 1;
	s = find_insn(rg, t);
	return s >= 0 && rg->insn[s]->fx.ctl != CTL_STOP ? s : -1;
}

uint32_t region_dirty_after(const struct region *rg, uint32_t k)
{
	const struct dinsn *d = rg->insn[k];
	uint32_t out = rg->dirty[k] | d->fx.writes;
	if (d->fx.ctl == CTL_NONE && d->fx.on_real)
		return 0;
	if (d->fx.ctl == CTL_NONE && d->fx.stores)
		out &= ST_FLAGS(~rg->live_out[k] & FL_ALL);
	return out;
}

/* The state the local copy may hold that *xl_real does not, before each
 * instruction. Every entry starts synchronised (the prologue loads the
 * copy), so does a call's continuation (it reloads). */
static void dirtiness(struct region *rg)
{
	bool changed = true;

	rg->dirty = xcalloc(rg->n, sizeof *rg->dirty);
	while (changed) {
		changed = false;
		for (uint32_t k = 0; k < rg->n; k++) {
			const struct dinsn *d = rg->insn[k];
			uint32_t out = region_dirty_after(rg, k);
			int succ[2] = {-1, -1};
			switch (d->fx.ctl) {
			case CTL_NONE:
				succ[0] = local_succ(rg, k, d->off + d->in.len);
				break;
			case CTL_JCC:
			case CTL_COND:
				succ[0] = local_succ(rg, k, d->off + d->in.len);
				__attribute__((fallthrough));
			case CTL_JMP:
				succ[1] = local_succ(rg, rg->n, effects_target(&d->in, d->off));
				break;
			default: break; /* exits, and calls (their continuation reloads) */
			}
			for (int i = 0; i < 2; i++)
				if (succ[i] >= 0 && (out & ~rg->dirty[succ[i]])) {
					rg->dirty[succ[i]] |= out;
					changed = true;
				}
		}
	}
}

/* ---- regions ---- */

static struct region *region_new(uint64_t start, struct dinsn **insn, uint32_t n,
				 const struct offs *targets, const struct offs *roots)
{
	struct region *rg = xcalloc(1, sizeof *rg);
	rg->start = start;
	rg->insn = insn;
	rg->n = n;
	rg->leader = xcalloc(n, 1);
	rg->entry = xcalloc(n, sizeof *rg->entry);
	for (uint32_t k = 0; k < n; k++) {
		const struct dinsn *d = insn[k];
		rg->classes |= d->fx.classes;
		if (d->off == start || offs_has(targets, d->off) || offs_has(roots, d->off) ||
		    (k > 0 && insn[k - 1]->off + insn[k - 1]->in.len != d->off))
			rg->leader[k] = 1;
	}
	/* A fall-through that does not reach the next instruction in
	 * order (overlapping decodings) needs a label too. */
	for (uint32_t k = 0; k < n; k++) {
		uint64_t next = insn[k]->off + insn[k]->in.len;
		int s;
		if (k + 1 < n && insn[k + 1]->off == next)
			continue;
		if ((s = find_insn(rg, next)) >= 0)
			rg->leader[s] = 1;
	}
	/* Every label is an entry, except where the interpreter must run
	 * (an entry there would come straight back to the dispatcher). */
	for (uint32_t k = 0; k < n; k++)
		if (rg->leader[k] && insn[k]->fx.ctl != CTL_STOP && insn[k]->fx.ctl != CTL_TRAP)
			rg->entry[k] = ++rg->nentries;
	liveness(rg);
	dirtiness(rg);
	return rg;
}

static void region_free(struct region *rg)
{
	free(rg->insn);
	free(rg->leader);
	free(rg->entry);
	free(rg->live_out);
	free(rg->dirty);
	free(rg);
}

/* Cuts a function's instructions into regions of at most o->region_max,
 * at labels. */
static void add_regions(struct program *p, uint64_t f, struct dinsn **insn, uint32_t n,
			const struct offs *targets, const struct offs *roots, uint32_t max)
{
	uint32_t from = 0;
	while (from < n) {
		uint32_t to = n;
		struct dinsn **part;
		struct offs r2 = {0};
		if (n - from > max) {
			/* The first label at or after from + max. */
			to = from + max;
			while (to < n && !offs_has(targets, insn[to]->off) &&
			       insn[to - 1]->off + insn[to - 1]->in.len == insn[to]->off)
				to++;
		}
		part = xmalloc((to - from) * sizeof *part);
		memcpy(part, insn + from, (to - from) * sizeof *part);
		for (size_t i = 0; i < roots->n; i++)
			offs_add(&r2, roots->v[i]);
		offs_add(&r2, part[0]->off);
		offs_sort(&r2);
		p->regions = xrealloc(p->regions, (p->nregions + 1) * sizeof *p->regions);
		p->regions[p->nregions] =
			region_new(from ? part[0]->off : f, part, to - from, targets, &r2);
		p->regions[p->nregions]->id = (uint32_t)p->nregions;
		p->nregions++;
		p->ninsns += to - from;
		offs_free(&r2);
		from = to;
	}
	free(insn);
}

/* Linear decode of each map range: its first instruction and every one
 * after a control transfer started a block that ran. */
static void map_roots(struct builder *b)
{
	for (size_t i = 0; i < b->o->nmap; i++) {
		uint64_t off = b->o->map[i].off, end = off + b->o->map[i].len;
		bool block_start = true;
		while (off < end) {
			struct dinsn *d = decode_at(&b->dc, b->m, off);
			if (!d)
				break;
			if (block_start)
				offs_add(&b->maproots, off);
			block_start = d->fx.ctl != CTL_NONE;
			off += d->in.len;
		}
	}
	offs_sort(&b->maproots);
}

/* Roots of function f: f and the map roots inside its range. */
static void roots_of(const struct builder *b, uint64_t f, struct offs *roots)
{
	const struct symbol_range *r = module_range(b->m, f);
	offs_add(roots, f);
	if (!r)
		return;
	for (size_t i = 0; i < b->maproots.n; i++)
		if (b->maproots.v[i] - r->start < r->size && b->maproots.v[i] != f &&
		    (!is_start(b, b->maproots.v[i])))
			offs_add(roots, b->maproots.v[i]);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry_ref *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

static void build_entries(struct program *p)
{
	size_t n = 0, j = 0;
	for (size_t i = 0; i < p->nregions; i++)
		n += p->regions[i]->nentries;
	p->entries = xmalloc(n * sizeof *p->entries);
	for (size_t i = 0; i < p->nregions; i++) {
		const struct region *rg = p->regions[i];
		for (uint32_t k = 0; k < rg->n; k++)
			if (rg->entry[k])
				p->entries[j++] = (struct entry_ref){rg->insn[k]->off, rg->id,
								     rg->entry[k] - 1};
	}
	/* One entry per offset: a region starting there wins, then the
	 * first region (a stable choice: regions are in start order). */
	qsort(p->entries, n, sizeof *p->entries, cmp_entry);
	for (size_t i = 0, k = 0; i < n; k++) {
		size_t best = i, e = i;
		while (e < n && p->entries[e].off == p->entries[i].off) {
			const struct region *a = p->regions[p->entries[e].region];
			const struct region *cur = p->regions[p->entries[best].region];
			if ((a->start == p->entries[e].off) >
				    (cur->start == p->entries[best].off) ||
			    ((a->start == p->entries[e].off) ==
				     (cur->start == p->entries[best].off) &&
			     a->id < cur->id))
				best = e;
			e++;
		}
		p->entries[k] = p->entries[best];
		p->nentries = k + 1;
		i = e;
	}
}

const struct entry_ref *program_entry(const struct program *p, uint64_t off)
{
	size_t lo = 0, hi = p->nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->entries[mid].off < off)
			lo = mid + 1;
		else if (p->entries[mid].off > off)
			hi = mid;
		else
			return &p->entries[mid];
	}
	return NULL;
}

/* Whether function f (its instructions) holds code the map names. */
static bool touched(const struct builder *b, struct dinsn **insn, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (offs_has(&b->maproots, insn[k]->off))
			return true;
	return false;
}

int program_build(struct module *m, const struct lift_opts *o, struct program *p)
{
	struct builder b = {.m = m, .o = o};
	struct oset done = {0};

	memset(p, 0, sizeof *p);
	p->m = m;
	for (size_t i = 0; i < m->starts.n; i++)
		offs_add(&b.starts, m->starts.v[i]);
	map_roots(&b);
	/* Map roots outside every known function start functions of their own. */
	for (size_t i = 0; i < b.maproots.n; i++)
		if (!module_range(m, b.maproots.v[i]))
			offs_add(&b.starts, b.maproots.v[i]);
	offs_sort(&b.starts);

	/* Process starts until no new call target appears. */
	for (;;) {
		bool grew = false;
		for (size_t i = 0; i < b.starts.n; i++) {
			uint64_t f = b.starts.v[i];
			struct offs roots = {0}, targets = {0};
			struct dinsn **insn;
			uint32_t n;
			if (!oset_add(&done, f))
				continue;
			roots_of(&b, f, &roots);
			insn = descend(&b, f, &roots, &n, &targets);
			offs_sort(&targets);
			if (n && (o->whole || !o->map || touched(&b, insn, n)))
				add_regions(p, f, insn, n, &targets, &roots, o->region_max);
			else
				free(insn);
			offs_free(&roots);
			offs_free(&targets);
		}
		for (size_t i = 0; i < b.pending.n; i++)
			if (!offs_has(&b.starts, b.pending.v[i])) {
				offs_add(&b.starts, b.pending.v[i]);
				grew = true;
			}
		b.pending.n = 0;
		if (!grew)
			break;
		offs_sort(&b.starts);
	}
	build_entries(p);
	/* The cache owns the instructions: keep it for emit, free in
	 * program_free. */
	p->dcache = b.dc.slot;
	p->dcache_cap = b.dc.cap;
	oset_free(&done);
	offs_free(&b.starts);
	offs_free(&b.pending);
	offs_free(&b.maproots);
	return 0;
}

void program_free(struct program *p)
{
	struct dcache c = {p->dcache, p->dcache_cap, 0};
	for (size_t i = 0; i < p->nregions; i++)
		region_free(p->regions[i]);
	free(p->regions);
	free(p->entries);
	dcache_free(&c);
	memset(p, 0, sizeof *p);
}
