/* expect.h — recorded expected states (tests/x86/expect/<set>.xexp).
 *
 * Written on an x86-64 host from native runs, replayed anywhere (the
 * aarch64 build under qemu-aarch64). Each variant's cases are stored as
 * the byte differences between the initial state (with "ran to the end"
 * as its fault) and the expected final state; a hash of all the variant's
 * initial states and code detects a changed generator, which would
 * otherwise show up as false mismatches. */
#ifndef XLATE_TESTS_X86_EXPECT_H
#define XLATE_TESTS_X86_EXPECT_H

#include <stdio.h>

#include "tests/x86/harness.h"

struct xexp_variant {
	const char *key;
	unsigned ncases;
	uint64_t hash;	      /* of the cases' initial states and code */
	const uint8_t *cases; /* encoded cases */
	const uint8_t *end;
};

struct xexp {
	uint8_t *data;
	size_t len;
	char vendor[13];
	struct xexp_variant *v;
	size_t nv;
};

/* Hash of n consecutive cases (a variant's), as the file records it. */
uint64_t xexp_hash_cases(const struct snip *s, unsigned n);

int xexp_write_header(FILE *f, const char *vendor);
int xexp_write_variant(FILE *f, const char *key, unsigned ncases, uint64_t hash);
int xexp_write_case(FILE *f, const struct snip *s, const struct snip_state *expect);

/* Loads a file; returns 0, or -errno / -EINVAL (bad format). */
int xexp_load(const char *path, struct xexp *x);
void xexp_free(struct xexp *x);
const struct xexp_variant *xexp_find(const struct xexp *x, const char *key);
/* Decodes the next case of v at *pp into *expect (s is its snippet).
 * Returns 0, or -1 when the data is malformed. */
int xexp_next_case(const struct xexp_variant *v, const uint8_t **pp, const struct snip *s,
		   struct snip_state *expect);

#endif
