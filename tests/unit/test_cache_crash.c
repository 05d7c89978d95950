/* SPDX-License-Identifier: MIT */
/*
 * Crash safety: hundreds of publishers SIGKILLed at random points (while
 * writing, fsyncing, renaming). Afterwards every visible entry verifies and
 * holds what some publisher meant to write, and one cleaner pass leaves no
 * temp file behind.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/test_cache_util.h"

#define PUBLISHERS 240
#define AT_ONCE	   8
#define KEYS	   32
#define MAX_SIZE   (256 * 1024)

static const char *const targets[] = {"aarch64-v1", "x86_64-v1"};

static void source_payload(uint8_t *buf, size_t len, uint64_t k)
{
	tc_pattern(buf, len, 0xc0de0000 + k);
}

/* A publisher: publishes forever until killed; exits 1 on any failure. */
static void publisher(const char *dir, unsigned seed)
{
	uint8_t *buf = malloc(MAX_SIZE);
	struct xlc_store *st;

	if (xlc_open(dir, 0, &st) < 0)
		_exit(1);
	srand(seed);
	for (uint64_t v = (uint64_t)seed << 20;; v++) {
		uint64_t k = (uint64_t)rand() % KEYS;
		struct xlc_key key = tc_key(k);
		int r;

		if (rand() % 4 == 0) {
			size_t len = 1000 + k * 3000;

			source_payload(buf, len, k);
			xlc_key_from_bytes(buf, len, &key);
			r = xlc_publish(st, XLC_SOURCES, &key, buf, len);
		} else {
			size_t len = tc_payload(buf, MAX_SIZE, k, v);

			r = xlc_publish(st, targets[rand() % 2], &key, buf, len);
		}
		if (r < 0)
			_exit(1);
	}
}

static void sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct visit {
	struct xlc_store *st;
	int images, sources;
};

static int check_entry(const struct xlc_info *info, void *arg)
{
	struct visit *vis = arg;
	struct xlc_entry e;
	uint8_t *buf;
	uint64_t k;

	assert_int_equal(xlc_lookup(vis->st, info->target, &info->key, &e), 0);
	buf = malloc(e.size + 1);
	assert_int_equal(pread(e.fd, buf, e.size, (off_t)e.offset), (ssize_t)e.size);
	if (info->kind == XLC_KIND_IMAGE) {
		for (k = 0; k < KEYS; k++) {
			struct xlc_key key = tc_key(k);

			if (xlc_key_equal(&key, &info->key))
				break;
		}
		assert_true(k < KEYS);
		assert_true(tc_payload_ok(buf, e.size, MAX_SIZE, k));
		vis->images++;
	} else {
		uint8_t *want = malloc(e.size + 1);

		k = (e.size - 1000) / 3000;
		source_payload(want, e.size, k);
		assert_memory_equal(buf, want, e.size);
		free(want);
		vis->sources++;
	}
	free(buf);
	xlc_entry_close(&e);
	return 0;
}

static void test_killed_publishers(void **state)
{
	char *dir = tc_tempdir();
	struct xlc_verify_result vres;
	struct xlc_evict_result eres;
	struct visit vis = {0};
	struct xlc_stats s;
	int temps, status;

	/* Create the store first so the first publishers do not race on its layout. */
	assert_int_equal(xlc_open(dir, 0, &vis.st), 0);
	srand(12345);
	for (int done = 0; done < PUBLISHERS; done += AT_ONCE) {
		pid_t pids[AT_ONCE];

		for (int i = 0; i < AT_ONCE; i++) {
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0)
				publisher(dir, (unsigned)(done + i + 1));
		}
		for (int i = 0; i < AT_ONCE; i++) {
			sleep_us(rand() % 6000);
			kill(pids[i], SIGKILL);
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			/* Killed, never failed on its own. */
			assert_true(WIFSIGNALED(status));
			assert_int_equal(WTERMSIG(status), SIGKILL);
		}
	}

	assert_int_equal(xlc_verify(vis.st, NULL, NULL, &vres), 0);
	assert_int_equal(vres.bad, 0);
	assert_true(vres.good > 0);
	assert_int_equal(xlc_foreach(vis.st, check_entry, &vis), 0);
	assert_int_equal(vis.images + vis.sources, (int)vres.good);
	temps = tc_count_temps(dir);
	print_message("%d publishers killed: %d images, %d sources, %d temp files left\n",
		      PUBLISHERS, vis.images, vis.sources, temps);

	assert_int_equal(xlc_evict(vis.st, 0, 0, &eres), 0);
	assert_int_equal(eres.temps_removed, (uint64_t)temps);
	assert_int_equal(tc_count_temps(dir), 0);
	assert_int_equal(eres.evicted, 0);
	assert_int_equal(xlc_stats(vis.st, &s), 0);
	assert_int_equal(s.corrupt, 0);
	assert_int_equal(s.bytes, vres.bytes);
	xlc_close(vis.st);
	tc_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_publishers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
