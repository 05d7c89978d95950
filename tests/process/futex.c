/* futex.c — the futex operations and thread-identity calls glibc and
 * other runtimes use, called raw: WAIT/WAKE (private and shared),
 * WAIT_BITSET with an absolute timeout, WAKE_BITSET, REQUEUE,
 * CMP_REQUEUE, WAKE_OP, the PI operations, set_tid_address,
 * set/get_robust_list. Prints each result.
 *
 *   futex [no-robust] */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2,
		  uint32_t *uaddr2, uint32_t val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
	return r < 0 ? -errno : r;
}

static const char *err(long r)
{
	switch (r) {
	case -EAGAIN: return "EAGAIN";
	case -ETIMEDOUT: return "ETIMEDOUT";
	case -EINVAL: return "EINVAL";
	case -EPERM: return "EPERM";
	case -EDEADLK: return "EDEADLK";
	case -EBUSY: return "EBUSY";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "%ld", r);
	return buf;
}

static uint32_t word, word2, started;
static pid_t tids[4];

static void *waiter(void *arg)
{
	int op = (int)(long)arg;
	tids[__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST)] = (pid_t)syscall(SYS_gettid);
	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
		futex(&word, op, 0, NULL, NULL, FUTEX_BITSET_MATCH_ANY);
	return NULL;
}

/* Whether thread tid sleeps in a futex wait, as /proc tells. */
static int asleep(pid_t tid)
{
	char path[64], buf[64] = "";
	snprintf(path, sizeof path, "/proc/self/task/%d/wchan", tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	fclose(f);
	return strstr(buf, "futex") != NULL;
}

/* Waits until `n` waiters sleep in the kernel (twice in a row, in case
 * one was only passing through a lock of the translator's). */
static void settle(unsigned n)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	for (int calm = 0; calm < 2;) {
		nanosleep(&ts, NULL);
		unsigned k = 0;
		if (__atomic_load_n(&started, __ATOMIC_SEQ_CST) == n)
			while (k < n && asleep(tids[k]))
				k++;
		calm = k == n ? calm + 1 : 0;
	}
}

static void start(pthread_t *t, int n, int op)
{
	word = 0;
	started = 0;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, waiter, (void *)(long)op);
	settle(n);
}

static void finish(pthread_t *t, int n)
{
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	futex(&word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	futex(&word2, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

/* A thread made with the libc's raw clone(), no pthread: the kernel's
 * tid words as the flags ask. It shares the creator's TLS (no
 * CLONE_SETTLS), so it touches nothing thread-local, errno included. */
static pid_t raw_ptid, raw_ctid;
static uint32_t raw_sum;

static int raw_thread(void *arg)
{
	for (uint32_t i = 1; i <= (uint32_t)(long)arg; i++)
		raw_sum += i;
	return 0;
}

static void raw_clone(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			  CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
			  CLONE_CHILD_CLEARTID;
	raw_ctid = -1;
	int tid = clone(raw_thread, stack + sizeof stack, flags, (void *)1000L, &raw_ptid, NULL,
			&raw_ctid);
	if (tid < 0) {
		printf("raw clone: %s\n", strerror(errno));
		return;
	}
	int ptid_ok = raw_ptid == tid;
	/* CHILD_CLEARTID: the word goes to 0 and is woken when it is gone. */
	pid_t seen;
	while ((seen = __atomic_load_n(&raw_ctid, __ATOMIC_SEQ_CST)) != 0)
		futex((uint32_t *)&raw_ctid, FUTEX_WAIT, (uint32_t)seen, NULL, NULL, 0);
	printf("raw clone thread: parent tid word %d, child tid word cleared, sum %u\n", ptid_ok,
	       raw_sum);
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	long r;

	word = 5;
	printf("wait on a changed value: %s\n", err(futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0)));
	struct timespec rel = {0, 1000 * 1000};
	printf("wait with relative timeout: %s\n",
	       err(futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0)));
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 2000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	printf("wait_bitset, absolute monotonic: %s\n",
	       err(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &now, NULL, 1)));
	clock_gettime(CLOCK_REALTIME, &now);
	printf("wait_bitset, absolute realtime in the past: %s\n",
	       err(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &(struct timespec){now.tv_sec - 1, 0}, NULL, 1)));
	printf("wait_bitset with an empty mask: %s\n",
	       err(futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0)));
	printf("wake without waiters: %s\n", err(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0)));

	start(t, 3, FUTEX_WAIT_PRIVATE);
	r = futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
	printf("wake 2 of 3 waiters: %ld\n", r);
	finish(t, 3);

	start(t, 2, FUTEX_WAIT_BITSET_PRIVATE);
	printf("wake_bitset with a matching mask: %ld\n",
	       futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x10));
	finish(t, 2);

	start(t, 4, FUTEX_WAIT_PRIVATE);
	r = futex(&word, FUTEX_REQUEUE_PRIVATE, 1, (void *)2L, &word2, 0);
	printf("requeue (wake 1, move 2): %ld\n", r);
	r = futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1L, &word2, 99);
	printf("cmp_requeue with a stale value: %s\n", err(r));
	r = futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1L, &word2, 0);
	printf("cmp_requeue (wake 0, move 1): %ld\n", r);
	r = futex(&word2, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	printf("wake the requeued: %ld\n", r);
	finish(t, 4);

	/* WAKE_OP: word2 += 3, wake on word, and on word2 if its old value
	 * was 0 (it was). */
	word2 = 0;
	r = futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &word2,
		  FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0));
	printf("wake_op: %ld, word2 now %u\n", r, word2);

	pid_t tid = (pid_t)syscall(SYS_gettid);
	uint32_t pi = 0;
	r = futex(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	printf("lock_pi free: %s, owner is me: %d\n", err(r), (pi & FUTEX_TID_MASK) == (uint32_t)tid);
	printf("lock_pi again: %s\n", err(futex(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
	printf("trylock_pi held: %s\n", err(futex(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
	r = futex(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	printf("unlock_pi: %s, word %s\n", err(r), pi == 0 ? "0" : pi == (uint32_t)tid ? "tid" : "other");
	printf("unlock_pi not owner: %s\n", err(futex(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));

	raw_clone();

	uint32_t clear = 7;
	long me = syscall(SYS_set_tid_address, &clear);
	printf("set_tid_address returns the tid: %d\n", me == tid);

	/* qemu-user cannot walk a guest's robust list and answers ENOSYS;
	 * the aarch64 translator's run under it skips this part. */
	if (argc > 1 && !strcmp(argv[1], "no-robust"))
		return 0;
	struct robust_list_head *old, mine = {{&mine.list}, 0, NULL};
	size_t len;
	r = syscall(SYS_get_robust_list, 0, &old, &len);
	printf("get_robust_list: %ld, len %zu\n", r, len);
	r = syscall(SYS_set_robust_list, &mine, sizeof mine);
	struct robust_list_head *now_head;
	syscall(SYS_get_robust_list, 0, &now_head, &len);
	printf("set_robust_list: %ld, read back %d\n", r, now_head == &mine);
	printf("set_robust_list, bad size: %s\n",
	       err(syscall(SYS_set_robust_list, &mine, 1) ? -errno : 0));
	syscall(SYS_set_robust_list, old, sizeof *old);
	return 0;
}
