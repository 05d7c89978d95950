/* ctx.c — non-local control flow on the guest stack: setjmp/longjmp
 * out of nested frames, sigsetjmp/siglongjmp restoring the signal mask,
 * makecontext/swapcontext coroutines, getcontext/setcontext loops. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	depth_reached = depth + pad[0] - depth;
	if (depth == 50)
		longjmp(env, depth * 2);
	if (depth < 100)
		dive(depth + 1);
}

static sigjmp_buf senv;

/* A generator: yields the Fibonacci numbers to main. */
static ucontext_t main_ctx, gen_ctx;
static long yielded;

static void fib_gen(int count, int scale)
{
	long a = 0, b = 1;
	for (int i = 0; i < count; i++) {
		yielded = a * scale;
		swapcontext(&gen_ctx, &main_ctx);
		long t = a + b;
		a = b;
		b = t;
	}
	yielded = -1;
}

/* Two coroutines handing a token back and forth. */
static ucontext_t ping_ctx, pong_ctx, done_ctx;
static int token;

static void ping(void)
{
	for (int i = 0; i < 1000; i++) {
		token = token * 3 + 1;
		swapcontext(&ping_ctx, &pong_ctx);
	}
}

static void pong(void)
{
	for (;;) {
		token %= 1000003;
		swapcontext(&pong_ctx, &ping_ctx);
	}
}

int main(void)
{
	int v = setjmp(env);
	if (!v)
		dive(0);
	printf("longjmp from depth %d returned %d\n", depth_reached, v);

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (!sigsetjmp(senv, 1)) {
		sigaddset(&set, SIGUSR2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		siglongjmp(senv, 1);
	}
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf("siglongjmp restored the mask: USR1 %d USR2 %d\n", sigismember(&set, SIGUSR1),
	       sigismember(&set, SIGUSR2));
	sigprocmask(SIG_SETMASK, &old, NULL);

	static char gen_stack[64 * 1024];
	getcontext(&gen_ctx);
	gen_ctx.uc_stack.ss_sp = gen_stack;
	gen_ctx.uc_stack.ss_size = sizeof gen_stack;
	gen_ctx.uc_link = &main_ctx;
	makecontext(&gen_ctx, (void (*)(void))fib_gen, 2, 20, 10);
	printf("generator:");
	for (;;) {
		swapcontext(&main_ctx, &gen_ctx);
		if (yielded < 0)
			break;
		printf(" %ld", yielded);
	}
	printf("\n");

	static char ping_stack[64 * 1024], pong_stack[64 * 1024];
	getcontext(&ping_ctx);
	ping_ctx.uc_stack.ss_sp = ping_stack;
	ping_ctx.uc_stack.ss_size = sizeof ping_stack;
	ping_ctx.uc_link = &done_ctx;
	makecontext(&ping_ctx, ping, 0);
	getcontext(&pong_ctx);
	pong_ctx.uc_stack.ss_sp = pong_stack;
	pong_ctx.uc_stack.ss_size = sizeof pong_stack;
	makecontext(&pong_ctx, pong, 0);
	swapcontext(&done_ctx, &ping_ctx);
	printf("ping-pong: token %d\n", token);

	volatile int rounds = 0;
	ucontext_t loop;
	getcontext(&loop);
	if (++rounds < 5)
		setcontext(&loop);
	printf("setcontext loop: %d rounds\n", rounds);
	return 0;
}
