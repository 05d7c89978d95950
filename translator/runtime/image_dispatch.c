/* image_dispatch.c — running translated code.
 *
 * The interpreter calls image_run (x86_hooks.run_translated) at every
 * block boundary. A per-thread direct-mapped cache maps guest addresses to
 * region entries (or to "not translated"); a miss asks the module table.
 * From a translated entry, regions run one after the other (they also call
 * and jump to each other directly, see xlimage.h) until one stops at code
 * without a translation, at a SYSCALL, or for a pending signal.
 *
 * Faults. While translated code runs, cpu->jmp is ours: a fault raised by
 * semantics, or a host fault the interpreter's handler claims for the
 * guest, unwinds here. *cpu then holds the exact state of an earlier
 * instruction boundary with no guest store after it (xlimage.h), so the
 * interpreter runs the next REPLAY_BLOCKS blocks from there: it meets the
 * fault again and raises it with exact state — or, when another thread
 * changed memory meanwhile, simply goes on.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define CACHE_BITS    12
#define REPLAY_BLOCKS 64

struct cache_entry {
	uint64_t rip;
	xl_region_fn fn; /* NULL: the interpreter runs rip */
	uint32_t index;
	bool valid;
};

struct tstate {
	struct tstate *next;
	uint64_t gen;
	unsigned replay;
	struct cache_entry cache[1u << CACHE_BITS];
};

static _Atomic uint64_t gen = 1;
static _Atomic uint64_t replays; /* faults in translated code, replayed */
static struct tstate *threads;
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct tstate *self;

static struct tstate *tstate(void)
{
	struct tstate *t = self;
	if (t)
		return t;
	/* On a list that keeps it reachable when the thread ends (threads are
	 * few; a leak checker would report it otherwise). */
	t = calloc(1, sizeof *t);
	if (!t)
		abort();
	pthread_mutex_lock(&threads_lock);
	t->next = threads;
	threads = t;
	pthread_mutex_unlock(&threads_lock);
	self = t;
	return t;
}

void image_lookup_flush(void)
{
	atomic_fetch_add_explicit(&gen, 1, memory_order_release);
}

static struct cache_entry *lookup(struct tstate *t, uint64_t rip)
{
	uint64_t g = atomic_load_explicit(&gen, memory_order_acquire);
	struct cache_entry *e;
	struct xl_target x;

	if (g != t->gen) {
		memset(t->cache, 0, sizeof t->cache);
		t->gen = g;
	}
	e = &t->cache[(rip ^ (rip >> CACHE_BITS)) & ((1u << CACHE_BITS) - 1)];
	if (e->valid && e->rip == rip)
		return e;
	x = image_opts.enabled ? image_module_lookup(rip) : (struct xl_target){0};
	e->rip = rip;
	e->fn = x.fn;
	e->index = (uint32_t)x.index;
	e->valid = true;
	return e;
}

struct xl_target xl_lookup(uint64_t rip)
{
	struct cache_entry *e = lookup(tstate(), rip);
	return (struct xl_target){e->fn, e->index};
}

/* Runs regions from entry e until one stops at code without a
 * translation (0), at a SYSCALL or for a signal. */
static int run_regions(struct tstate *t, struct cpu *cpu, struct cache_entry *e)
{
	for (;;) {
		struct xl_exit x = e->fn(cpu, e->index, 0);
		if (x.why == XL_SYSCALL)
			return X86_EXIT_SYSCALL;
		if (x.why == XL_INTERRUPT || x86_interrupt(cpu))
			return X86_EXIT_INTERRUPT;
		e = lookup(t, x.rip);
		if (!e->fn)
			return 0; /* the interpreter runs the block at cpu->rip next */
	}
}

/* run_regions with cpu->jmp ours: a fault unwinds to a replay. */
static int run_guarded(struct cpu *cpu, struct cache_entry *e)
{
	void *saved = cpu->jmp;
	sigjmp_buf jb;
	int rc;

	cpu->jmp = &jb;
	if (sigsetjmp(jb, 0)) {
		/* A fault in translated code: *cpu is at an earlier boundary. */
		cpu->jmp = saved;
		atomic_fetch_add_explicit(&replays, 1, memory_order_relaxed);
		self->replay = REPLAY_BLOCKS;
		return 0;
	}
	rc = run_regions(self, cpu, e);
	cpu->jmp = saved;
	return rc;
}

int image_run(struct cpu *cpu)
{
	struct tstate *t = tstate();
	struct cache_entry *e;

	if (t->replay) {
		t->replay--;
		return 0;
	}
	e = lookup(t, cpu->rip);
	if (!e->fn)
		return 0;
	return run_guarded(cpu, e);
}

uint64_t image_replays(void)
{
	return atomic_load_explicit(&replays, memory_order_relaxed);
}

void image_replays_fork_child(void)
{
	atomic_store_explicit(&replays, 0, memory_order_relaxed);
}
