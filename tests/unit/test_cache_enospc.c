/* SPDX-License-Identifier: MIT */
/*
 * Full disk: the store lives on a small tmpfs, mounted in a private user and
 * mount namespace this test enters itself (no root, nothing visible outside).
 * Publishing into it fails with ENOSPC and leaves no partial entry and no
 * temp file; the store works again once space is freed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/test_cache_util.h"

#define FS_SIZE	     "1m"
#define PAYLOAD_SIZE (150 * 1024)

static char *mnt;

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Enters a new user + mount namespace and mounts a small tmpfs; 0 or a reason. */
static const char *enter_namespace(void)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return "cannot create a user+mount namespace (unprivileged user namespaces off?)";
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	if (write_file("/proc/self/setgroups", "deny") < 0 ||
	    write_file("/proc/self/uid_map", map) < 0)
		return "cannot map our uid in the new user namespace";
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) < 0)
		return "cannot map our gid in the new user namespace";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return "cannot make the mounts private";
	mnt = tc_tempdir();
	if (mount("xlc-test", mnt, "tmpfs", 0, "size=" FS_SIZE ",mode=0755") < 0)
		return "cannot mount a tmpfs in the namespace";
	return NULL;
}

static int publish_n(struct xlc_store *st, uint64_t n)
{
	uint8_t *buf = malloc(PAYLOAD_SIZE);
	struct xlc_key key = tc_key(n);
	int r;

	tc_pattern(buf, PAYLOAD_SIZE, n);
	r = xlc_publish(st, "aarch64-v1", &key, buf, PAYLOAD_SIZE);
	free(buf);
	return r;
}

static void lookup_n(struct xlc_store *st, uint64_t n, int want)
{
	struct xlc_key key = tc_key(n);
	struct xlc_entry e;

	assert_int_equal(xlc_lookup(st, "aarch64-v1", &key, &e), want);
	xlc_entry_close(&e);
}

static void test_fill_and_recover(void **state)
{
	char dir[4096], big[4096];
	struct xlc_verify_result vres;
	struct xlc_evict_result eres;
	struct xlc_stats s;
	struct xlc_store *st;
	struct xlc_key key;
	uint8_t *buf;
	uint64_t n;
	int r, fd;

	snprintf(dir, sizeof(dir), "%s/store", mnt);
	assert_int_equal(xlc_open(dir, 0, &st), 0);
	for (n = 0; (r = publish_n(st, n)) == 0; n++)
		assert_true(n < 100); /* a 1 MiB filesystem cannot take more */
	print_message("%llu entries fit, then: %s\n", (unsigned long long)n, strerror(-r));
	assert_int_equal(r, -ENOSPC);
	assert_true(n >= 2);
	/* Nothing partial is visible, nothing is left behind. */
	assert_int_equal(tc_count_temps(dir), 0);
	lookup_n(st, n, -ENOENT);
	assert_int_equal(xlc_verify(st, NULL, NULL, &vres), 0);
	assert_int_equal(vres.entries, n);
	assert_int_equal(vres.bad, 0);
	for (uint64_t i = 0; i < n; i++)
		lookup_n(st, i, 0);

	/* A source, and a payload streamed from a file elsewhere, fail the same way. */
	buf = malloc(4 * PAYLOAD_SIZE);
	tc_pattern(buf, 4 * PAYLOAD_SIZE, 99);
	xlc_key_from_bytes(buf, 4 * PAYLOAD_SIZE, &key);
	assert_int_equal(xlc_publish(st, XLC_SOURCES, &key, buf, 4 * PAYLOAD_SIZE), -ENOSPC);
	snprintf(big, sizeof(big), "/tmp/xlc-enospc-XXXXXX");
	fd = mkstemp(big);
	assert_true(fd >= 0);
	unlink(big);
	assert_int_equal(write(fd, buf, 4 * PAYLOAD_SIZE), 4 * PAYLOAD_SIZE);
	assert_int_equal(xlc_publish_fd(st, "x86_64-v1", &key, fd), -ENOSPC);
	assert_int_equal(tc_count_temps(dir), 0);

	/* Free space by hand: publishing works again. */
	key = tc_key(0);
	assert_int_equal(xlc_remove(st, "aarch64-v1", &key), 0);
	key = tc_key(1);
	assert_int_equal(xlc_remove(st, "aarch64-v1", &key), 0);
	assert_int_equal(publish_n(st, n), 0);
	lookup_n(st, n, 0);

	/* And through the cleaner: a budget of two entries makes room for the big file. */
	assert_int_equal(xlc_publish_fd(st, "x86_64-v1", &key, fd), -ENOSPC);
	assert_int_equal(xlc_evict(st, 2 * (PAYLOAD_SIZE + 8192), 0, &eres), 0);
	assert_true(eres.evicted > 0);
	assert_int_equal(xlc_publish_fd(st, "x86_64-v1", &key, fd), 0);
	assert_int_equal(xlc_verify(st, NULL, NULL, &vres), 0);
	assert_int_equal(vres.bad, 0);
	assert_int_equal(xlc_stats(st, &s), 0);
	assert_int_equal(s.corrupt, 0);
	assert_int_equal(tc_count_temps(dir), 0);
	close(fd);
	free(buf);
	xlc_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_and_recover),
	};
	const char *why = enter_namespace();
	int r;

	if (why) {
		printf("SKIP: %s: %s\n", why, strerror(errno));
		return 77;
	}
	r = cmocka_run_group_tests(tests, NULL, NULL);
	umount(mnt);
	rmdir(mnt);
	free(mnt);
	return r;
}
