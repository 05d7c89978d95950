/* interp.c — the interpreter: a decode-once block cache and its dispatcher.
 *
 * Blocks. A block is a run of decoded instructions starting at a guest
 * address, each paired with its semantics handler (resolved once, at decode
 * time). It ends after an END op (control transfer, trap) other than a
 * conditional branch, which leaves the block only when taken, after
 * BLOCK_MAX instructions, at an undecodable instruction, or at the end of
 * the guest page it starts in; only its first instruction may straddle
 * into the next page. So a block touches at most two pages.
 *
 * Concurrency. Threads run x86_run concurrently, each on its own cpu.
 *   - Lookups are lock-free: a fixed hash table of chains; a block is fully
 *     built before it is published with a release store, and chains are
 *     walked with acquire loads. Each thread also has a small direct-mapped
 *     cache of recent blocks.
 *   - Insertion and invalidation take `lock`. Invalidation unlinks blocks
 *     and retires them; it never frees. Every invalidation bumps `gen`.
 *   - Each thread publishes `active_gen`: the generation it last looked at
 *     (UINT64_MAX while outside x86_run). A thread checks `gen` at every
 *     block boundary; when it moved, it flushes its private cache and
 *     publishes the new value. A block retired at generation r can be
 *     reached by no thread whose active_gen >= r, so it is freed (under
 *     `lock`, when blocks are inserted) once every thread has moved past r.
 *     A thread that runs guest code for a long time without crossing a
 *     generation change only delays freeing.
 *
 * Self-modifying code. The first time code is decoded from a page (since
 * that page was last invalidated), x86_hooks.code_page is called before the
 * bytes are read; the runtime write-protects the page if the guest can
 * write it. A write then faults; the runtime calls x86_invalidate on the
 * page and lets the write proceed. Invalidation is page-granular: every
 * block touching an invalidated page goes, because the runtime leaves the
 * page writable afterwards. When the block the current thread is executing
 * is invalidated (it wrote its own code), the thread stops it after the
 * current instruction and decodes afresh, so even an instruction in the
 * same block that was already decoded is seen modified, as on x86.
 *
 * Faults. x86_run leaves a sigsetjmp in cpu->jmp; x86_raise (semantics)
 * and x86_host_fault (a host SIGSEGV/SIGBUS in guest memory) siglongjmp
 * there. Semantics keep rip at the instruction, so rip names the faulting
 * instruction.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/interp_priv.h"
#include "translator/x86/sem_alu.h"
#include "translator/x86/sem_branch.h"
#include "translator/x86/sem_move.h"
#include "translator/x86/sem_shift.h"
#include "translator/x86/sem_simd_int.h"
#include "translator/x86/sem_sse.h"
#include "translator/x86/sem_system.h"
#include "translator/x86/sem_x87.h"

struct x86_hooks x86_hooks;

/* A handler runs the semantics, then moves rip past the instruction unless
 * the op transfers control itself. */
