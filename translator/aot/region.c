/* region.c — from the module's code to regions: each guest instruction
 * lifted into one region at most, regions cut from functions, with their
 * entry points.
 *
 * A function is the code reachable from its roots without following
 * calls. Code inside a known range (an FDE or a sized symbol; the smallest
 * holding it, ranges with one start merged into the longest) belongs to
 * that range's function, wherever control comes from: a start inside it
 * (a call target, a sizeless symbol, a computed-goto label from a
 * relocation) is one more root, not a function of its own. Code outside
 * every range belongs to the first function that reaches it. Control
 * reaching another function's code makes that offset a root (an entry) of
 * it: the branch stays a direct tail transfer, the code is not copied.
 *
 * Roots come from the module's function starts (module.c), direct branch
 * and call targets, and the code map: every instruction of a map range
 * that starts it or follows a control transfer began a block that ran.
 * Without --whole, only functions holding code the map covers are kept,
 * and of a big one only the pieces (regions) it covers.
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

/* ---- functions: which one lifts each instruction ---- */

/* A function range, ranges with the same start merged into the longest. */
struct span {
	uint64_t start, end;
	uint64_t reach; /* the furthest end of this span and those before it */
};

/* A function: the code reachable from its roots without following calls,
 * inside its range, or for one without a range, up to code another
 * function holds. Each instruction belongs to one function. */
struct func {
	uint64_t start;
	const struct span *span; /* NULL: no known range */
	struct offs roots;	 /* entries: starts, map roots, targets from elsewhere */
	struct offs work;	 /* roots not walked yet */
	struct offs targets;	 /* branch targets and continuations inside */
	struct dinsn **insn;
	uint32_t n, cap;
	uint32_t id; /* index in funcs + 1, as dinsn.unit */
	bool queued;
};

struct builder {
	struct module *m;
	const struct lift_opts *o;
	struct dcache dc;
	struct span *spans;
	size_t nspans;
	struct func **span_func; /* per span, once created */
	struct func **funcs;	 /* in order of creation */
	size_t nfuncs;
	struct oset rooted; /* offsets that are some function's root */
	struct offs queue;  /* functions with work (indexes) */
	size_t qhead;
};

static void spans_build(struct builder *b)
{
	const struct module *m = b->m;
	uint64_t reach = 0;

	/* m->ranges is sorted by start, then size. */
	b->spans = xcalloc(m->nranges, sizeof *b->spans);
	for (size_t i = 0; i < m->nranges; i++) {
		const struct symbol_range *r = &m->ranges[i];
		if (b->nspans && b->spans[b->nspans - 1].start == r->start)
			b->nspans--;
		b->spans[b->nspans++] = (struct span){r->start, r->start + r->size, 0};
	}
	for (size_t i = 0; i < b->nspans; i++) {
		if (b->spans[i].end > reach)
			reach = b->spans[i].end;
		b->spans[i].reach = reach;
	}
	b->span_func = xcalloc(b->nspans, sizeof *b->span_func);
}

/* The smallest span holding `off` (of equal ones, the last to start), or
 * NULL: the function range whose code `off` is. */
static const struct span *span_of(const struct builder *b, uint64_t off)
{
	const struct span *best = NULL;
	size_t lo = 0, hi = b->nspans;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->spans[mid].start <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Spans before lo that may still hold off; nesting is shallow, so
	 * the bound only matters for a module made to be slow. */
	for (size_t i = lo, k = 0; i > 0 && b->spans[i - 1].reach > off && k < 64; i--, k++) {
		const struct span *s = &b->spans[i - 1];
		if (off < s->end && (!best || s->end - s->start < best->end - best->start))
			best = s;
	}
	return best;
}

static struct func *func_new(struct builder *b, uint64_t start, const struct span *span)
{
	struct func *f = xcalloc(1, sizeof *f);
	f->start = start;
	f->span = span;
	b->funcs = xrealloc(b->funcs, (b->nfuncs + 1) * sizeof *b->funcs);
	b->funcs[b->nfuncs++] = f;
	f->id = (uint32_t)b->nfuncs;
	return f;
}

