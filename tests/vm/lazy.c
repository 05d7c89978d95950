/* lazy.c — the module of the VM tests' lazy path: an x86-64 program that
 * is one small module (static, no C library), so the image of what it ran
 * (about 120 guest instructions) compiles in about a second, and in well
 * under two minutes where the compiler itself runs under TCG in a guest.
 * A Debian program brings ld.so and libc along, whose code maps take the
 * compiler minutes even natively. Built for x86-64 only; it is a guest
 * program, so its system calls are the x86-64 ones.
 *   lazy N   prints "N:STEPS PEAK": the total number of Collatz steps of
 *            1..N-1 and the highest value they reach */

__asm__(".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call lazy_main\n"
	"	hlt\n");

enum { SYS_WRITE = 1, SYS_EXIT_GROUP = 231 };

static long syscall3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

/* V in decimal at P, then SEP; returns the end. */
static char *put(char *p, unsigned long v, char sep)
{
	char digits[20], *end = digits + sizeof digits, *d = end;
	do
		*--d = (char)('0' + v % 10);
	while ((v /= 10));
	while (d < end)
		*p++ = *d++;
	*p++ = sep;
	return p;
}

__attribute__((noreturn, used)) void lazy_main(long *sp);
__attribute__((noreturn, used)) void lazy_main(long *sp)
{
	const char *arg = sp[0] > 1 ? (const char *)sp[2] : "";
	unsigned long n = 0, steps = 0, peak = 0;
	char line[64], *p;
	while (*arg >= '0' && *arg <= '9')
		n = n * 10 + (unsigned long)(*arg++ - '0');
	for (unsigned long i = 1; i < n; i++) {
		for (unsigned long x = i; x != 1; steps++) {
			x = x & 1 ? 3 * x + 1 : x / 2;
			peak = x > peak ? x : peak;
		}
	}
	p = put(put(put(line, n, ':'), steps, ' '), peak, '\n');
	syscall3(SYS_WRITE, 1, (long)line, p - line);
	for (;;)
		syscall3(SYS_EXIT_GROUP, n ? 0 : 2, 0, 0);
}