#define HANDLER(name)                                                                              \
	static void h_##name(struct cpu *cpu, const struct x86_insn *in)                           \
	{                                                                                          \
		sem_##name(cpu, in);                                                               \
		if (!(OPFL_##name & X86_OPF_END))                                                  \
			cpu->rip += in->len;                                                       \
	}
SEM_ALU_OPS(HANDLER)
SEM_SHIFT_OPS(HANDLER)
SEM_MOVE_OPS(HANDLER)
SEM_BRANCH_OPS(HANDLER)
SEM_SYSTEM_OPS(HANDLER)
SEM_SIMD_INT_OPS(HANDLER)
SEM_SSE_OPS(HANDLER)
SEM_X87_OPS(HANDLER)
#undef HANDLER

static void h_ud(struct cpu *cpu, const struct x86_insn *in)
{
	sem_ud(cpu);
}

static void h_gp(struct cpu *cpu, const struct x86_insn *in)
{
	sem_gp(cpu);
}

static const x86_handler handlers[X86_OP_COUNT] = {
#define ENTRY(name) [X86_OP_##name] = h_##name,
	// clang-format off
	SEM_ALU_OPS(ENTRY)
	SEM_SHIFT_OPS(ENTRY)
	SEM_MOVE_OPS(ENTRY)
	SEM_BRANCH_OPS(ENTRY)
	SEM_SYSTEM_OPS(ENTRY)
	SEM_SIMD_INT_OPS(ENTRY)
	SEM_SSE_OPS(ENTRY)
	SEM_X87_OPS(ENTRY)
// clang-format on
#undef ENTRY
};

/* A JCC inside a block: a taken branch ends the block there. */
static void h_JCC_side_exit(struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t next = cpu->rip + in->len;
	sem_JCC(cpu, in);
	if (cpu->rip != next)
		interp_end_block();
}

/* Privileged ops raise #GP as in user mode, ops this build does not execute
 * #UD, like ops nobody has written semantics for yet. */
static x86_handler handler_for(const struct x86_insn *in)
{
	unsigned op = in->op;
	x86_handler fn;
	if (op == X86_OP_INVALID || op >= X86_OP_COUNT)
		return h_ud;
	if (x86_op_flags[op] & X86_OPF_PRIV)
		return h_gp;
	if ((x86_op_flags[op] & X86_OPF_NOEXE) || !handlers[op])
		return h_ud;
	fn = interp_shaped_handler(in);
	return fn ? fn : handlers[op];
}

/* ---- blocks ---- */

#define BLOCK_MAX   64
#define PAGE_SIZE_G 4096ull
#define PAGE_OF(a)  ((a) & ~(PAGE_SIZE_G - 1))

struct bentry {
	x86_handler fn;
	struct x86_insn insn;
};

struct block {
	uint64_t addr, end;	      /* guest bytes [addr, end) */
	_Atomic(struct block *) next; /* hash chain */
	struct block *retired_next;
	uint64_t retired_gen;
	uint32_t n;
	bool ends_in_syscall;
	const struct bentry *last; /* e + n */
	struct bentry e[];
};

/* Pages code was decoded from, with the blocks on them. Only touched under
 * `lock`. */
struct page {
	uint64_t addr;
	struct page *next;
	struct block **blocks;
	uint32_t n, cap;
};

#define HASH_BITS      16
#define PAGE_HASH_BITS 12
static _Atomic(struct block *) buckets[1u << HASH_BITS];
static struct page *pages[1u << PAGE_HASH_BITS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t gen = 1;
static struct block *retired;

static unsigned hash_addr(uint64_t a, unsigned bits)
{
	return (unsigned)((a * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

/* ---- threads ---- */

/* Python's hot loop alone spans a few hundred blocks over megabytes of
 * code: 1024 slots missed one block lookup in eight. */
#define TCACHE_BITS 12
#define TCACHE_SIZE (1u << TCACHE_BITS)

struct x86_thread {
	struct x86_thread *next; /* all threads, under `lock` */
	_Atomic uint64_t active_gen;
	uint64_t seen_gen;
	const struct block *cur;
	/* End of the instructions of `cur` still to run; cut to its start
	 * when `cur` is invalidated under it. */
	const struct bentry *volatile stop;
	/* What this thread interpreted (x86_interp_counts): blocks, and the
	 * instructions they ran to the end or to a taken side exit. */
	uint64_t ran_blocks, ran_insns;
	struct {
		uint64_t addr;
		struct block *b;
	} cache[TCACHE_SIZE];
	struct bentry dec[BLOCK_MAX];
};

static struct x86_thread *threads;
static uint64_t ended_blocks, ended_insns; /* of threads that have ended, under `lock` */
static __thread struct x86_thread *self;
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;

static void thread_exit(void *p)
{
	struct x86_thread *t = p, **pp;
	pthread_mutex_lock(&lock);
	for (pp = &threads; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	ended_blocks += t->ran_blocks;
	ended_insns += t->ran_insns;
	pthread_mutex_unlock(&lock);
	free(t);
}

static void thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_exit);
}

static struct x86_thread *thread_self(void)
{
	struct x86_thread *t = self;
	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		abort();
	atomic_store(&t->active_gen, UINT64_MAX);
	pthread_once(&thread_key_once, thread_key_init);
	pthread_setspecific(thread_key, t);
	pthread_mutex_lock(&lock);
	t->next = threads;
	threads = t;
	pthread_mutex_unlock(&lock);
	self = t;
	return t;
}

/* Publishes the generation this thread works with, flushing its private
 * cache when it changed. The re-check makes sure a reclaimer that read
 * the old active_gen has not missed blocks this thread may still find. */
static void thread_sync_gen(struct x86_thread *t)
{
	uint64_t g = atomic_load(&gen), again;
	for (;;) {
		atomic_store(&t->active_gen, g);
		again = atomic_load(&gen);
		if (again == g)
			break;
		g = again;
	}
	if (g != t->seen_gen) {
		memset(t->cache, 0, sizeof t->cache);
		t->seen_gen = g;
	}
}

/* ---- the page table and reclamation (under `lock`) ---- */

static struct page *page_find(uint64_t addr)
{
	struct page *p;
	for (p = pages[hash_addr(addr, PAGE_HASH_BITS)]; p; p = p->next)
		if (p->addr == addr)
			return p;
	return NULL;
}

static int page_add_block(struct page *p, struct block *b)
{
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? 2 * p->cap : 8;
		struct block **nb = realloc(p->blocks, cap * sizeof *nb);
		if (!nb)
			return -1;
		p->blocks = nb;
		p->cap = cap;
	}
	p->blocks[p->n++] = b;
	return 0;
}

static void page_remove_block(struct page *p, const struct block *b)
{
	for (uint32_t i = 0; i < p->n; i++)
		if (p->blocks[i] == b) {
			p->blocks[i] = p->blocks[--p->n];
			return;
		}
}

static void reclaim(void)
{
	uint64_t min = UINT64_MAX;
	struct block **pp = &retired, *b;
	for (struct x86_thread *t = threads; t; t = t->next) {
		uint64_t g = atomic_load(&t->active_gen);
		if (g < min)
			min = g;
	}
	while ((b = *pp)) {
		if (b->retired_gen <= min) {
			*pp = b->retired_next;
			free(b);
		} else {
			pp = &b->retired_next;
		}
	}
}

/* Unlinks b from the lookup table and from the list of the other page it
 * touches (`from` is the page being dropped), and retires it. */
static void block_retire(struct block *b, uint64_t from, uint64_t retire_gen)
{
	uint64_t other = PAGE_OF(b->addr) != from ? PAGE_OF(b->addr) : PAGE_OF(b->end - 1);
	if (other != from) {
		struct page *p = page_find(other);
		if (p)
			page_remove_block(p, b);
	}
	_Atomic(struct block *) *pp = &buckets[hash_addr(b->addr, HASH_BITS)];
	struct block *c;
	while ((c = atomic_load_explicit(pp, memory_order_relaxed))) {
		if (c == b) {
			atomic_store_explicit(pp,
					      atomic_load_explicit(&b->next, memory_order_relaxed),
					      memory_order_release);
			b->retired_gen = retire_gen;
			b->retired_next = retired;
			retired = b;
			return;
		}
		pp = &c->next;
	}
}

void interp_end_block(void)
{
	self->stop = NULL;
}

/* ---- lookup and translation ---- */

static struct block *hash_find(uint64_t addr)
{
	struct block *b =
		atomic_load_explicit(&buckets[hash_addr(addr, HASH_BITS)], memory_order_acquire);
	for (; b; b = atomic_load_explicit(&b->next, memory_order_acquire))
		if (b->addr == addr)
			return b;
	return NULL;
}

/* Makes sure `page` is known, calling the code_page hook (before any byte
 * of it is decoded) when it is new. */
static void page_register(uint64_t page)
{
	pthread_mutex_lock(&lock);
	if (!page_find(page)) {
		struct page *p = calloc(1, sizeof *p);
		if (!p)
			abort();
		p->addr = page;
		p->next = pages[hash_addr(page, PAGE_HASH_BITS)];
		pages[hash_addr(page, PAGE_HASH_BITS)] = p;
		if (x86_hooks.code_page)
			x86_hooks.code_page(page);
	}
	pthread_mutex_unlock(&lock);
}

/* Decodes the block at cpu->rip into t->dec; returns the number of
 * instructions. A fault reading the first instruction is the guest's
 * instruction fetch fault (X86_PHASE_FETCH). */
static unsigned decode_block(struct x86_thread *t, struct cpu *cpu, uint64_t *end)
{
	uint64_t pc = cpu->rip, page_end = PAGE_OF(pc) + PAGE_SIZE_G;
	unsigned n = 0;

	page_register(PAGE_OF(pc));
	for (;;) {
		struct bentry *e = &t->dec[n];
		uint64_t avail = page_end - pc < 15 ? page_end - pc : 15;
		int len;

		x86_guest.phase = X86_PHASE_FETCH;
		len = x86_decode((const uint8_t *)(uintptr_t)pc, avail, &e->insn);
		x86_guest.phase = X86_PHASE_HOST;
		if (len == X86_DECODE_SHORT) {
			if (n > 0)
				break; /* it gets a block of its own */
			page_register(page_end);
			x86_guest.phase = X86_PHASE_FETCH;
			len = x86_decode((const uint8_t *)(uintptr_t)pc, 15, &e->insn);
			x86_guest.phase = X86_PHASE_HOST;
		}
		n++;
		if (len < 0) {
			e->fn = h_ud;
			pc += e->insn.len ? e->insn.len : 1;
			break;
		}
		e->fn = handler_for(&e->insn);
		pc += (unsigned)len;
		if (n == BLOCK_MAX || pc >= page_end)
			break;
		if (x86_op_flags[e->insn.op] & X86_OPF_END) {
			/* A conditional branch ends a block only when taken. */
			if (e->insn.op != X86_OP_JCC)
				break;
			e->fn = interp_side_exit_handler(&e->insn);
			if (!e->fn)
				e->fn = h_JCC_side_exit;
		}
	}
	*end = pc;
	return n;
}

static struct block *translate(struct x86_thread *t, struct cpu *cpu)
{
	for (;;) {
		uint64_t g0 = atomic_load(&gen), end;
		unsigned n = decode_block(t, cpu, &end);
		struct block *b;
		struct page *p0, *p1;

		pthread_mutex_lock(&lock);
		if (atomic_load(&gen) != g0) {
			/* A page may have been invalidated while we read it. */
			pthread_mutex_unlock(&lock);
			continue;
		}
		b = hash_find(cpu->rip);
		if (b) {
			pthread_mutex_unlock(&lock);
			return b;
		}
		b = malloc(sizeof *b + n * sizeof b->e[0]);
		if (!b)
			abort();
		b->addr = cpu->rip;
		b->end = end;
		b->n = n;
		b->last = b->e + n;
		b->retired_next = NULL;
		b->retired_gen = 0;
		memcpy(b->e, t->dec, n * sizeof b->e[0]);
		b->ends_in_syscall = b->e[n - 1].insn.op == X86_OP_SYSCALL;
		p0 = page_find(PAGE_OF(b->addr));
		p1 = PAGE_OF(end - 1) != p0->addr ? page_find(PAGE_OF(end - 1)) : NULL;
		if (page_add_block(p0, b) || (p1 && page_add_block(p1, b)))
			abort();
		atomic_store_explicit(&b->next,
				      atomic_load_explicit(&buckets[hash_addr(b->addr, HASH_BITS)],
							   memory_order_relaxed),
				      memory_order_relaxed);
		atomic_store_explicit(&buckets[hash_addr(b->addr, HASH_BITS)], b,
				      memory_order_release);
		reclaim();
		pthread_mutex_unlock(&lock);
		return b;
	}
}

/* The thread's cache slot for rip. */
static unsigned tcache_slot(uint64_t rip)
{
	return hash_addr(rip, TCACHE_BITS);
}

/* The block at rip from the shared table, translating it if needed, and
 * remembered in the thread's cache. */
static struct block *lookup_slow(struct x86_thread *t, struct cpu *cpu)
{
	unsigned i = tcache_slot(cpu->rip);
	struct block *b = hash_find(cpu->rip);
	if (!b)
		b = translate(t, cpu);
	t->cache[i].addr = cpu->rip;
	t->cache[i].b = b;
	return b;
}

void x86_invalidate(uint64_t addr, uint64_t len)
{
	uint64_t first, last, g;
	struct x86_thread *me = self;

	if (!len)
		return;
	first = PAGE_OF(addr);
	last = PAGE_OF(addr + len - 1);
	pthread_mutex_lock(&lock);
	g = atomic_fetch_add(&gen, 1) + 1;
	for (uint64_t pg = first;; pg += PAGE_SIZE_G) {
		struct page **pp = &pages[hash_addr(pg, PAGE_HASH_BITS)], *p;
		while ((p = *pp) && p->addr != pg)
			pp = &p->next;
		if (p) {
			*pp = p->next;
			for (uint32_t i = 0; i < p->n; i++) {
				if (me && p->blocks[i] == me->cur)
					me->stop = me->cur->e;
				block_retire(p->blocks[i], pg, g);
			}
			free(p->blocks);
			free(p);
		}
		if (pg == last)
			break;
	}
	pthread_mutex_unlock(&lock);
}

/* ---- fork ---- */

/* The split lock first: a thread holding it can fault on a code page and
 * need `lock` to invalidate. */
void x86_fork_prepare(void)
{
	x86_split_lock();
	pthread_mutex_lock(&lock);
}

void x86_fork_parent(void)
{
	pthread_mutex_unlock(&lock);
	x86_split_unlock();
}

void x86_fork_child(void)
{
	struct x86_thread *t = threads, *next;
	pthread_mutex_init(&lock, NULL);
	x86_split_unlock();
	for (; t; t = next) {
		next = t->next;
		if (t != self)
			free(t);
	}
	threads = self;
	if (self) {
		self->next = NULL;
		self->ran_blocks = self->ran_insns = 0;
	}
	ended_blocks = ended_insns = 0;
}

void x86_interp_counts(uint64_t *blocks, uint64_t *insns)
{
	pthread_mutex_lock(&lock);
	*blocks = ended_blocks;
	*insns = ended_insns;
	for (const struct x86_thread *t = threads; t; t = t->next) {
		*blocks += __atomic_load_n(&t->ran_blocks, __ATOMIC_RELAXED);
		*insns += __atomic_load_n(&t->ran_insns, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&lock);
}

void x86_thread_save(struct x86_thread_saved *s)
{
	struct x86_thread *t = thread_self();
	s->cpu = x86_guest.cpu;
	s->phase = x86_guest.phase;
	s->active_gen = atomic_load(&t->active_gen);
}

void x86_thread_restore(const struct x86_thread_saved *s)
{
	x86_guest.cpu = s->cpu;
	x86_guest.phase = s->phase;
	self->cur = NULL;
	atomic_store(&self->active_gen, s->active_gen);
}

/* ---- the dispatcher ---- */

/* Runs blocks until a syscall or an interrupt request; faults leave by
 * siglongjmp to x86_run. The phase stays EXEC from block to block: the
 * checks and the thread's own cache between blocks cannot fault; the
 * translator work that might (the shared table, decoding, allocation) runs
 * as HOST. */
static int run_blocks(struct x86_thread *t, struct cpu *cpu)
{
	int rc;

	x86_guest.phase = X86_PHASE_EXEC;
	for (;;) {
		const struct block *b;
		const struct bentry *e;
		unsigned i;

		if (x86_interrupt(cpu)) {
			rc = X86_EXIT_INTERRUPT;
			break;
		}
		if (x86_hooks.run_translated && (rc = x86_hooks.run_translated(cpu)))
			break;
		if (atomic_load_explicit(&gen, memory_order_relaxed) != t->seen_gen)
			thread_sync_gen(t);
		i = tcache_slot(cpu->rip);
		b = t->cache[i].b;
		if (t->cache[i].addr != cpu->rip || !b) {
			x86_guest.phase = X86_PHASE_HOST;
			b = lookup_slow(t, cpu);
			x86_guest.phase = X86_PHASE_EXEC;
		}
		e = b->e;
		t->cur = b;
		t->stop = b->last;
		do
			e->fn(cpu, &e->insn);
		while (++e < t->stop);
		/* Others read the counts (x86_interp_counts): atomic, and only
		 * this thread writes them. */
		__atomic_store_n(&t->ran_blocks, t->ran_blocks + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&t->ran_insns, t->ran_insns + (uint64_t)(e - b->e),
				 __ATOMIC_RELAXED);
		if (b->ends_in_syscall && e == b->last) {
			rc = X86_EXIT_SYSCALL;
			break;
		}
	}
	x86_guest.phase = X86_PHASE_HOST;
	return rc;
}

int x86_run(struct cpu *cpu)
{
	struct x86_guest_tls saved = {x86_guest.cpu, x86_guest.phase};
	void *saved_jmp = cpu->jmp;
	sigjmp_buf jb;
	int rc;

	thread_sync_gen(thread_self());
	cpu->jmp = &jb;
	x86_guest.cpu = cpu;
	x86_guest.phase = X86_PHASE_HOST;
	if (sigsetjmp(jb, 0))
		rc = X86_EXIT_FAULT;
	else
		rc = run_blocks(self, cpu);
	x86_guest.phase = saved.phase;
	x86_guest.cpu = saved.cpu;
	cpu->jmp = saved_jmp;
	self->cur = NULL;
	if (!saved.cpu)
		atomic_store(&self->active_gen, UINT64_MAX);
	return rc;
}
