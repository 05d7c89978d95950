/* lazy.c — the module of the VM tests' lazy path: an x86-64 program that
 * is one small module (static, no C library), so the image of what it ran
 * (a few hundred guest instructions) compiles in about a second, and in
 * well under two minutes where the compiler itself runs under TCG in a
 * guest. A Debian program brings ld.so and libc along, whose code maps
 * take the compiler minutes even natively. Built for x86-64 only; it is a
 * guest program (tests/aot/guestlib.h: its entry point and system calls).
 *   lazy N   prints N, the total number of Collatz steps of 1..N-1 and
 *            the highest value they reach; exits 2 without N */
#include "tests/aot/guestlib.h"

void __attribute__((used)) cmain(long *sp)
{
	const char *arg = sp[0] > 1 ? (const char *)sp[2] : "";
	unsigned long n = 0, steps = 0, peak = 0;
	while (*arg >= '0' && *arg <= '9')
		n = n * 10 + (unsigned long)(*arg++ - '0');
	for (unsigned long i = 1; i < n; i++) {
		for (unsigned long x = i; x != 1; steps++) {
			x = x & 1 ? 3 * x + 1 : x / 2;
			peak = x > peak ? x : peak;
		}
	}
	putu("n ", n);
	putu("steps ", steps);
	putu("peak ", peak);
	sys3(231, n ? 0 : 2, 0, 0);
}
