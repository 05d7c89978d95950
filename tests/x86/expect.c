/* expect.c — the expectation file format (see expect.h):
 *   "XLX86EXP1\n", the recording host's CPUID vendor (12 bytes), then per
 *   variant: varint key length, key, varint case count, and per case:
 *   8-byte hash of the initial state and code, varint run count, runs of
 *   (varint offset from the end of the previous run, varint length, bytes)
 *   over the flattened state. Integers little-endian. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/x86/expect.h"

#define MAGIC "XLX86EXP1\n"
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
	b.rip = SNIP_CODE_ADDR + s->len;
	b.fault.signo = 4;  /* SIGILL */
	b.fault.code = 2;   /* ILL_ILLOPN */
	b.fault.addr = b.rip;
	b.fault.trapno = 6; /* #UD */
	b.fault.err = 0;
	snip_state_normalize(&b);
	flatten(&b, out);
}

static uint64_t init_hash(const struct snip *s)
{
	uint8_t flat[FLAT_SIZE];
	uint64_t h = 0xcbf29ce484222325ull;
	struct snip_state st = s->init;
	snip_state_normalize(&st);
	flatten(&st, flat);
	for (size_t i = 0; i < sizeof flat; i++)
		h = (h ^ flat[i]) * 0x100000001b3ull;
	for (unsigned i = 0; i < s->len; i++)
		h = (h ^ s->code[i]) * 0x100000001b3ull;
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

static uint64_t get_varint(const uint8_t **pp)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const uint8_t *p = *pp;
	do {
		v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80);
	*pp = p;
	return v;
}

int xexp_write_header(FILE *f, const char *vendor)
{
	char v[12] = {0};
	memcpy(v, vendor, strnlen(vendor, 12));
	return fwrite(MAGIC, 1, strlen(MAGIC), f) == strlen(MAGIC) && fwrite(v, 1, 12, f) == 12 ? 0
											       : -1;
}

int xexp_write_variant(FILE *f, const char *key, unsigned ncases)
{
	size_t n = strlen(key);
	if (put_varint(f, n) || fwrite(key, 1, n, f) != n || put_varint(f, ncases))
		return -1;
	return 0;
}

int xexp_write_case(FILE *f, const struct snip *s, const struct snip_state *expect)
{
	uint8_t base[FLAT_SIZE], exp[FLAT_SIZE];
	uint64_t h = init_hash(s);
	size_t runs = 0, last;

	baseline(s, base);
	flatten(expect, exp);
	if (fwrite(&h, 1, 8, f) != 8)
		return -1;
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
		uint64_t klen;
		if (!nv)
			goto bad;
		x->v = nv;
		v = &x->v[x->nv++];
		klen = get_varint(&p);
		if (klen > 1000 || p + klen > end)
			goto bad;
		v->key = strndup((const char *)p, klen);
		p += klen;
		v->ncases = (unsigned)get_varint(&p);
		v->cases = p;
		for (unsigned i = 0; i < v->ncases; i++) {
			uint64_t runs;
			p += 8;
			for (runs = get_varint(&p); runs--;) {
				get_varint(&p);
				p += get_varint(&p);
			}
			if (p > end)
				goto bad;
		}
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

int xexp_next_case(const uint8_t **pp, const struct snip *s, struct snip_state *expect)
{
	uint8_t flat[FLAT_SIZE];
	uint64_t h, runs;
	size_t off = 0;
	const uint8_t *p = *pp;
	int rc;

	memcpy(&h, p, 8);
	p += 8;
	rc = h == init_hash(s) ? 0 : -1;
	baseline(s, flat);
	for (runs = get_varint(&p); runs--;) {
		uint64_t skip = get_varint(&p), n = get_varint(&p);
		off += skip;
		if (off + n <= FLAT_SIZE)
			memcpy(flat + off, p, n);
		p += n;
		off += n;
	}
	*pp = p;
	unflatten(flat, expect);
	return rc;
}
