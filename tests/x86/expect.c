/* expect.c — the expectation file format (see expect.h):
 *   "XLX86EXP2\n", the recording host's CPUID vendor (12 bytes), then per
 *   variant: varint key length, key, varint case count, 8-byte hash of its
 *   cases' initial states and code, and per case: varint run count, runs
 *   of (varint offset from the end of the previous run, varint length,
 *   bytes) over the flattened state. Integers little-endian. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/x86/expect.h"

#define MAGIC	  "XLX86EXP2\n"
#define FLAT_SIZE (16 * 8 + 4 * 8 + SNIP_FX_COMPARED + 4 + 4 + 3 * 8 + SNIP_MEM_SIZE)

static uint8_t *put(uint8_t *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return p + n;
}

/* The state as bytes, in a fixed order both hosts agree on. */
static void flatten(const struct snip_state *st, uint8_t *out)
{
	uint8_t *p = out;
	p = put(p, st->gpr, sizeof st->gpr);
	p = put(p, &st->rip, 8);
	p = put(p, &st->rflags, 8);
	p = put(p, &st->fs_base, 8);
	p = put(p, &st->gs_base, 8);
	p = put(p, st->fx, SNIP_FX_COMPARED);
	p = put(p, &st->fault.signo, 4);
	p = put(p, &st->fault.code, 4);
	p = put(p, &st->fault.addr, 8);
	p = put(p, &st->fault.trapno, 8);
	p = put(p, &st->fault.err, 8);
	put(p, st->mem, SNIP_MEM_SIZE);
}

static void unflatten(const uint8_t *p, struct snip_state *st)
{
	memset(st, 0, sizeof *st);
	memcpy(st->gpr, p, sizeof st->gpr), p += sizeof st->gpr;
	memcpy(&st->rip, p, 8), p += 8;
	memcpy(&st->rflags, p, 8), p += 8;
	memcpy(&st->fs_base, p, 8), p += 8;
	memcpy(&st->gs_base, p, 8), p += 8;
	memcpy(st->fx, p, SNIP_FX_COMPARED), p += SNIP_FX_COMPARED;
	memcpy(&st->fault.signo, p, 4), p += 4;
	memcpy(&st->fault.code, p, 4), p += 4;
	memcpy(&st->fault.addr, p, 8), p += 8;
	memcpy(&st->fault.trapno, p, 8), p += 8;
	memcpy(&st->fault.err, p, 8), p += 8;
	memcpy(st->mem, p, SNIP_MEM_SIZE);
}

/* The state the diff is taken against: the initial one, ended normally. */
static void baseline(const struct snip *s, uint8_t *out)
{
	struct snip_state b = s->init;
	b.rip = s->init.rip + s->len;
	b.fault.signo = 4; /* SIGILL */
	b.fault.code = 2;  /* ILL_ILLOPN */
	b.fault.addr = b.rip;
	b.fault.trapno = 6; /* #UD */
	b.fault.err = 0;
	snip_state_normalize(&b);
	flatten(&b, out);
}

uint64_t xexp_hash_cases(const struct snip *s, unsigned n)
{
	uint8_t flat[FLAT_SIZE];
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned c = 0; c < n; c++) {
		struct snip_state st = s[c].init;
		snip_state_normalize(&st);
		flatten(&st, flat);
		for (size_t i = 0; i < sizeof flat; i++)
			h = (h ^ flat[i]) * 0x100000001b3ull;
		for (unsigned i = 0; i < s[c].len; i++)
			h = (h ^ s[c].code[i]) * 0x100000001b3ull;
	}
	return h;
}

static int put_varint(FILE *f, uint64_t v)
{
	do {
		uint8_t b = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b |= 0x80;
		if (fputc(b, f) == EOF)
			return -1;
	} while (v);
	return 0;
}

/* Reads a varint below `end`; returns -1 past it. */
static int get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	unsigned shift = 0;
	*v = 0;
	do {
		if (p >= end || shift > 63)
			return -1;
		*v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80);
	*pp = p;
	return 0;
}

int xexp_write_header(FILE *f, const char *vendor)
{
	char v[12] = {0};
	memcpy(v, vendor, strnlen(vendor, 12));
	return fwrite(MAGIC, 1, strlen(MAGIC), f) == strlen(MAGIC) && fwrite(v, 1, 12, f) == 12
		       ? 0
		       : -1;
}

