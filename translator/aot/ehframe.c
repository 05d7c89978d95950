/* ehframe.c — function ranges from .eh_frame: every FDE gives the start and
 * length of a piece of code (a function, or its split-off cold part).
 * Only what locating FDEs needs is parsed: CIE augmentation (the 'R'
 * pointer encoding) and each FDE's initial location and range. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "translator/aot/aot.h"

/* DW_EH_PE_* pointer encodings. */
enum {
	PE_ABSPTR = 0x00,
	PE_ULEB = 0x01,
	PE_UDATA2 = 0x02,
	PE_UDATA4 = 0x03,
	PE_UDATA8 = 0x04,
	PE_SLEB = 0x09,
	PE_SDATA2 = 0x0a,
	PE_SDATA4 = 0x0b,
	PE_SDATA8 = 0x0c,
	PE_PCREL = 0x10,
	PE_DATAREL = 0x30,
	PE_OMIT = 0xff,
};

struct cursor {
	const uint8_t *p, *end;
	const uint8_t *base; /* start of the section */
	uint64_t base_vaddr;
	bool bad;
};

static uint64_t rd(struct cursor *c, unsigned n)
{
	uint64_t v = 0;
	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		c->p = c->end;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static uint64_t uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b = (uint8_t)rd(c, 1);
		if (c->bad)
			return 0;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
}

static int64_t sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	do {
		b = (uint8_t)rd(c, 1);
		if (c->bad)
			return 0;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~0ull << shift;
	return (int64_t)v;
}

/* Reads a pointer in encoding `enc`; `range` reads a length (no
 * application bits). Returns false for encodings it cannot resolve. */
static bool encoded(struct cursor *c, uint8_t enc, bool range, uint64_t *out)
{
	uint64_t at = c->base_vaddr + (uint64_t)(c->p - c->base), v;
	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8: v = rd(c, 8); break;
	case PE_ULEB: v = uleb(c); break;
	case PE_UDATA2: v = rd(c, 2); break;
	case PE_UDATA4: v = rd(c, 4); break;
	case PE_SLEB: v = (uint64_t)sleb(c); break;
	case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)rd(c, 2); break;
	case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)rd(c, 4); break;
	default: return false;
	}
	if (c->bad)
		return false;
	if (!range) {
		switch (enc & 0x70) {
		case 0: break;
		case PE_PCREL: v += at; break;
		default: return false; /* datarel and the rest: not used for FDE pointers */
		}
	}
	*out = v;
	return true;
}

/* The FDE pointer encoding of the CIE at `cie`, or PE_OMIT if unusable. */
static uint8_t cie_encoding(const struct cursor *sec, const uint8_t *cie)
{
	struct cursor c = *sec;
	uint64_t len;
	const char *aug;
	uint8_t version, enc = PE_ABSPTR;

	c.p = cie;
	len = rd(&c, 4);
	if (c.bad || len == 0 || len == 0xffffffffu || len > (uint64_t)(c.end - c.p))
		return PE_OMIT;
	c.end = c.p + len;
	if (rd(&c, 4) != 0)
		return PE_OMIT; /* not a CIE */
	version = (uint8_t)rd(&c, 1);
	aug = (const char *)c.p;
	if (!memchr(aug, 0, (size_t)(c.end - c.p)))
		return PE_OMIT;
	c.p += strlen(aug) + 1;
	if (strstr(aug, "eh"))
		rd(&c, 8);
	uleb(&c);
	sleb(&c);
	if (version == 1)
		rd(&c, 1);
	else
		uleb(&c);
	if (aug[0] != 'z')
		return c.bad ? PE_OMIT : PE_ABSPTR;
	uleb(&c);
	for (const char *a = aug + 1; *a && !c.bad; a++) {
		uint64_t dummy;
		switch (*a) {
		case 'R': enc = (uint8_t)rd(&c, 1); break;
		case 'L': rd(&c, 1); break;
		case 'P': {
			uint8_t penc = (uint8_t)rd(&c, 1);
			if (!encoded(&c, penc & 0x7f, false, &dummy))
				return PE_OMIT;
			break;
		}
		case 'S':
		case 'B': break;
		default: return PE_OMIT;
		}
	}
	return c.bad ? PE_OMIT : enc;
}

void ehframe_scan(struct module *m, const uint8_t *sec, size_t size, uint64_t sec_vaddr)
{
	struct cursor c = {sec, sec + size, sec, sec_vaddr, false};

	while (c.p < c.end && !c.bad) {
		const uint8_t *body, *next;
		uint64_t len = rd(&c, 4), id;
		if (c.bad || len == 0)
			break; /* terminator */
		if (len == 0xffffffffu)
			break; /* 64-bit DWARF: compilers do not emit it in .eh_frame */
		if (len > (uint64_t)(c.end - c.p))
			break;
		body = c.p;
		next = body + len;
		id = rd(&c, 4);
		if (id != 0 && id <= (uint64_t)(body - sec)) {
			/* An FDE; its CIE is `id` bytes before the id field. */
			uint8_t enc = cie_encoding(&c, body - id);
			uint64_t start, range;
			struct cursor f = c;
			f.end = next;
			if (enc != PE_OMIT && encoded(&f, enc, false, &start) &&
			    encoded(&f, enc, true, &range))
				module_add_range(m, start, range);
		}
		c.p = next;
	}
}
