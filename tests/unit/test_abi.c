/* test_abi.c — the guest syscall ABI layer, checked against the host's view.
 *
 * Each test calls abi_syscall() with x86-64 numbers and x86-64-layout
 * buffers (defined here, from the x86-64 ABI, independently of the layer),
 * does the same thing through the host's libc, and compares. Built natively
 * it checks the x86-64 passthrough; cross-built and run under qemu-aarch64
 * it checks the aarch64 conversions. Plain C: cmocka does not exist for
 * aarch64. Exit status 0 when every check passed, 1 otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "translator/runtime/abi.h"

static int failures, checks;
static const char *current;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) check_eq((long long)(a), (long long)(b), #a, #b, __LINE__)

static void check(int ok, const char *what, const char *file, int line)
{
	checks++;
	if (ok)
		return;
	failures++;
	printf("FAIL %s: %s:%d: %s\n", current, file, line, what);
}

static void check_eq(long long a, long long b, const char *as, const char *bs, int line)
{
	checks++;
	if (a == b)
		return;
	failures++;
	printf("FAIL %s: line %d: %s == %lld, %s == %lld\n", current, line, as, a, bs, b);
}

/* x86-64 system call numbers and errno values, as the x86-64 ABI has them. */
enum { X_close = 3, X_stat = 4, X_fstat = 5, X_arch_prctl = 158, X_unassigned = 400 };
enum { X_ENOENT = 2, X_EBADF = 9, X_ENOSYS = 38 };

static long sys(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		uint64_t a5)
{
	const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	return abi_syscall(nr, a);
}
#define SYS(nr, ...) sys_n(nr, __VA_ARGS__)
#define sys_n(nr, ...) sys_pad(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_pad(nr, a0, a1, a2, a3, a4, a5, ...)                                                   \
	sys(nr, (uint64_t)(a0), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), (uint64_t)(a4),    \
	    (uint64_t)(a5))

static char dir[64];

static char *path(const char *name)
{
	static char buf[4][128];
	static int next;
	char *p = buf[next++ % 4];
	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* x86-64 struct stat, 144 bytes. */
struct xstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};
_Static_assert(sizeof(struct xstat) == 144, "x86-64 struct stat");

static void check_xstat(const struct xstat *x, const struct stat *h)
{
	CHECK_EQ(x->dev, h->st_dev);
	CHECK_EQ(x->ino, h->st_ino);
	CHECK_EQ(x->nlink, h->st_nlink);
	CHECK_EQ(x->mode, h->st_mode);
	CHECK_EQ(x->uid, h->st_uid);
	CHECK_EQ(x->gid, h->st_gid);
	CHECK_EQ(x->rdev, h->st_rdev);
	CHECK_EQ(x->size, h->st_size);
	CHECK_EQ(x->blksize, h->st_blksize);
	CHECK_EQ(x->blocks, h->st_blocks);
	CHECK_EQ(x->atime, h->st_atim.tv_sec);
	CHECK_EQ(x->atime_ns, h->st_atim.tv_nsec);
	CHECK_EQ(x->mtime, h->st_mtim.tv_sec);
	CHECK_EQ(x->mtime_ns, h->st_mtim.tv_nsec);
	CHECK_EQ(x->ctime, h->st_ctim.tv_sec);
	CHECK_EQ(x->ctime_ns, h->st_ctim.tv_nsec);
}

static void test_names(void)
{
	CHECK(strcmp(abi_syscall_name(0), "read") == 0);
	CHECK(strcmp(abi_syscall_name(59), "execve") == 0);
	CHECK(strcmp(abi_syscall_name(334), "rseq") == 0);
	CHECK(strcmp(abi_syscall_name(435), "clone3") == 0);
	CHECK(abi_syscall_name(X_unassigned) == NULL);
	CHECK(abi_syscall_name(-1) == NULL);
	CHECK_EQ(abi_syscall_kind(X_unassigned), ABI_UNKNOWN);
	CHECK_EQ(abi_syscall_kind(X_arch_prctl), ABI_RUNTIME);
	CHECK_EQ(SYS(X_arch_prctl, 0x1002, 0), -X_ENOSYS);
	CHECK_EQ(SYS(X_unassigned, 0), -X_ENOSYS);
	CHECK_EQ(SYS(X_close, -1), -X_EBADF);
}

static void test_stat(void)
{
	int fd = open(path("f"), O_CREAT | O_WRONLY | O_TRUNC, 0640);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "hello", 5), 5);
	struct stat h;
	CHECK_EQ(fstat(fd, &h), 0);

	struct xstat x;
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_stat, path("f"), &x), 0);
	check_xstat(&x, &h);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_fstat, fd, &x), 0);
	check_xstat(&x, &h);
	CHECK_EQ(SYS(X_stat, path("missing"), &x), -X_ENOENT);

	struct abi_x86_stat conv;
	abi_stat_to_x86(&conv, &h);
	CHECK(memcmp(&conv, &x, sizeof(x)) == 0);
	close(fd);
}

static const struct test {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{"names", test_names},
	{"stat", test_stat},
};

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "/tmp/test_abi.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 99;
	}
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int before = failures;
		current = tests[i].name;
		tests[i].fn();
		printf("%s %s\n", failures == before ? "ok  " : "FAIL", current);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