/* The function that holds code at `off`, created if there is none yet:
 * the one of its range, else the one that already took the instruction,
 * else a new function without a range starting there. NULL if `off` is
 * not code. */
static struct func *func_at(struct builder *b, uint64_t off)
{
	const struct span *s = span_of(b, off);
	struct dinsn *d;
	struct func *f;

	if (s) {
		struct func **slot = &b->span_func[s - b->spans];
		if (!*slot)
			*slot = func_new(b, s->start, s);
		return *slot;
	}
	d = decode_at(&b->dc, b->m, off);
	if (!d)
		return NULL;
	if (d->unit)
		return b->funcs[d->unit - 1];
	f = func_new(b, off, NULL);
	d->unit = f->id;
	return f;
}

/* Control reaches `off` from elsewhere: it becomes a root (an entry) of
 * the function holding it, which walks on from there. */
static void reach(struct builder *b, uint64_t off)
{
	struct func *f;
	if (oset_has(&b->rooted, off) || !(f = func_at(b, off)))
		return;
	oset_add(&b->rooted, off);
	offs_add(&f->roots, off);
	offs_add(&f->work, off);
	if (!f->queued) {
		f->queued = true;
		offs_add(&b->queue, f->id - 1);
	}
}

/* Whether code at t belongs to function f : a direct branch there
 * stays inside it. */
static bool inside(struct builder *b, const struct func *f, uint64_t t)
{
	const struct dinsn *d;
	if (f->span)
		return span_of(b, t) == f->span;
	if (span_of(b, t) || !(d = decode_at(&b->dc, b->m, t)))
		return false;
	return !d->unit || d->unit == f->id;
}

/* Walks function f from its new roots, taking the instructions it reaches
 * that no other function holds. */
static void walk(struct builder *b, struct func *f)
{
	while (f->work.n) {
		uint64_t off = f->work.v[--f->work.n];
		for (;;) {
			struct dinsn *d = decode_at(&b->dc, b->m, off);
			uint64_t next, t;
			if (!d || d->walked)
				break;
			if (d->unit && d->unit != f->id) {
				/* Another function took it first: go there. */
				reach(b, off);
				break;
			}
			d->unit = f->id;
			d->walked = true;
			if (f->n == f->cap) {
				f->cap = f->cap ? 2 * f->cap : 64;
				f->insn = xrealloc(f->insn, f->cap * sizeof *f->insn);
			}
			f->insn[f->n++] = d;
			next = off + d->in.len;
			switch (d->fx.ctl) {
			case CTL_NONE: break;
			case CTL_JMP:
			case CTL_JCC:
			case CTL_COND:
				t = effects_target(&d->in, off);
				if (inside(b, f, t)) {
					offs_add(&f->work, t);
					offs_add(&f->targets, t);
				} else {
					reach(b, t);
				}
				if (d->fx.ctl == CTL_JMP)
					goto stop;
				break;
			case CTL_CALL:
				reach(b, effects_target(&d->in, off));
				/* the continuation, as for the others */
				__attribute__((fallthrough));
			case CTL_CALL_IND:
			case CTL_SYSCALL:
			case CTL_TRAP:
				offs_add(&f->targets, next);
				if (!inside(b, f, next))
					goto stop;
				break;
			case CTL_JMP_IND:
			case CTL_RET:
			case CTL_STOP: goto stop;
			}
			if (!inside(b, f, next)) {
				/* Falling into another function's code. */
				reach(b, next);
				goto stop;
			}
			off = next;
		}
	stop:;
	}
}

/* Walks every function with work until none is left. */
static void walk_all(struct builder *b)
{
	while (b->qhead < b->queue.n) {
		struct func *f = b->funcs[b->queue.v[b->qhead++]];
		f->queued = false;
		walk(b, f);
	}
	b->queue.n = b->qhead = 0;
}

