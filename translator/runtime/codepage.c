/* codepage.c — which guest pages hold decoded code, and self-modifying
 * code. The interpreter reports every page it starts decoding from
 * (x86_hooks.code_page, again after each invalidation); pages the guest
 * may write are then write-protected on the host, and the first write
 * faults, drops the page's decoded blocks and makes the page writable
 * again. Knowing the code pages also keeps invalidation cheap: unmapping
 * a terabyte of reserved address space visits only pages with code.
 *
 * A page of a MAP_SHARED file mapping may have other views in the process
 * (JITs and libffi closures write code through one and run it through
 * another): the writable views of a code page are protected too, and a
 * write to any view drops the blocks of every view.
 *
 * Two bits per guest page in a two-level table: 2^20 leaf pointers, each
 * leaf covering 2^15 pages (128 MiB). The SIGSEGV handler only reads
 * leaves; they are published with release stores. */
#include <stdatomic.h>
#include <sys/mman.h>

#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define LEAF_BITS   15
#define LEAF_PAGES  (1ull << LEAF_BITS)
#define TOP_ENTRIES (1ull << (47 - 12 - LEAF_BITS))

struct leaf {
	_Atomic(uint64_t) code[LEAF_PAGES / 64]; /* decoded code was read from the page */
	_Atomic(uint64_t) wp[LEAF_PAGES / 64];	 /* we write-protected it */
};
static _Atomic(struct leaf *) *top;
static atomic_long nprotected;

