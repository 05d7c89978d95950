/* aotprog.c — a small x86-64 guest program for the image tests: static,
 * no libc (one module, quick to translate), with the control flow images
 * must get right: loops, direct and indirect calls, a jump table,
 * recursion, SSE and x87 arithmetic, string instructions, system calls,
 * and code the program rewrites in its own text (which must then run in
 * the interpreter). Its argument picks which parts run, so that a code
 * map from one run leaves other parts out of a partial image.
 *
 * Built for x86-64 hosts only (it is the guest); the inline assembly is
 * the guest's system call instruction, not host code in semantics. */
#include "tests/aot/guestlib.h"

static uint64_t __attribute__((noinline)) fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t op_add(uint64_t a, uint64_t b)
{
	return a + b;
}
static uint64_t op_xor(uint64_t a, uint64_t b)
{
	return (a ^ b) * 31;
}
static uint64_t op_rot(uint64_t a, uint64_t b)
{
	return (a << 7 | a >> 57) + b;
}
static uint64_t (*const ops[])(uint64_t, uint64_t) = {op_add, op_xor, op_rot};

static uint64_t __attribute__((noinline)) mix(unsigned rounds)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < rounds; i++) {
		switch ((h >> 13) % 6) { /* a jump table */
		case 0: h += i; break;
		case 1: h ^= h >> 29; break;
		case 2: h *= 0xbf58476d1ce4e5b9ull; break;
		case 3: h = ops[i % 3](h, i); break;
		case 4: h -= (uint64_t)i << 3; break;
		default: h = ops[(h >> 3) % 3](h, 17); break;
		}
	}
	return h;
}

static double __attribute__((noinline)) series(unsigned n)
{
	double s = 0;
	for (unsigned k = 1; k <= n; k++)
		s += (k & 1 ? 4.0 : -4.0) / (2.0 * k - 1);
	return s;
}

static long double __attribute__((noinline)) x87(unsigned n)
{
	long double p = 1;
	for (unsigned k = 1; k <= n; k++)
		p *= 1 + 1.0L / ((long double)k * k);
	return p;
}

static uint64_t __attribute__((noinline)) strings(void)
{
	static char a[4096], b[4096];
	uint64_t s = 0;
	for (int r = 0; r < 200; r++) {
		void *d = a, *src = a;
		size_t n = sizeof a;
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(r) : "memory");
		d = b, n = sizeof b;
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
		s += (unsigned char)b[r * 7 % sizeof b];
	}
	return s;
}

/* Rewritten in place below: its first bytes become "mov eax, 2; ret". */
static int __attribute__((noinline, aligned(64))) patchme(void)
{
	return 1;
}

static int selfmod(void)
{
	static const unsigned char code[] = {0xb8, 2, 0, 0, 0, 0xc3};
	unsigned char *p = (unsigned char *)(uintptr_t)patchme;
	uintptr_t page = (uintptr_t)p & ~(uintptr_t)4095;
	int (*volatile fn)(void) = patchme;
	int before = fn(), after;
	if (sys3(10, (long)page, 8192, 7)) /* mprotect RWX */
		return -1;
	for (size_t i = 0; i < sizeof code; i++)
		((volatile unsigned char *)p)[i] = code[i];
	after = fn();
	return before * 10 + after;
}

void __attribute__((used)) cmain(long *sp)
{
	const char *arg = sp[0] > 1 ? (const char *)sp[2] : "abcdefs";
	for (; *arg; arg++) {
		switch (*arg) {
		case 'a': putu("fib ", fib(27)); break;
		case 'b': putu("mix ", mix(3000000)); break;
		case 'c': putu("series ", (uint64_t)(series(2000000) * 1e15)); break;
		case 'd': putu("x87 ", (uint64_t)(x87(100000) * 1e15L)); break;
		case 'e': putu("strings ", strings()); break;
		case 's': putu("selfmod ", (uint64_t)selfmod()); break;
		}
	}
	sys3(231, 0, 0, 0);
}