static int cmp_dinsn(const void *a, const void *b)
{
	const struct dinsn *x = *(struct dinsn *const *)a, *y = *(struct dinsn *const *)b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* ---- instructions by offset ---- */

int dinsn_index(struct dinsn *const *insn, uint32_t n, uint64_t off)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (insn[mid]->off < off)
			lo = mid + 1;
		else if (insn[mid]->off > off)
			hi = mid;
		else
			return (int)mid;
	}
	return -1;
}

static int find_insn(const struct region *rg, uint64_t off)
{
	return dinsn_index(rg->insn, rg->n, off);
}

/* ---- flag liveness ---- */

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
		/* What runs on the real cpu needs nothing in the copy. */
		if (!d->fx.on_real) {
			rg->classes |= d->fx.classes;
			rg->xmm |= d->fx.xmm;
		}
		if (k == 0 || d->off == start || offs_has(targets, d->off) || offs_has(roots, d->off) ||
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

/* The index of the instruction at off in f (sorted), or -1. */
static int func_insn(const struct func *f, uint64_t off)
{
	return dinsn_index(f->insn, f->n, off);
}

static bool any_ran(struct dinsn *const *insn, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (insn[k]->ran)
			return true;
	return false;
}

/* Cuts function f's instructions (sorted) into regions of at most `max`,
 * at labels. Without `all`, only pieces holding code the map covers are
 * kept: a branch to a piece left out goes to the dispatcher. */
static void add_regions(struct program *p, const struct func *f, uint32_t max, bool all)
{
	struct dinsn **insn = f->insn;
	uint32_t n = f->n, from = 0;
	int s = func_insn(f, f->start);
	while (from < n) {
		uint32_t to = n;
		struct dinsn **part;
		if (n - from > max) {
			/* The first label at or after from + max. */
			to = from + max;
			while (to < n && !offs_has(&f->targets, insn[to]->off) &&
			       insn[to - 1]->off + insn[to - 1]->in.len == insn[to]->off)
				to++;
		}
		if (!all && !any_ran(insn + from, to - from)) {
			from = to;
			continue;
		}
		part = xmalloc((to - from) * sizeof *part);
		memcpy(part, insn + from, (to - from) * sizeof *part);
		p->regions = xrealloc(p->regions, (p->nregions + 1) * sizeof *p->regions);
		p->regions[p->nregions] =
			region_new(s >= (int)from && s < (int)to ? f->start : part[0]->off, part,
				   to - from, &f->targets, &f->roots);
		p->regions[p->nregions]->id = (uint32_t)p->nregions;
		p->nregions++;
		p->ninsns += to - from;
		from = to;
	}
}

/* Linear decode of each map range: its first instruction and every one
 * after a control transfer began a block that ran (a jump-table target, a
 * landing pad...): roots. The runtime records a block by its first byte:
 * the straight-line code after the range ran too. */
static void map_roots(struct builder *b, struct offs *roots)
{
	for (size_t i = 0; i < b->o->nmap; i++) {
		uint64_t off = b->o->map[i].off, end = off + b->o->map[i].len;
		bool block_start = true;
		while (off < end || !block_start) {
			struct dinsn *d = decode_at(&b->dc, b->m, off);
			if (!d || (off >= end && d->ran))
				break;
			d->ran = true;
			if (block_start && off < end)
				offs_add(roots, off);
			block_start = d->fx.ctl != CTL_NONE;
			off += d->in.len;
		}
	}
	offs_sort(roots);
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

/* Keeps of function f (instructions sorted, targets and roots sorted)
 * only the basic blocks that ran and those they go to directly: the
 * other side of a branch that ran one way, a call's continuation. */
static void keep_blocks(struct func *f)
{
	uint8_t *lead = xcalloc(f->n, 1), *keep = xcalloc(f->n, 1);
	uint32_t j = 0;

	for (uint32_t k = 0; k < f->n; k++) {
		const struct dinsn *d = f->insn[k], *prev = k ? f->insn[k - 1] : NULL;
		lead[k] = !prev || prev->fx.ctl != CTL_NONE || prev->off + prev->in.len != d->off ||
			  offs_has(&f->roots, d->off) || offs_has(&f->targets, d->off);
	}
	/* Blocks that ran, then their successors. */
	for (uint32_t k = 0; k < f->n; k++)
		if (f->insn[k]->ran)
			for (uint32_t b = k; !keep[b]; b--) {
				keep[b] = 2;
				if (lead[b])
					break;
			}
	for (uint32_t k = 0; k < f->n; k++) {
		const struct dinsn *d = f->insn[k];
		uint64_t t[2];
		int nt = 0;
		if (keep[k] != 2 || (k + 1 < f->n && !lead[k + 1]))
			continue;
		if (d->fx.ctl != CTL_JMP && d->fx.ctl != CTL_JMP_IND && d->fx.ctl != CTL_RET &&
		    d->fx.ctl != CTL_STOP)
			t[nt++] = d->off + d->in.len;
		if (d->fx.ctl == CTL_JMP || d->fx.ctl == CTL_JCC || d->fx.ctl == CTL_COND)
			t[nt++] = effects_target(&d->in, d->off);
		for (int i = 0; i < nt; i++) {
			int s = func_insn(f, t[i]);
			for (uint32_t b = (uint32_t)s; s >= 0 && b < f->n && !keep[b]; b++) {
				keep[b] = 1;
				if (b + 1 < f->n && lead[b + 1])
					break;
			}
		}
	}
	for (uint32_t k = 0; k < f->n; k++)
		if (keep[k])
			f->insn[j++] = f->insn[k];
	f->n = j;
	free(lead);
	free(keep);
}

static int cmp_func(const void *a, const void *b)
{
	const struct func *x = *(struct func *const *)a, *y = *(struct func *const *)b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void func_free(struct func *f)
{
	offs_free(&f->roots);
	offs_free(&f->work);
	offs_free(&f->targets);
	free(f->insn);
	free(f);
}

int program_build(struct module *m, const struct lift_opts *o, struct program *p)
{
	struct builder b = {.m = m, .o = o};
	struct offs maproots = {0};
	bool all = o->whole || !o->map;

	memset(p, 0, sizeof *p);
	p->m = m;
	spans_build(&b);
	/* The module's function starts first, so that a map root inside
	 * code they reach becomes their entry rather than a function. */
	for (size_t i = 0; i < m->starts.n; i++)
		reach(&b, m->starts.v[i]);
	walk_all(&b);
	map_roots(&b, &maproots);
	for (size_t i = 0; i < maproots.n; i++)
		reach(&b, maproots.v[i]);
	walk_all(&b);

	/* Regions in start order; without --whole, only functions the map
	 * covers, and of a big one only the pieces it covers. */
	qsort(b.funcs, b.nfuncs, sizeof *b.funcs, cmp_func);
	for (size_t i = 0; i < b.nfuncs; i++) {
		struct func *f = b.funcs[i];
		if (f->n && (all || any_ran(f->insn, f->n))) {
			qsort(f->insn, f->n, sizeof *f->insn, cmp_dinsn);
			offs_sort(&f->targets);
			offs_sort(&f->roots);
			if (!all && o->blocks)
				keep_blocks(f);
			add_regions(p, f, o->region_max, all || o->blocks);
		}
		func_free(f);
	}
	build_entries(p);
	/* The cache owns the instructions: keep it for emit, free in
	 * program_free. */
	p->dcache = b.dc.slot;
	p->dcache_cap = b.dc.cap;
	free(b.funcs);
	free(b.spans);
	free(b.span_func);
	oset_free(&b.rooted);
	offs_free(&b.queue);
	offs_free(&maproots);
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
