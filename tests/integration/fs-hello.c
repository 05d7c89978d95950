/* SPDX-License-Identifier: MIT */
/*
 * A small x86-64 program for the share's tests with the real translator and
 * compiler (fs-real.sh): run from the mount through rosetta, compiled by
 * xlatec through requests/, and run through the binfmt line the share serves.
 * What it prints depends on its arguments, and it exits with a status of its
 * own, so a run that did not happen (or happened wrongly) shows.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned sum = 0;

	for (int i = 1; i < argc; i++)
		for (const char *p = argv[i]; *p; p++)
			sum = sum * 31 + (unsigned char)*p;
	printf("hello %s %u\n", argc > 1 ? argv[1] : "nobody", sum);
	return argc > 1 && strcmp(argv[1], "world") == 0 ? 7 : 1;
}
