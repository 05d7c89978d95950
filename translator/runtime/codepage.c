/* codepage.c — self-modifying code: pages holding decoded code that the
 * guest may write are write-protected on the host; the first write
 * faults, drops the page's decoded blocks and makes the page writable
 * again (until code is decoded from it once more).
 *
 * One bit per guest page in a two-level table: 2^20 leaf pointers (each
 * leaf 4 KiB of bits = 2^15 pages = 128 MiB of guest memory). The SIGSEGV
 * handler only reads it; leaves are published with release stores. */
#include <stdatomic.h>
#include <sys/mman.h>

#include "translator/runtime/runtime.h"

#define LEAF_BITS 15
#define LEAF_PAGES (1ull << LEAF_BITS)
#define TOP_ENTRIES (1ull << (47 - 12 - LEAF_BITS))

typedef _Atomic(uint64_t) leaf_t[LEAF_PAGES / 64];
static _Atomic(leaf_t *) *top;
static atomic_long nprotected;

static leaf_t *leaf_of(uint64_t page_nr, bool create)
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
	_Atomic(leaf_t *) *slot = &top[page_nr >> LEAF_BITS];
	leaf_t *l = atomic_load_explicit(slot, memory_order_acquire);
	if (!l && create) {
		void *p = mmap(NULL, sizeof(leaf_t), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		leaf_t *expect = NULL;
		if (atomic_compare_exchange_strong_explicit(slot, &expect, p, memory_order_acq_rel,
							    memory_order_acquire))
			l = p;
		else {
			munmap(p, sizeof(leaf_t));
			l = expect;
		}
	}
	return l;
}

/* Clears the page's bit; true if it was set. */
static bool take(uint64_t page_nr)
{
	leaf_t *l = leaf_of(page_nr, false);
	if (!l)
		return false;
	uint64_t bit = 1ull << (page_nr % 64);
	uint64_t old = atomic_fetch_and(&(*l)[(page_nr % LEAF_PAGES) / 64], ~bit);
	if (!(old & bit))
		return false;
	atomic_fetch_sub(&nprotected, 1);
	return true;
}

void codepage_hook(uint64_t page)
{
	const struct gmap *m = gmap_find(page);
	if (!m || !(m->prot & PROT_WRITE) || (m->flags & GMAP_SHARED))
		return;
	uint64_t nr = page / GUEST_PAGE;
	leaf_t *l = leaf_of(nr, true);
	if (!l)
		return;
	uint64_t bit = 1ull << (nr % 64);
	uint64_t old = atomic_fetch_or(&(*l)[(nr % LEAF_PAGES) / 64], bit);
	if (old & bit)
		return;
	atomic_fetch_add(&nprotected, 1);
	mprotect((void *)(uintptr_t)page, GUEST_PAGE, host_prot(m->prot) & ~PROT_WRITE);
}

bool codepage_write_fault(uint64_t addr)
{
	uint64_t page = PAGE_DOWN(addr);
	if (!take(page / GUEST_PAGE))
		return false;
	mprotect((void *)(uintptr_t)page, GUEST_PAGE, PROT_READ | PROT_WRITE);
	x86_invalidate(page, GUEST_PAGE);
	return true;
}

/* Makes the protected pages of [start, end) writable again. */
static void release(uint64_t start, uint64_t end, bool invalidate_each)
{
	if (!atomic_load(&nprotected) || !top)
		return;
	for (uint64_t nr = start / GUEST_PAGE; nr < PAGE_UP(end) / GUEST_PAGE;) {
		if (!leaf_of(nr, false)) {
			nr = (nr | (LEAF_PAGES - 1)) + 1;
			continue;
		}
		if (take(nr)) {
			mprotect((void *)(uintptr_t)(nr * GUEST_PAGE), GUEST_PAGE,
				 PROT_READ | PROT_WRITE);
			if (invalidate_each)
				x86_invalidate(nr * GUEST_PAGE, GUEST_PAGE);
		}
		nr++;
	}
}

void codepage_forget(uint64_t start, uint64_t end)
{
	if (start >= end)
		return;
	x86_invalidate(start, end - start);
	release(start, end, false);
}

bool codepage_any(void)
{
	return atomic_load(&nprotected) != 0;
}

void codepage_release_all(void)
{
	release(0, rt_layout.guest_top, true);
}
