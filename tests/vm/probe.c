/* probe.c — an x86-64 test program for the VM tests, run through the
 * binfmt entry in the guest. It prints what the translator must get right
 * about the program's identity — argv[0] (the P flag), /proc/self/exe
 * (also inside a chroot) — its other arguments, and one line of
 * computation that native execution on the host checks:
 *   probe [N]   ... "primes<N: COUNT SUM" (a sieve) */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sieve(unsigned long n)
{
	unsigned char *composite = calloc(n + 1, 1);
	unsigned long count = 0, sum = 0;
	if (!composite) {
		perror("probe");
		exit(1);
	}
	for (unsigned long i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		sum += i;
		for (unsigned long j = i * i; j < n; j += i)
			composite[j] = 1;
	}
	printf("primes<%lu: %lu %lu\n", n, count, sum);
	free(composite);
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[len < 0 ? 0 : len] = '\0';
	printf("argv0=%s\nexe=%s\nargc=%d\n", argv[0], exe, argc);
	for (int i = 1; i < argc; i++)
		printf("arg%d=%s\n", i, argv[i]);
	if (argc > 1)
		sieve(strtoul(argv[1], NULL, 10));
	return 0;
}
