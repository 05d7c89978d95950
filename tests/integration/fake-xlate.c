/* SPDX-License-Identifier: MIT */
/*
 * fake-xlate: a TEST DOUBLE of the translator, served as `rosetta` by the
 * share's tests until (and besides) the real xlate. It runs nothing: it
 * reports how it was reached — its own executable (/proc/self/exe, which is
 * the mount's rosetta when binfmt_misc started it through the share), its
 * arguments, and whether the kernel passed the program as AT_EXECFD (flags
 * O and C) — and exits 42.
 *
 * The build stamps EI_ABIVERSION = 1 into a copy (fake-xlate.abi1), so the
 * x86-64 binfmt_misc entry under test does not match the double itself.
 */
#include "config.h"

#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned long execfd = getauxval(AT_EXECFD);

	exe[n < 0 ? 0 : n] = 0;
	printf("fake-xlate: exe=%s argc=%d", exe, argc);
	for (int i = 0; i < argc; i++)
		printf(" argv%d=%s", i, argv[i]);
	if (execfd) {
		Elf64_Ehdr eh;

		/* the program the kernel opened for us: show it is an x86-64 ELF */
		if (pread((int)execfd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh))
			printf(" execfd=%lu machine=%u", execfd, eh.e_machine);
	} else {
		printf(" execfd=none");
	}
	printf("\n");
	return 42;
}
