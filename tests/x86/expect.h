/* expect.h — recorded expected states (tests/x86/expect/<set>.xexp).
 *
 * Written on an x86-64 host from native runs, replayed anywhere (the
 * aarch64 build under qemu-aarch64). Each variant's cases are stored as
 * the byte differences between the initial state (with "ran to the end"
 * as its fault) and the expected final state, plus a hash of the initial
 * state and code, so a changed generator is detected instead of giving
 * false mismatches. */
#ifndef XLATE_TESTS_X86_EXPECT_H
#define XLATE_TESTS_X86_EXPECT_H

#include <stdio.h>

#include "tests/x86/harness.h"

struct xexp_variant {
	const char *key;
	unsigned ncases;
	const uint8_t *cases; /* encoded cases */
};

struct xexp {
	uint8_t *data;
	size_t len;
	char vendor[13];
	struct xexp_variant *v;
	size_t nv;
};

int xexp_write_header(FILE *f, const char *vendor);
int xexp_write_variant(FILE *f, const char *key, unsigned ncases);
int xexp_write_case(FILE *f, const struct snip *s, const struct snip_state *expect);

/* Loads a file; returns 0, or -errno / -EINVAL (bad format). */
int xexp_load(const char *path, struct xexp *x);
void xexp_free(struct xexp *x);
const struct xexp_variant *xexp_find(const struct xexp *x, const char *key);
/* Decodes the next case at *pp into *expect. Returns 0, or -1 when the
 * recorded case was made from another initial state (stale file). */
int xexp_next_case(const uint8_t **pp, const struct snip *s, struct snip_state *expect);

#endif
