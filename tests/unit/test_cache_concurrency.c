/* SPDX-License-Identifier: MIT */
/*
 * Concurrency: several processes, each with several threads, publish, read,
 * remove and evict overlapping keys on one store. No operation may fail,
 * no read may see a wrong or torn payload, no counter update may be lost,
 * and after a final cleaner pass the store fits its budget.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/test_cache_util.h"

#define PROCS	 4
#define THREADS	 4
#define OPS	 400
#define KEYS	 24
#define MAX_SIZE (48 * 1024)
#define BUDGET	 (1024 * 1024)

static const char *const targets[] = {"aarch64-v1", "x86_64-v1"};

/* What the workers did, added up across processes in shared memory. */
struct tally {
	uint64_t hits, misses, image_publishes, source_publishes, evictions_run, failures;
};

static struct tally *tally;
static struct xlc_store *store;

static void source_payload(uint8_t *buf, size_t len, uint64_t k)
{
	tc_pattern(buf, len, 0x50c0 + k);
}

static void note_failure(void)
{
	__atomic_fetch_add(&tally->failures, 1, __ATOMIC_RELAXED);
}

static void add(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void do_lookup(uint64_t k, const char *target, uint8_t *buf)
{
	struct xlc_key key = tc_key(k);
	struct xlc_entry e;
	int r = xlc_lookup(store, target, &key, &e);

	if (r == -ENOENT) {
		add(&tally->misses);
		return;
	}
	if (r < 0 || e.size > MAX_SIZE ||
	    pread(e.fd, buf, e.size, (off_t)e.offset) != (ssize_t)e.size ||
	    !tc_payload_ok(buf, e.size, MAX_SIZE, k))
		note_failure();
	if (r == 0) {
		add(&tally->hits);
		xlc_entry_close(&e);
	}
}

static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	uint8_t *buf = malloc(MAX_SIZE);

	for (int i = 0; i < OPS; i++) {
		int op = rand_r(&seed) % 100;
		uint64_t k = (uint64_t)rand_r(&seed) % KEYS;
		const char *target = targets[rand_r(&seed) % 2];
		struct xlc_key key = tc_key(k);
		int r;

		if (op < 45) {
			do_lookup(k, target, buf);
		} else if (op < 80) {
			size_t len = tc_payload(buf, MAX_SIZE, k, (uint64_t)seed);

			r = xlc_publish(store, target, &key, buf, len);
			if (r < 0)
				note_failure();
			else
				add(&tally->image_publishes);
		} else if (op < 88) {
			size_t len = 500 + k * 100;

			source_payload(buf, len, k);
			xlc_key_from_bytes(buf, len, &key);
			if (xlc_publish(store, XLC_SOURCES, &key, buf, len) < 0)
				note_failure();
			else
				add(&tally->source_publishes);
		} else if (op < 95) {
			r = xlc_remove(store, target, &key);
			if (r < 0 && r != -ENOENT)
				note_failure();
		} else {
			r = xlc_evict(store, BUDGET, XLC_EVICT_NOWAIT, NULL);
			if (r < 0 && r != -EAGAIN)
				note_failure();
			if (r == 0)
				add(&tally->evictions_run);
		}
	}
	free(buf);
	return NULL;
}

static void process(const char *dir, int p)
{
	pthread_t th[THREADS];

	if (xlc_open(dir, 0, &store) < 0)
		_exit(1);
	xlc_set_touch_interval(store, 0);
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(uintptr_t)(p * 100 + t + 1)))
			_exit(1);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	xlc_close(store);
	_exit(0);
}

static int sum_bytes(const struct xlc_info *info, void *arg)
{
	*(uint64_t *)arg += info->bytes;
	return 0;
}

static void test_many_processes_and_threads(void **state)
{
	char *dir = tc_tempdir();
	struct xlc_verify_result vres;
	struct xlc_evict_result eres;
	struct xlc_store *st;
	struct xlc_stats s;
	uint64_t bytes = 0;
	pid_t pids[PROCS];
	int status;

	tally = mmap(NULL, sizeof(*tally), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		     0);
	assert_true(tally != MAP_FAILED);
	memset(tally, 0, sizeof(*tally));
	assert_int_equal(xlc_open(dir, 0, &st), 0);
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0)
			process(dir, p);
	}
	for (int p = 0; p < PROCS; p++) {
		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	print_message("hits %llu misses %llu image publishes %llu source publishes %llu "
		      "cleaner passes %llu\n",
		      (unsigned long long)tally->hits, (unsigned long long)tally->misses,
		      (unsigned long long)tally->image_publishes,
		      (unsigned long long)tally->source_publishes,
		      (unsigned long long)tally->evictions_run);
	assert_int_equal(tally->failures, 0);
	/* The workload did exercise every path. */
	assert_true(tally->hits > 0 && tally->misses > 0 && tally->evictions_run > 0);

	/* Counters from 16 threads in 4 processes: not one update lost. */
	assert_int_equal(xlc_stats(st, &s), 0);
	assert_int_equal(s.hits, tally->hits);
	assert_int_equal(s.misses, tally->misses);
	assert_true(s.publishes >= tally->image_publishes);
	assert_true(s.publishes <= tally->image_publishes + tally->source_publishes);
	assert_int_equal(s.corrupt, 0);
	assert_true(s.evictions > 0);

	assert_int_equal(xlc_evict(st, BUDGET, 0, &eres), 0);
	assert_true(eres.bytes_after <= BUDGET);
	assert_int_equal(xlc_verify(st, NULL, NULL, &vres), 0);
	assert_int_equal(vres.bad, 0);
	assert_int_equal(xlc_foreach(st, sum_bytes, &bytes), 0);
	assert_true(bytes <= BUDGET);
	assert_int_equal(bytes, vres.bytes);
	assert_int_equal(tc_count_temps(dir), 0);
	xlc_close(st);
	munmap(tally, sizeof(*tally));
	tc_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_processes_and_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
