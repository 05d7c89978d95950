/* atomics.c — threads hammering the x86 atomic instructions a compiler
 * emits (LOCK ADD/XADD/CMPXCHG/OR/AND/BTS, XCHG, CMPXCHG8B/16B) and the
 * plain-store release / plain-load acquire of x86's TSO model, with
 * totals that are only right when every operation was atomic and
 * ordered. Prints the totals; exits 1 on the first violated invariant.
 *
 *   atomics [THREADS [ITERATIONS [MESSAGES]]]
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int nthreads = 4;
static long iters = 100000;

static uint64_t c_add;		  /* LOCK ADD */
static uint64_t c_xadd;		  /* LOCK XADD by 2 */
static uint64_t xadd_seen;	  /* sum of the old values XADD returned */
static uint32_t c_cas;		  /* LOCK CMPXCHG loop */
static uint16_t c_add16;	  /* LOCK ADD on a 16-bit word */
static uint8_t c_inc8;		  /* LOCK INC on a byte */
static uint64_t c_8b;		  /* LOCK CMPXCHG8B loop */
static unsigned __int128 c_16b __attribute__((aligned(16))); /* CMPXCHG16B: hi == 3 * lo */
static uint64_t bits;		  /* LOCK BTS/BTR: one bit per thread */
static int spin;		  /* XCHG lock, released by a plain store */
static uint64_t guarded;	  /* plain increments under `spin` */

/* Message passing: only x86's ordering of plain stores and loads makes
 * the consumer see the data it was told about. */
static uint64_t msgs = 20000;
static uint64_t mailbox[64];
static uint64_t posted, taken;

static void fail(const char *what, uint64_t got, uint64_t want)
{
	printf("FAIL %s: %" PRIu64 ", expected %" PRIu64 "\n", what, got, want);
	exit(1);
}

static int cmpxchg8b(uint64_t *p, uint64_t *expect, uint64_t want)
{
	uint32_t lo = (uint32_t)*expect, hi = (uint32_t)(*expect >> 32);
	unsigned char ok;
	__asm__ volatile("lock cmpxchg8b %1; sete %0"
			 : "=q"(ok), "+m"(*p), "+a"(lo), "+d"(hi)
			 : "b"((uint32_t)want), "c"((uint32_t)(want >> 32))
			 : "memory", "cc");
	*expect = (uint64_t)hi << 32 | lo;
	return ok;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	uint64_t mine = 1ull << id, seen = 0;
	for (long i = 0; i < iters; i++) {
		__atomic_fetch_add(&c_add, 1, __ATOMIC_SEQ_CST);
		seen += __atomic_fetch_add(&c_xadd, 2, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&c_add16, 1, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&c_inc8, 1, __ATOMIC_SEQ_CST);

		uint32_t v = __atomic_load_n(&c_cas, __ATOMIC_RELAXED);
		while (!__atomic_compare_exchange_n(&c_cas, &v, v + 3, 0, __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED))
			;

		uint64_t e = c_8b;
		while (!cmpxchg8b(&c_8b, &e, e + 0x100000001ull))
			;

		unsigned __int128 o = c_16b, n;
		do {
			o = c_16b;
			n = (unsigned __int128)((uint64_t)(o >> 64) + 3) << 64 | ((uint64_t)o + 1);
		} while (!__sync_bool_compare_and_swap(&c_16b, o, n));
		if ((uint64_t)(o >> 64) != 3 * (uint64_t)o)
			fail("cmpxchg16b pair torn", (uint64_t)(o >> 64), 3 * (uint64_t)o);

		if (__atomic_fetch_or(&bits, mine, __ATOMIC_SEQ_CST) & mine)
			fail("bts: own bit already set", id, 0);
		if (!(__atomic_fetch_and(&bits, ~mine, __ATOMIC_SEQ_CST) & mine))
			fail("btr: own bit lost", id, 0);

		while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
			while (__atomic_load_n(&spin, __ATOMIC_RELAXED))
				;
		guarded++;
		__atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
	}
	__atomic_fetch_add(&xadd_seen, seen, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *producer(void *arg)
{
	(void)arg;
	for (uint64_t i = 1; i <= msgs; i++) {
		while (__atomic_load_n(&taken, __ATOMIC_ACQUIRE) != i - 1)
			;
		for (int k = 0; k < 64; k++)
			mailbox[k] = i * 64 + k;
		__atomic_store_n(&posted, i, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	uint64_t sum = 0;
	for (uint64_t i = 1; i <= msgs; i++) {
		while (__atomic_load_n(&posted, __ATOMIC_ACQUIRE) != i)
			;
		for (int k = 0; k < 64; k++) {
			if (mailbox[k] != i * 64 + k)
				fail("message passing: stale mailbox", mailbox[k], i * 64 + k);
			sum += mailbox[k];
		}
		__atomic_store_n(&taken, i, __ATOMIC_RELEASE);
	}
	*(uint64_t *)arg = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		nthreads = atoi(argv[1]);
	if (argc > 2)
		iters = atol(argv[2]);
	if (argc > 3)
		msgs = strtoull(argv[3], NULL, 10);
	if (nthreads < 1 || nthreads > 64 || iters < 1)
		return 2;
	pthread_t t[64];
	for (long i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 3;
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);

	uint64_t n = (uint64_t)nthreads * iters;
	if (c_add != n)
		fail("lock add", c_add, n);
	if (c_xadd != 2 * n)
		fail("lock xadd", c_xadd, 2 * n);
	if (xadd_seen != n * (n - 1))
		fail("xadd old values", xadd_seen, n * (n - 1));
	if (c_add16 != (uint16_t)n)
		fail("lock add (16-bit)", c_add16, (uint16_t)n);
	if (c_inc8 != (uint8_t)n)
		fail("lock inc (8-bit)", c_inc8, (uint8_t)n);
	if (c_cas != (uint32_t)(3 * n))
		fail("lock cmpxchg", c_cas, (uint32_t)(3 * n));
	if (c_8b != n * 0x100000001ull)
		fail("lock cmpxchg8b", c_8b, n * 0x100000001ull);
	if ((uint64_t)c_16b != n || (uint64_t)(c_16b >> 64) != 3 * n)
		fail("lock cmpxchg16b", (uint64_t)c_16b, n);
	if (bits)
		fail("bts/btr leftover bits", bits, 0);
	if (guarded != n)
		fail("xchg spinlock", guarded, n);
	printf("%d threads x %ld: add %" PRIu64 " xadd %" PRIu64 " cas %u cmpxchg8b %#" PRIx64
	       " cmpxchg16b %" PRIu64 "/%" PRIu64 " spinlock %" PRIu64 "\n",
	       nthreads, iters, c_add, c_xadd, c_cas, c_8b, (uint64_t)c_16b,
	       (uint64_t)(c_16b >> 64), guarded);

	/* One mailbox: the producer fills it when `taken` says the last
	 * message was read, the consumer reads it when `posted` says so. */
	pthread_t p, c;
	uint64_t sum = 0;
	pthread_create(&p, NULL, producer, NULL);
	pthread_create(&c, NULL, consumer, &sum);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	uint64_t want = 0;
	for (uint64_t i = 1; i <= msgs; i++)
		want += i * 64 * 64 + 63 * 64 / 2;
	if (sum != want)
		fail("message passing sum", sum, want);
	printf("message passing: %" PRIu64 " messages, sum %" PRIu64 "\n", msgs, sum);
	return 0;
}
