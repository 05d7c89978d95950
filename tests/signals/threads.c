/* threads.c — signals and threads: tgkill reaches the named thread,
 * a process-directed signal goes to the thread that does not block it,
 * masks and alternate stacks are per thread. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)
static pid_t worker_tid, main_tid;
static volatile pid_t usr1_tid, usr2_tid;
static volatile int usr1_on_alt;
static char *worker_alt;
static sem_t ready, go, handled;

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void on_usr1(int sig)
{
	char here;
	usr1_tid = gettid_();
	usr1_on_alt = &here > worker_alt && &here < worker_alt + ALT_SIZE;
	sem_post(&handled);
}

static void on_usr2(int sig)
{
	usr2_tid = gettid_();
	sem_post(&handled);
}

static void *worker(void *arg)
{
	worker_tid = gettid_();
	worker_alt = malloc(ALT_SIZE);
	stack_t ss = {.ss_sp = worker_alt, .ss_size = ALT_SIZE};
	sigaltstack(&ss, NULL);
	/* SIGUSR2 is the main thread's to take. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	sem_post(&ready);
	while (sem_wait(&go))
		;
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sem_init(&ready, 0, 0);
	sem_init(&go, 0, 0);
	sem_init(&handled, 0, 0);
	main_tid = gettid_();

	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (sem_wait(&ready))
		;
	stack_t mine;
	sigaltstack(NULL, &mine);
	printf("main thread's alt stack untouched: %d\n", mine.ss_flags == SS_DISABLE);

	syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1);
	while (sem_wait(&handled))
		;
	printf("tgkill to the worker ran there: %d, on its alt stack: %d\n", usr1_tid == worker_tid,
	       usr1_on_alt);

	/* The worker blocks SIGUSR2: the main thread must take it, even
	 * while it is blocked in sem_wait. */
	kill(getpid(), SIGUSR2);
	while (sem_wait(&handled))
		;
	printf("process SIGUSR2 ran in the main thread: %d\n", usr2_tid == main_tid);

	/* Blocked in main: the worker's mask has it unblocked? No: blocked
	 * there too, so it stays pending until main unblocks it. */
	sigset_t s, pend;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	usr2_tid = 0;
	kill(getpid(), SIGUSR2);
	sigpending(&pend);
	printf("blocked everywhere: pending %d, handled %d\n", sigismember(&pend, SIGUSR2),
	       usr2_tid != 0);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	while (sem_wait(&handled))
		;
	printf("after unblocking: handled in main %d\n", usr2_tid == main_tid);

	sem_post(&go);
	pthread_join(t, NULL);
	return 0;
}
