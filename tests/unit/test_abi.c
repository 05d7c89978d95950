/* test_abi.c — the guest syscall ABI layer, checked against the host's view.
 *
 * Each test calls abi_syscall() with x86-64 numbers and x86-64-layout
 * buffers (test_abi.h defines them from the x86-64 ABI, independently of
 * the layer), does the same through the host's libc where there is one,
 * and compares. Built natively it checks the x86-64 passthrough; built for
 * aarch64 and run under qemu-aarch64 it checks the conversions. Plain C:
 * cmocka does not exist for aarch64. Exit status 0 when every check passed,
 * 1 otherwise; a SKIP line names anything the host itself lacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_abi.h"

static int failures, checks, skips;
static const char *current;
const char *test_dir;

void test_check(int ok, const char *what, int line)
{
	checks++;
	if (ok)
		return;
	failures++;
	printf("FAIL %s: line %d: %s\n", current, line, what);
}

void test_check_eq(long long a, long long b, const char *as, const char *bs, int line)
{
	checks++;
	if (a == b)
		return;
	failures++;
	printf("FAIL %s: line %d: %s == %lld, %s == %lld\n", current, line, as, a, bs, b);
}

void test_skip(const char *why)
{
	skips++;
	printf("SKIP %s: %s\n", current, why);
}

long test_sys(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	return abi_syscall(nr, a);
}

const char *tpath(const char *name)
{
	static char buf[8][256];
	static int next;
	char *p = buf[next++ % 8];
	snprintf(p, sizeof(buf[0]), "%s/%s", test_dir, name);
	return p;
}

/* Every number of the x86-64 table has an entry on this host, and no
 * other number has one. Prints the classification for the record. */
static void test_table(void)
{
	int count[ABI_RUNTIME + 1] = {0};
	char enosys[2048] = "", runtime[1024] = "";
	for (long nr = -1; nr < 1024; nr++) {
		enum abi_kind k = abi_syscall_kind(nr);
		const char *name = abi_syscall_name(nr);
		CHECK((name != NULL) == (k != ABI_UNKNOWN));
		if (!name)
			continue;
		count[k]++;
		char *list = k == ABI_ENOSYS ? enosys : k == ABI_RUNTIME ? runtime : NULL;
		size_t size = k == ABI_ENOSYS ? sizeof(enosys) : sizeof(runtime);
		if (list)
			snprintf(list + strlen(list), size - strlen(list), " %s", name);
	}
	printf("table (%s host): direct %d, converted %d, emulated %d, runtime %d, enosys %d\n",
	       ON_AARCH64 ? "aarch64" : "x86-64", count[ABI_DIRECT], count[ABI_CONVERTED],
	       count[ABI_EMULATED], count[ABI_RUNTIME], count[ABI_ENOSYS]);
	printf("  runtime:%s\n  enosys:%s\n", runtime, enosys);

	CHECK(strcmp(abi_syscall_name(0), "read") == 0);
	CHECK(strcmp(abi_syscall_name(59), "execve") == 0);
	CHECK(strcmp(abi_syscall_name(334), "rseq") == 0);
	CHECK(strcmp(abi_syscall_name(424), "pidfd_send_signal") == 0);
	CHECK(abi_syscall_name(335) == NULL);
	CHECK(abi_syscall_name(423) == NULL);
	CHECK_EQ(abi_syscall_kind(X_arch_prctl), ABI_RUNTIME);
	CHECK_ERR(SYS(X_arch_prctl, 0x1002, 0), X_ENOSYS);
	CHECK_ERR(SYS(ABI_NR_rt_sigreturn), X_ENOSYS);
	CHECK_ERR(SYS(400), X_ENOSYS);
	CHECK_ERR(SYS(-1), X_ENOSYS);
	CHECK_ERR(SYS(0x40000000 | 39), X_ENOSYS); /* x32 getpid */
	CHECK_EQ(SYS(0x100000000 | 39), getpid()); /* only eax counts */
	CHECK_ERR(SYS(X_close, -1), X_EBADF);
	CHECK(strcmp(abi_kind_name(ABI_CONVERTED), "converted") == 0);
}

static const struct test {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{"table", test_table},
	{"fs_stat", test_fs_stat},
	{"fs_open_flags", test_fs_open_flags},
	{"fs_paths", test_fs_paths},
	{"fs_times", test_fs_times},
	{"fs_getdents", test_fs_getdents},
	{"fs_statfs", test_fs_statfs},
	{"io_pipe_dup", test_io_pipe_dup},
	{"io_poll_select", test_io_poll_select},
	{"io_epoll", test_io_epoll},
	{"io_fds", test_io_fds},
	{"io_ioctl", test_io_ioctl},
	{"io_msg", test_io_msg},
	{"sys_time", test_sys_time},
	{"sys_identity", test_sys_identity},
	{"sys_ipc", test_sys_ipc},
	{"sys_info", test_sys_info},
	{"sys_clone", test_sys_clone},
	{"sys_obsolete", test_sys_obsolete},
	{"sys_refused", test_sys_refused},
	{"guest_copy", test_guest_copy},
};

int main(void)
{
	static char dir[] = "/tmp/test_abi.XXXXXX";
	test_dir = mkdtemp(dir);
	if (!test_dir) {
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
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", test_dir);
	printf("%d checks, %d failed, %d skipped\n", checks, failures, skips);
	return failures ? 1 : 0;
}
