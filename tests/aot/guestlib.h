/* guestlib.h — the little the libc-free guest programs (tests/aot,
 * tests/vm/lazy.c) need: the entry point, system calls and decimal/hex
 * output on stdout. Guest code only (built for x86-64; the inline
 * assembly is the guest's SYSCALL). */
#ifndef XLATE_TESTS_AOT_GUESTLIB_H
#define XLATE_TESTS_AOT_GUESTLIB_H

#include <stddef.h>
#include <stdint.h>

static inline long sys4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys3(long n, long a, long b, long c)
{
	return sys4(n, a, b, c, 0);
}

static inline void out(const char *s, size_t n)
{
	sys3(1, 1, (long)s, (long)n);
}

static inline void put(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	out(s, n);
}

/* `what`, then v in decimal, then a newline. */
static inline void putu(const char *what, uint64_t v)
{
	char b[24];
	int i = sizeof b;
	b[--i] = '\n';
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(what);
	out(b + i, sizeof b - (size_t)i);
}

/* " what=" and v in hex, 16 digits. */
static inline void putx(const char *what, uint64_t v)
{
	char b[17];
	for (int i = 15; i >= 0; i--, v >>= 4)
		b[i] = "0123456789abcdef"[v & 15];
	b[16] = 0;
	put(" ");
	put(what);
	put("=");
	put(b);
}

/* The entry point: cmain(the initial stack pointer), on an aligned stack.
 * Each program defines cmain and ends with exit_group. */
__asm__(".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call cmain\n"
	"	hlt\n");

#endif
