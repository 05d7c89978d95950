/* pthreads.c — the pthread primitives glibc builds on clone, futex and
 * the robust list: mutex, condition variable, barrier, rwlock, once,
 * semaphores, thread-local storage through the FS base, join values,
 * detached threads, robust and priority-inheritance mutexes. Every result
 * printed is deterministic; an inconsistency exits 1.
 *
 *   pthreads [qemu]   qemu: leave out what qemu-user itself cannot do (robust
 *                     lists: ENOSYS; a thread in the child of a threaded
 *                     fork: qemu 7.2 asserts), for the aarch64 translator */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 6

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s\n", what);
		exit(1);
	}
}

/* ---- mutex and TLS ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long shared_count;
static __thread long tls_count = 100;
static __thread char tls_name[16];

static void *counter(void *arg)
{
	long id = (long)arg;
	snprintf(tls_name, sizeof tls_name, "worker-%ld", id);
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mu);
		shared_count++;
		pthread_mutex_unlock(&mu);
		tls_count++;
	}
	char want[16];
	snprintf(want, sizeof want, "worker-%ld", id);
	check(!strcmp(tls_name, want) && tls_count == 20100, "thread-local storage");
	return (void *)(id * id);
}

/* ---- condition variable: a bounded queue ---- */

#define QCAP 8
static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qnotfull = PTHREAD_COND_INITIALIZER, qnotempty = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], qhead, qlen;

static void *produce(void *arg)
{
	long base = (long)arg;
	for (int i = 1; i <= 3000; i++) {
		pthread_mutex_lock(&qmu);
		while (qlen == QCAP)
			pthread_cond_wait(&qnotfull, &qmu);
		queue[(qhead + qlen++) % QCAP] = (int)base + i;
		pthread_cond_signal(&qnotempty);
		pthread_mutex_unlock(&qmu);
	}
	return NULL;
}

static void *consume(void *arg)
{
	long sum = 0;
	for (int i = 0; i < 3000; i++) {
		pthread_mutex_lock(&qmu);
		while (!qlen)
			pthread_cond_wait(&qnotempty, &qmu);
		sum += queue[qhead];
		qhead = (qhead + 1) % QCAP;
		qlen--;
		pthread_cond_signal(&qnotfull);
		pthread_mutex_unlock(&qmu);
	}
	return (void *)sum;
}

/* ---- barrier: phases in lock step ---- */

static pthread_barrier_t bar;
static int phase_seen[N][5];
static int phase;

static void *stepper(void *arg)
{
	long id = (long)arg;
	for (int p = 0; p < 5; p++) {
		if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_store_n(&phase, p + 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&bar);
		phase_seen[id][p] = __atomic_load_n(&phase, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* ---- rwlock, once, semaphore, detached threads ---- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long table[64];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static sem_t done;

static void init_once(void)
{
	once_runs++;
}

static void *rw_user(void *arg)
{
	long id = (long)arg;
	pthread_once(&once, init_once);
	for (int i = 0; i < 2000; i++) {
		if (i % 10 == 0) {
			pthread_rwlock_wrlock(&rw);
			for (int k = 0; k < 64; k++)
				table[k] += id;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			for (int k = 1; k < 64; k++)
				check(table[k] == table[0], "rwlock readers see whole updates");
			pthread_rwlock_unlock(&rw);
		}
	}
	sem_post(&done);
	return NULL;
}

/* ---- robust and PI mutexes ---- */

static pthread_mutex_t robust, pi;

static void *die_holding(void *arg)
{
	pthread_mutex_lock(&robust);
	return NULL; /* the kernel walks the robust list at exit */
}

static void *pi_user(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		check(!pthread_mutex_lock(&pi), "PI mutex lock");
		shared_count++;
		check(!pthread_mutex_unlock(&pi), "PI mutex unlock");
	}
	return NULL;
}

/* ---- fork while other threads translate, map and lock ---- */

static volatile int churning = 1;

static void *churn(void *arg)
{
	long id = (long)arg;
	while (churning) {
		void *m = mmap(NULL, 65536 * (id + 1), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		check(m != MAP_FAILED, "mmap while forking");
		((volatile char *)m)[id] = 1;
		munmap(m, 65536 * (id + 1));
		free(malloc(1000 * (id + 1)));
		pthread_mutex_lock(&mu);
		shared_count++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void *child_thread(void *arg)
{
	return (void *)((long)arg * 2);
}

/* The child of a fork has only the forking thread; the translator's and
 * the libc's locks other threads held must work in it all the same. */
static void fork_under_load(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	int codes = 0;
	for (int i = 0; i < 10; i++) {
		pid_t p = fork();
		if (!p) {
			void *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			char *b = malloc(4096);
			pthread_t c;
			void *r;
			if (m == MAP_FAILED || !b || pthread_create(&c, NULL, child_thread, (void *)(long)i) ||
			    pthread_join(c, &r))
				_exit(255);
			_exit((int)(long)r + 1);
		}
		int st;
		waitpid(p, &st, 0);
		codes += WIFEXITED(st) ? WEXITSTATUS(st) : 1000;
	}
	churning = 0;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("fork under load: exit codes sum %d\n", codes);
}

int main(int argc, char **argv)
{
	pthread_t t[N];
	void *ret;

	for (long i = 0; i < N; i++)
		check(!pthread_create(&t[i], NULL, counter, (void *)i), "pthread_create");
	long squares = 0;
	for (int i = 0; i < N; i++) {
		check(!pthread_join(t[i], &ret), "pthread_join");
		squares += (long)ret;
	}
	check(tls_count == 100 && !tls_name[0], "main thread's TLS untouched");
	printf("mutex: count %ld, join values sum %ld\n", shared_count, squares);

	pthread_t p[2], c[2];
	for (long i = 0; i < 2; i++) {
		pthread_create(&p[i], NULL, produce, (void *)(i * 100000));
		pthread_create(&c[i], NULL, consume, NULL);
	}
	long total = 0;
	for (int i = 0; i < 2; i++) {
		pthread_join(p[i], NULL);
		pthread_join(c[i], &ret);
		total += (long)ret;
	}
	printf("condvar queue: sum %ld\n", total);

	pthread_barrier_init(&bar, NULL, N);
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, stepper, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++)
		for (int ph = 0; ph < 5; ph++)
			check(phase_seen[i][ph] == ph + 1, "barrier phases");
	pthread_barrier_destroy(&bar);
	printf("barrier: %d threads, 5 phases in step\n", N);

	sem_init(&done, 0, 0);
	pthread_attr_t det;
	pthread_attr_init(&det);
	pthread_attr_setdetachstate(&det, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&det, 256 * 1024);
	for (long i = 1; i <= N; i++)
		check(!pthread_create(&t[0], &det, rw_user, (void *)i), "detached pthread_create");
	for (int i = 0; i < N; i++)
		sem_wait(&done);
	printf("rwlock: table %ld, once ran %d time(s)\n", table[0], once_runs);

	pthread_mutexattr_t ma;
	if (argc > 1 && !strcmp(argv[1], "qemu"))
		goto pi_mutex;
	fork_under_load();

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_create(&t[0], NULL, die_holding, NULL);
	pthread_join(t[0], NULL);
	int r = pthread_mutex_lock(&robust);
	printf("robust mutex after its owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	check(!pthread_mutex_consistent(&robust) && !pthread_mutex_unlock(&robust), "consistent");

pi_mutex:
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	check(!pthread_mutex_init(&pi, &ma), "PI mutex init");
	shared_count = 0;
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, pi_user, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("PI mutex: count %ld\n", shared_count);
	return 0;
}
