/* SPDX-License-Identifier: MIT */
/*
 * A small stand-in for libFuzzer's main, so a fuzz target also runs in
 * make check with the project's compiler and sanitizers:
 *
 *   fuzz-driver [-n RUNS] [-s SEED] FILE...
 *
 * runs LLVMFuzzerTestOneInput on each FILE (the seed corpus), then on RUNS
 * inputs made by mutating randomly chosen seeds (bit flips, byte stores,
 * boundary values, insertions, deletions, splices of two seeds, truncation).
 * The mutations come from SEED (default 1), so a failing run repeats; each
 * input is written to fuzz-last-input before it runs (removed when all
 * pass), so a failure leaves the input behind. It finds fewer bugs than
 * coverage-guided fuzzing (`make fuzz-fs`), but every build runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 65536

struct buf {
	uint8_t *p;
	size_t n;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: plenty for picking mutations */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = malloc(MAX_INPUT);
	size_t n;

	if (!f || !p) {
		fprintf(stderr, "fuzz-driver: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(p);
		return -1;
	}
	n = fread(p, 1, MAX_INPUT, f);
	fclose(f);
	b->p = p;
	b->n = n;
	return 0;
}

static void mutate(uint8_t *p, size_t *n, const struct buf *seeds, size_t nseeds)
{
	static const uint8_t boundary[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
	unsigned count = 1 + (unsigned)below(8);

	for (unsigned i = 0; i < count; i++) {
		size_t at = below(*n), len;

		switch (below(7)) {
		case 0: /* flip a bit */
			if (*n)
				p[at] ^= (uint8_t)(1u << below(8));
			break;
		case 1: /* store a byte */
			if (*n)
				p[at] = (uint8_t)rnd();
			break;
		case 2: /* a boundary value, often in a length or offset field */
			if (*n)
				p[at] = boundary[below(sizeof(boundary))];
			break;
		case 3: /* insert bytes */
			len = 1 + below(16);
			if (*n + len <= MAX_INPUT) {
				memmove(p + at + len, p + at, *n - at);
				for (size_t k = 0; k < len; k++)
					p[at + k] = (uint8_t)rnd();
				*n += len;
			}
			break;
		case 4: /* delete bytes */
			len = below(*n - at + 1);
			memmove(p + at, p + at + len, *n - at - len);
			*n -= len;
			break;
		case 5: { /* splice in a piece of another seed (not its selector byte) */
			const struct buf *o = &seeds[below(nseeds)];
			size_t from = o->n > 1 ? 1 + below(o->n - 1) : 0;

			len = below(o->n - from + 1);
			if (at + len > MAX_INPUT)
				len = MAX_INPUT - at;
			memcpy(p + at, o->p + from, len);
			if (at + len > *n)
				*n = at + len;
			break;
		}
		case 6: /* truncate */ *n = at; break;
		}
	}
}

/* The input about to run, for the record if it fails. */
static void keep(int fd, const uint8_t *p, size_t n)
{
	if (ftruncate(fd, 0) < 0 || pwrite(fd, p, n, 0) != (ssize_t)n) {
		fprintf(stderr, "fuzz-driver: fuzz-last-input: %s\n", strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	unsigned long runs = 100000, seed = 1;
	struct buf *seeds;
	uint8_t *in;
	int c, nseeds, lastfd;

	while ((c = getopt(argc, argv, "n:s:")) != -1) {
		if (c == 'n')
			runs = strtoul(optarg, NULL, 0);
		else if (c == 's')
			seed = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	nseeds = argc - optind;
	if (nseeds < 1) {
		fprintf(stderr, "usage: %s [-n RUNS] [-s SEED] FILE...\n", argv[0]);
		return 2;
	}
	seeds = calloc((size_t)nseeds, sizeof(*seeds));
	in = malloc(MAX_INPUT);
	lastfd = open("fuzz-last-input", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (!seeds || !in || lastfd < 0)
		return 1;
	for (int i = 0; i < nseeds; i++) {
		if (read_file(argv[optind + i], &seeds[i]) < 0)
			return 1;
		keep(lastfd, seeds[i].p, seeds[i].n);
		LLVMFuzzerTestOneInput(seeds[i].p, seeds[i].n);
	}
	rng_state = seed * 0x9e3779b97f4a7c15ull | 1;
	for (unsigned long r = 0; r < runs; r++) {
		const struct buf *s = &seeds[below((size_t)nseeds)];
		size_t n = s->n;

		memcpy(in, s->p, n);
		mutate(in, &n, seeds, (size_t)nseeds);
		keep(lastfd, in, n);
		LLVMFuzzerTestOneInput(in, n);
	}
	close(lastfd);
	unlink("fuzz-last-input");
	printf("fuzz-driver: %d seeds, %lu runs (seed %lu): no failure\n", nseeds, runs, seed);
	for (int i = 0; i < nseeds; i++)
		free(seeds[i].p);
	free(seeds);
	free(in);
	return 0;
}
