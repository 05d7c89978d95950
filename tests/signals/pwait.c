/* pwait.c — the waits that take a signal mask for their duration (ppoll,
 * pselect, epoll_pwait, epoll_pwait2). SIGUSR1 is blocked; each call
 * waits on an empty pipe with a mask that lets SIGUSR1 through and blocks
 * SIGUSR2 instead, while SIGUSR1 is sent from another thread during the
 * call, or was sent before it (then pending). Either way the call fails
 * with EINTR, the handler runs with the call's mask in effect (so it sees
 * SIGUSR2 blocked, and SIGUSR1 as its own signal), and afterwards the
 * original mask is back. A call that ends without a signal restores the
 * mask too. The 5 s timeouts only bound a failure.
 *
 * Built twice: pwait tests the first three, pwait2 (PWAIT2 defined)
 * epoll_pwait2, which an older kernel or emulator may lack; pwait2 then
 * says so and exits 77. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static int fds[2], ep;
static pthread_t main_thread;
static volatile sig_atomic_t handled;
static sigset_t in_handler;

static void on_usr1(int sig)
{
	handled++;
	sigprocmask(SIG_SETMASK, NULL, &in_handler);
}

static void print_mask(const char *what, const sigset_t *set)
{
	printf("  %s:", what);
	for (int sig = 1; sig < 32; sig++)
		if (sigismember(set, sig))
			printf(" %d", sig);
	printf("\n");
}

static const struct timespec five = {5, 0};

static int call_ppoll(const sigset_t *m, int ms)
{
	struct pollfd p = {fds[0], POLLIN, 0};
	struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
	return ppoll(&p, 1, ms < 0 ? &five : &t, m);
}

static int call_pselect(const sigset_t *m, int ms)
{
	fd_set r;
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
	return pselect(fds[0] + 1, &r, NULL, NULL, ms < 0 ? &five : &t, m);
}

static int call_epoll_pwait(const sigset_t *m, int ms)
{
	struct epoll_event e;
	return epoll_pwait(ep, &e, 1, ms < 0 ? 5000 : ms, m);
}

static int call_epoll_pwait2(const sigset_t *m, int ms)
{
	struct epoll_event e;
	struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
	return epoll_pwait2(ep, &e, 1, ms < 0 ? &five : &t, m);
}

static void *send_later(void *arg)
{
	struct timespec d = {0, 50 * 1000000L};
	nanosleep(&d, NULL);
	pthread_kill(main_thread, SIGUSR1);
	return NULL;
}

static void check(const char *name, int (*call)(const sigset_t *, int), const char *when)
{
	sigset_t temp, after;
	sigemptyset(&temp);
	sigaddset(&temp, SIGUSR2);
	handled = 0;
	sigemptyset(&in_handler);
	pthread_t sender;
	if (!strcmp(when, "sent during the call"))
		pthread_create(&sender, NULL, send_later, NULL);
	else
		pthread_kill(main_thread, SIGUSR1);
	int r = call(&temp, -1);
	int e = errno;
	if (!strcmp(when, "sent during the call"))
		pthread_join(sender, NULL);
	sigprocmask(SIG_SETMASK, NULL, &after);
	printf("%s, SIGUSR1 %s: returned %d (%s), handler ran %d time(s)\n", name, when, r,
	       r < 0 ? strerror(e) : "no error", (int)handled);
	print_mask("mask in the handler", &in_handler);
	print_mask("mask after the call", &after);
}

/* No signal: the call times out, and the mask is the original one. */
static void quiet(const char *name, int (*call)(const sigset_t *, int))
{
	sigset_t temp, after;
	sigemptyset(&temp);
	int r = call(&temp, 10);
	sigprocmask(SIG_SETMASK, NULL, &after);
	printf("%s, no signal: returned %d\n", name, r);
	print_mask("mask after the call", &after);
}

int main(void)
{
	static const struct {
		const char *name;
		int (*call)(const sigset_t *, int);
	} calls[] = {
		{"ppoll", call_ppoll},
		{"pselect", call_pselect},
		{"epoll_pwait", call_epoll_pwait},
		{"epoll_pwait2", call_epoll_pwait2},
	};
#ifdef PWAIT2
	const bool pwait2 = true;
#else
	const bool pwait2 = false;
#endif
	setvbuf(stdout, NULL, _IONBF, 0);
	main_thread = pthread_self();
	if (pipe(fds))
		return 1;
	ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN};
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &e))
		return 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	sigset_t none;
	sigemptyset(&none);
	if (pwait2 && call_epoll_pwait2(&none, 0) < 0 && errno == ENOSYS) {
		printf("epoll_pwait2: not available\n");
		return 77;
	}
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		if ((calls[i].call == call_epoll_pwait2) != pwait2)
			continue;
		check(calls[i].name, calls[i].call, "sent during the call");
		check(calls[i].name, calls[i].call, "pending before the call");
		quiet(calls[i].name, calls[i].call);
	}
	return 0;
}
