/* mem.c — the guest's mappings: a sorted array of non-overlapping ranges.
 *
 * Every guest mapping is made by the runtime (loader, stack, brk, the mmap
 * family), so this table is the truth about guest memory: it answers
 * /proc/self/maps and tells guest memory from the runtime's own. Adjacent
 * ranges with equal attributes are merged, as the kernel merges VMAs.
 * Processes have hundreds of mappings, not millions: memmove is fine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "translator/runtime/runtime.h"

static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void fork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

/* The child's only thread has a new id, so it can neither unlock nor
 * retake a recursive mutex its parent held: start it afresh. */
static void fork_child(void)
{
	lock = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
}

/* Every fork (the guest's, and the runtime's own) must leave the table
 * consistent and the lock usable in the child. */
static void register_atfork(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void mem_lock(void)
{
	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&lock);
}

void mem_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

/* The owner of a recursive mutex is a tid, and the child of fork has a
 * new one: the lock its parent held cannot be unlocked, only made anew. */
void mem_fork_child(void)
{
	pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	lock = fresh;
}

static struct gmap *maps;
static size_t nmaps, capmaps;

struct range {
	uint64_t start, end;
};
static struct range *foreign;
static size_t nforeign, capforeign;

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p)
		abort(); /* the runtime cannot go on without its map */
	*cap = n;
	return p;
}

const char *gmap_intern(const char *path)
{
	static char **names;
	static size_t nnames, capnames;
	if (!path)
		return NULL;
	for (size_t i = 0; i < nnames; i++)
		if (!strcmp(names[i], path))
			return names[i];
	names = grow(names, &capnames, nnames + 1, sizeof *names);
	char *s = strdup(path);
	if (!s)
		abort();
	names[nnames++] = s;
	return s;
}

/* First index whose range ends above addr. */
static size_t lower(uint64_t addr)
{
	size_t lo = 0, hi = nmaps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool same_kind(const struct gmap *a, const struct gmap *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->path != b->path || a->dev != b->dev || a->ino != b->ino)
		return false;
	return !a->path || a->offset + (a->end - a->start) == b->offset;
}

/* Merges maps[i] with its neighbours when they are the same kind. */
static void merge_around(size_t i)
{
	if (i + 1 < nmaps && same_kind(&maps[i], &maps[i + 1])) {
		maps[i].end = maps[i + 1].end;
		memmove(&maps[i + 1], &maps[i + 2], (nmaps - i - 2) * sizeof *maps);
		nmaps--;
	}
	if (i > 0 && same_kind(&maps[i - 1], &maps[i])) {
		maps[i - 1].end = maps[i].end;
		memmove(&maps[i], &maps[i + 1], (nmaps - i - 1) * sizeof *maps);
		nmaps--;
	}
}

/* Splits the range containing addr (if any) so that addr is a boundary. */
static void split_at(uint64_t addr)
{
	size_t i = lower(addr);
	if (i == nmaps || maps[i].start >= addr)
		return;
	maps = grow(maps, &capmaps, nmaps + 1, sizeof *maps);
	memmove(&maps[i + 1], &maps[i], (nmaps - i) * sizeof *maps);
	nmaps++;
	maps[i].end = addr;
	maps[i + 1].start = addr;
	if (maps[i + 1].path)
		maps[i + 1].offset += addr - maps[i].start;
}

void gmap_remove(uint64_t start, uint64_t end)
{
	if (start >= end)
		return;
	split_at(start);
	split_at(end);
	size_t i = lower(start), j = i;
	while (j < nmaps && maps[j].start < end)
		j++;
	if (i == j)
		return;
	memmove(&maps[i], &maps[j], (nmaps - j) * sizeof *maps);
	nmaps -= j - i;
}

void gmap_insert(const struct gmap *m)
{
	if (m->start >= m->end)
		return;
	gmap_remove(m->start, m->end);
	size_t i = lower(m->start);
	maps = grow(maps, &capmaps, nmaps + 1, sizeof *maps);
	memmove(&maps[i + 1], &maps[i], (nmaps - i) * sizeof *maps);
	maps[i] = *m;
	nmaps++;
	merge_around(i);
}

bool gmap_covered(uint64_t start, uint64_t end)
{
	uint64_t at = start;
	for (size_t i = lower(start); i < nmaps && at < end; i++) {
		if (maps[i].start > at)
			return false;
		at = maps[i].end;
	}
	return at >= end;
}

int gmap_protect(uint64_t start, uint64_t end, uint32_t prot)
{
	if (!gmap_covered(start, end))
		return -ENOMEM;
	split_at(start);
	split_at(end);
	size_t i = lower(start);
	for (size_t j = i; j < nmaps && maps[j].start < end; j++)
		maps[j].prot = prot;
	/* Merge the changed run with its neighbours, from the right. */
	size_t j = lower(end);
	if (j > 0)
		j--;
	for (;;) {
		merge_around(j);
		if (j <= i)
			break;
		j--;
	}
	return 0;
}

const struct gmap *gmap_find(uint64_t addr)
{
	size_t i = lower(addr);
	return i < nmaps && maps[i].start <= addr ? &maps[i] : NULL;
}

int gmap_holes(uint64_t start, uint64_t end, int (*fn)(uint64_t, uint64_t, void *), void *arg)
{
	uint64_t at = start;
	for (size_t i = lower(start); i < nmaps && at < end; i++) {
		if (maps[i].start > at) {
			int r = fn(at, maps[i].start < end ? maps[i].start : end, arg);
			if (r)
				return r;
		}
		at = maps[i].end;
	}
	return at < end ? fn(at, end, arg) : 0;
}

int gmap_parts(uint64_t start, uint64_t end, int (*fn)(uint64_t, uint64_t, void *), void *arg)
{
	for (size_t i = lower(start); i < nmaps && maps[i].start < end; i++) {
		int r = fn(maps[i].start > start ? maps[i].start : start,
			   maps[i].end < end ? maps[i].end : end, arg);
		if (r)
			return r;
	}
	return 0;
}

size_t gmap_count(void)
{
	return nmaps;
}

const struct gmap *gmap_at(size_t i)
{
	return &maps[i];
}

void gmap_add_foreign(uint64_t start, uint64_t end)
{
	foreign = grow(foreign, &capforeign, nforeign + 1, sizeof *foreign);
	foreign[nforeign++] = (struct range){start, end};
}

/* The lowest address of [start, end) that a guest or foreign range
 * occupies, or `end` when the whole range is free. */
static uint64_t first_obstacle(uint64_t start, uint64_t end)
{
	uint64_t best = end;
	size_t i = lower(start);
	if (i < nmaps && maps[i].start < end)
		best = maps[i].start;
	for (size_t k = 0; k < nforeign; k++)
		if (foreign[k].start < best && foreign[k].end > start)
			best = foreign[k].start;
	return best;
}

uint64_t gmap_find_free(uint64_t len, uint64_t lo, uint64_t hi, uint64_t align)
{
	if (!len || hi < len || hi - len < lo)
		return 0;
	uint64_t cand = (hi - len) & ~(align - 1);
	/* Every window overlapping the lowest obstacle fails, so the next
	 * candidate ends at or below it. */
	while (cand >= lo) {
		uint64_t ob = first_obstacle(cand, cand + len);
		if (ob == cand + len)
			return cand;
		if (ob < len)
			return 0;
		cand = (ob - len) & ~(align - 1);
	}
	return 0;
}

void gmap_reset(void)
{
	nmaps = 0;
	nforeign = 0;
}