static struct leaf *leaf_of(uint64_t page_nr, bool create)
{
	if (page_nr >> LEAF_BITS >= TOP_ENTRIES)
		return NULL;
	if (!top) {
		if (!create)
			return NULL;
		void *t = mmap(NULL, TOP_ENTRIES * sizeof *top, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (t == MAP_FAILED)
			return NULL;
		top = t;
	}
	_Atomic(struct leaf *) *slot = &top[page_nr >> LEAF_BITS];
	struct leaf *l = atomic_load_explicit(slot, memory_order_acquire);
	if (!l && create) {
		void *p = mmap(NULL, sizeof(struct leaf), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		struct leaf *expect = NULL;
		if (atomic_compare_exchange_strong_explicit(slot, &expect, p, memory_order_acq_rel,
							    memory_order_acquire)) {
			l = p;
		} else {
			munmap(p, sizeof(struct leaf));
			l = expect;
		}
	}
	return l;
}

static _Atomic(uint64_t) *word(_Atomic(uint64_t) *bits, uint64_t nr)
{
	return &bits[(nr % LEAF_PAGES) / 64];
}

/* Clears one page's bit in the array; true if it was set. */
static bool take(_Atomic(uint64_t) *bits, uint64_t nr)
{
	uint64_t bit = 1ull << (nr % 64);
	return atomic_fetch_and(word(bits, nr), ~bit) & bit;
}

static void unprotect(uint64_t nr)
{
	atomic_fetch_sub(&nprotected, 1);
	mprotect((void *)(uintptr_t)(nr * GUEST_PAGE), GUEST_PAGE, PROT_READ | PROT_WRITE);
}

#define MAX_VIEWS 8

/* The other guest pages mapping the file page that `page` maps, when it
 * is a shared file mapping (at most MAX_VIEWS). Call with mem_lock held. */
static size_t other_views(uint64_t page, uint64_t views[MAX_VIEWS])
{
	const struct gmap *m = gmap_find(page);
	size_t n = 0;
	if (!m || !(m->flags & GMAP_SHARED) || !m->ino)
		return 0;
	uint64_t off = m->offset + (page - m->start);
	for (size_t i = 0; i < gmap_count() && n < MAX_VIEWS; i++) {
		const struct gmap *v = gmap_at(i);
		if (v == m || !(v->flags & GMAP_SHARED) || v->dev != m->dev || v->ino != m->ino ||
		    off < v->offset || off - v->offset >= v->end - v->start)
			continue;
		views[n++] = v->start + (off - v->offset);
	}
	return n;
}

/* Write-protects a page the guest may write, once. Call with mem_lock held. */
static void protect(uint64_t page)
{
	uint64_t nr = page / GUEST_PAGE, bit = 1ull << (nr % 64);
	const struct gmap *m = gmap_find(page);
	struct leaf *l;
	if (!m || !(m->prot & PROT_WRITE) || !(l = leaf_of(nr, true)) ||
	    atomic_fetch_or(word(l->wp, nr), bit) & bit)
		return;
	atomic_fetch_add(&nprotected, 1);
	mprotect((void *)(uintptr_t)page, GUEST_PAGE, host_prot(m->prot) & ~PROT_WRITE);
}

void codepage_hook(uint64_t page)
{
	uint64_t nr = page / GUEST_PAGE, views[MAX_VIEWS];
	struct leaf *l = leaf_of(nr, true);
	if (!l)
		return;
	atomic_fetch_or(word(l->code, nr), 1ull << (nr % 64));
	mem_lock();
	protect(page);
	for (size_t i = 0, n = other_views(page, views); i < n; i++)
		protect(views[i]);
	mem_unlock();
}

/* A page was written: drops the decoded blocks of its other views. The
 * views are collected first: x86_invalidate may not run under mem_lock. */
static void drop_views(uint64_t nr)
{
	uint64_t views[MAX_VIEWS];
	mem_lock();
	size_t n = other_views(nr * GUEST_PAGE, views);
	mem_unlock();
	for (size_t i = 0; i < n; i++) {
		uint64_t vnr = views[i] / GUEST_PAGE;
		struct leaf *l = leaf_of(vnr, false);
		if (!l || !take(l->code, vnr))
			continue;
		if (take(l->wp, vnr))
			unprotect(vnr);
		x86_invalidate(views[i], GUEST_PAGE);
	}
}

bool codepage_write_fault(uint64_t addr)
{
	uint64_t nr = addr / GUEST_PAGE;
	struct leaf *l = leaf_of(nr, false);
	if (!l || !take(l->wp, nr))
		return false;
	unprotect(nr);
	take(l->code, nr);
	x86_invalidate(nr * GUEST_PAGE, GUEST_PAGE);
	drop_views(nr);
	return true;
}

/* For each page of [start, end) with decoded code: drops its blocks (in
 * runs of pages) and, if we protected it, makes it writable again. */
static void forget(uint64_t start, uint64_t end)
{
	if (!top)
		return;
	uint64_t run = 0, run_len = 0;
	for (uint64_t nr = start / GUEST_PAGE; nr < PAGE_UP(end) / GUEST_PAGE;) {
		struct leaf *l = leaf_of(nr, false);
		if (!l || !atomic_load_explicit(word(l->code, nr), memory_order_relaxed)) {
			nr = l ? (nr | 63) + 1 : (nr | (LEAF_PAGES - 1)) + 1;
			continue;
		}
		if (take(l->code, nr)) {
			if (take(l->wp, nr))
				unprotect(nr);
			if (run_len && run + run_len != nr) {
				x86_invalidate(run * GUEST_PAGE, run_len * GUEST_PAGE);
				run_len = 0;
			}
			if (!run_len)
				run = nr;
			run_len++;
		}
		nr++;
	}
	if (run_len)
		x86_invalidate(run * GUEST_PAGE, run_len * GUEST_PAGE);
}

void codepage_forget(uint64_t start, uint64_t end)
{
	if (start < end)
		forget(start, end);
	if (start < end && image_forget)
		image_forget(start, end);
}

bool codepage_any(void)
{
	return atomic_load(&nprotected) != 0;
}

void codepage_release_all(void)
{
	for (uint64_t i = 0; top && i < TOP_ENTRIES && codepage_any(); i++) {
		struct leaf *l = atomic_load_explicit(&top[i], memory_order_acquire);
		for (uint64_t w = 0; l && w < LEAF_PAGES / 64; w++) {
			for (uint64_t bits = atomic_load(&l->wp[w]); bits; bits &= bits - 1) {
				uint64_t nr = i * LEAF_PAGES + w * 64 + __builtin_ctzll(bits);
				if (!take(l->wp, nr))
					continue;
				unprotect(nr);
				take(l->code, nr);
				x86_invalidate(nr * GUEST_PAGE, GUEST_PAGE);
				drop_views(nr);
			}
		}
	}
}