int xexp_write_variant(FILE *f, const char *key, unsigned ncases, uint64_t hash)
{
	size_t n = strlen(key);
	if (put_varint(f, n) || fwrite(key, 1, n, f) != n || put_varint(f, ncases) ||
	    fwrite(&hash, 1, 8, f) != 8)
		return -1;
	return 0;
}

int xexp_write_case(FILE *f, const struct snip *s, const struct snip_state *expect)
{
	uint8_t base[FLAT_SIZE], exp[FLAT_SIZE];
	size_t runs = 0, last;

	baseline(s, base);
	flatten(expect, exp);
	/* Runs of differing bytes; gaps under 4 bytes are folded in. */
	for (int pass = 0; pass < 2; pass++) {
		last = 0;
		for (size_t i = 0; i < FLAT_SIZE;) {
			size_t j, k;
			if (base[i] == exp[i]) {
				i++;
				continue;
			}
			for (j = k = i; k < FLAT_SIZE && k - j < 4; k++)
				if (base[k] != exp[k])
					j = k + 1;
			if (pass == 0) {
				runs++;
			} else if (put_varint(f, i - last) || put_varint(f, j - i) ||
				   fwrite(exp + i, 1, j - i, f) != j - i) {
				return -1;
			}
			last = j;
			i = j;
		}
		if (pass == 0 && put_varint(f, runs))
			return -1;
	}
	return 0;
}

int xexp_load(const char *path, struct xexp *x)
{
	FILE *f = fopen(path, "rb");
	const uint8_t *p, *end;
	long len;

	memset(x, 0, sizeof *x);
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	x->data = malloc((size_t)len + 1);
	if (!x->data || fread(x->data, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		xexp_free(x);
		return -EIO;
	}
	fclose(f);
	x->len = (size_t)len;
	if (x->len < strlen(MAGIC) + 12 || memcmp(x->data, MAGIC, strlen(MAGIC)))
		goto bad;
	memcpy(x->vendor, x->data + strlen(MAGIC), 12);
	p = x->data + strlen(MAGIC) + 12;
	end = x->data + x->len;
	while (p < end) {
		struct xexp_variant *nv = realloc(x->v, (x->nv + 1) * sizeof *nv), *v;
		uint64_t klen, n;
		if (!nv)
			goto bad;
		x->v = nv;
		v = &x->v[x->nv++];
		memset(v, 0, sizeof *v);
		if (get_varint(&p, end, &klen) || klen > 1000 || klen > (uint64_t)(end - p))
			goto bad;
		v->key = strndup((const char *)p, klen);
		p += klen;
		if (!v->key || get_varint(&p, end, &n) || end - p < 8)
			goto bad;
		v->ncases = (unsigned)n;
		memcpy(&v->hash, p, 8);
		p += 8;
		v->cases = p;
		for (unsigned i = 0; i < v->ncases; i++) {
			uint64_t runs, skip, rlen;
			if (get_varint(&p, end, &runs))
				goto bad;
			while (runs--) {
				if (get_varint(&p, end, &skip) || get_varint(&p, end, &rlen) ||
				    rlen > (uint64_t)(end - p))
					goto bad;
				p += rlen;
			}
		}
		v->end = p;
	}
	return 0;
bad:
	xexp_free(x);
	return -EINVAL;
}

void xexp_free(struct xexp *x)
{
	for (size_t i = 0; i < x->nv; i++)
		free((char *)x->v[i].key);
	free(x->v);
	free(x->data);
	memset(x, 0, sizeof *x);
}

const struct xexp_variant *xexp_find(const struct xexp *x, const char *key)
{
	for (size_t i = 0; i < x->nv; i++)
		if (!strcmp(x->v[i].key, key))
			return &x->v[i];
	return NULL;
}

int xexp_next_case(const struct xexp_variant *v, const uint8_t **pp, const struct snip *s,
		   struct snip_state *expect)
{
	uint8_t flat[FLAT_SIZE];
	uint64_t runs, skip, n;
	size_t off = 0;
	const uint8_t *p = *pp;

	baseline(s, flat);
	if (get_varint(&p, v->end, &runs))
		return -1;
	while (runs--) {
		if (get_varint(&p, v->end, &skip) || get_varint(&p, v->end, &n) ||
		    n > (uint64_t)(v->end - p) || skip > FLAT_SIZE - off ||
		    n > FLAT_SIZE - off - skip)
			return -1;
		off += skip;
		memcpy(flat + off, p, n);
		p += n;
		off += n;
	}
	*pp = p;
	unflatten(flat, expect);
	return 0;
}
