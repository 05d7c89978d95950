/* x86test — the differential test driver.
 *
 *   x86test list    [-s SET] [FILTER]          variants and case counts
 *   x86test check   [-s SET] [-e DIR] [FILTER] native vs interpreter (x86-64);
 *                                              with -e, native vs DIR's records too
 *   x86test record  [-s SET] DIR [FILTER]      write DIR/<set>.xexp from native runs
 *   x86test replay  [-s SET] DIR [FILTER]      interpreter vs DIR's records (any host)
 *   x86test show    [-s SET] FILTER [CASE]     print the states of matching cases
 *
 * FILTER selects variants whose key contains it. Exit status 0 when all
 * compared cases match, 1 on mismatches, 2 on usage or setup errors.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/x86/expect.h"
#include "tests/x86/forms.h"

#define BATCH		2048 /* cases per native child */
#define SHOW_MISMATCHES 3    /* detailed diffs per variant */

enum mode { M_LIST, M_CHECK, M_RECORD, M_REPLAY, M_SHOW };

struct totals {
	unsigned variants, cases, mismatches, stale;
};

static const char *opt_set, *opt_dir, *opt_filter;
static long opt_case = -1;

static char host_vendor[13];

static void vendor_init(void)
{
	snprintf(host_vendor, sizeof host_vendor, "%s",
		 snip_host_is_intel() ? "GenuineIntel" : "other");
}

struct pending {
	struct x86_variant v;
	unsigned first; /* index of its first case in the batch */
	const struct xexp_variant *rec;
	const uint8_t *rec_p;
	unsigned shown;
};

struct run {
	enum mode mode;
	struct x86_form_set *set;
	struct xexp rec;
	bool have_rec;
	bool rec_intel;
	FILE *out;
	struct totals t;
	struct snip *snips;
	struct snip_state *native, *interp;
	struct pending *pend;
	size_t npend, ncase;
};

static struct snip_mask mask_for(const struct x86_variant *v, bool reference_is_intel)
{
	struct snip_mask m = {0, false};
	if (!reference_is_intel)
		m.rflags = x86_variant_undef_flags(v);
	m.x87_ptrs = (v->form->flags & FORM_IGNORE_X87_PTRS) != 0;
	return m;
}

static void flush_batch(struct run *r)
{
	size_t done = 0;
	bool native = r->mode == M_CHECK || r->mode == M_RECORD || r->mode == M_SHOW;
	bool interp = r->mode == M_CHECK || r->mode == M_REPLAY || r->mode == M_SHOW;

	if (!r->ncase)
		return;
#if defined(__x86_64__)
	if (native && snip_native_run(r->snips, r->native, r->ncase, &done) != 0) {
		size_t k = done;
		fprintf(stderr, "x86test: native child died at case %zu of the batch\n", k);
		for (size_t i = 0; i < r->npend; i++)
			if (k >= r->pend[i].first && k < r->pend[i].first + r->pend[i].v.cases)
				fprintf(stderr, "  in %s case %zu\n", r->pend[i].v.key,
					k - r->pend[i].first);
		exit(2);
	}
#else
	(void)done;
	(void)native; /* main() refused the native modes on this host */
#endif
	for (size_t i = 0; interp && i < r->ncase; i++)
		snip_interp_run(&r->snips[i], &r->interp[i]);

	for (size_t pi = 0; pi < r->npend; pi++) {
		struct pending *p = &r->pend[pi];
		if (r->mode == M_RECORD &&
		    xexp_write_variant(r->out, p->v.key, p->v.cases,
				       xexp_hash_cases(&r->snips[p->first], p->v.cases))) {
			perror("x86test: write");
			exit(2);
		}
		for (unsigned c = 0; c < p->v.cases; c++) {
			size_t i = p->first + c;
			const struct snip *s = &r->snips[i];
			char title[256];
			struct snip_state rec;
			int stale = 0;

			snprintf(title, sizeof title, "%s case %u", p->v.key, c);
			if (p->rec)
				stale = xexp_next_case(p->rec, &p->rec_p, s, &rec);
			switch (r->mode) {
			case M_SHOW:
				printf("== %s\n-- initial\n", title);
				snip_print_state(&s->init);
				printf("-- native\n");
				snip_print_state(&r->native[i]);
				printf("-- interpreter\n");
				snip_print_state(&r->interp[i]);
				{
					struct snip_mask m = mask_for(&p->v, snip_host_is_intel());
					snip_compare(s, &r->native[i], &r->interp[i], &m, title);
				}
				break;
			case M_RECORD:
				if (xexp_write_case(r->out, s, &r->native[i])) {
					perror("x86test: write");
					exit(2);
				}
				break;
			case M_CHECK: {
				struct snip_mask m = mask_for(&p->v, snip_host_is_intel());
				bool ok = snip_compare(s, &r->native[i], &r->interp[i], &m,
						       p->shown < SHOW_MISMATCHES ? title : NULL);
				if (!ok) {
					r->t.mismatches++;
					p->shown++;
				}
				if (r->have_rec) {
					struct snip_mask rm = {0, false};
					if (!p->rec || stale ||
					    !snip_compare(s, &rec, &r->native[i], &rm, NULL)) {
						if (!r->t.stale)
							fprintf(stderr,
								"STALE %s: recorded expectation "
								"differs from native\n",
								title);
						r->t.stale++;
					}
				}
				break;
			}
			case M_REPLAY: {
				struct snip_mask m = mask_for(&p->v, r->rec_intel);
				if (!p->rec || stale) {
					if (!r->t.stale)
						fprintf(stderr,
							"STALE %s: no matching recorded case\n",
							title);
					r->t.stale++;
					break;
				}
				if (!snip_compare(s, &rec, &r->interp[i], &m,
						  p->shown < SHOW_MISMATCHES ? title : NULL)) {
					r->t.mismatches++;
					p->shown++;
				}
				break;
			}
			default: break;
			}
			r->t.cases++;
		}
	}
	r->ncase = 0;
	r->npend = 0;
}

static void add_variant(struct run *r, const struct x86_variant *v)
{
	struct pending *p;
	unsigned first = 0, n = v->cases;

	if (r->mode == M_SHOW && opt_case >= 0) {
		first = (unsigned)opt_case;
		n = first < v->cases ? 1 : 0;
	}
	if (r->ncase + n > BATCH)
		flush_batch(r);
	p = &r->pend[r->npend++];
	memset(p, 0, sizeof *p);
	p->v = *v;
	p->v.cases = n;
	p->first = (unsigned)r->ncase;
	if (r->have_rec) {
		p->rec = xexp_find(&r->rec, v->key);
		if (p->rec && p->rec->ncases != v->cases)
			p->rec = NULL;
		if (p->rec)
			p->rec_p = p->rec->cases;
	}
	for (unsigned c = 0; c < n; c++)
		x86_case_make(v, first + c, &r->snips[r->ncase++]);
	/* Records made from other initial states are stale, not wrong. */
	if (p->rec && xexp_hash_cases(&r->snips[p->first], n) != p->rec->hash)
		p->rec = NULL;
	r->t.variants++;
}

static int run_set(enum mode mode, struct x86_form_set *set, struct totals *all)
{
	struct run r;
	char path[4096];

	memset(&r, 0, sizeof r);
	r.mode = mode;
	r.set = set;
	if (opt_dir && (mode == M_CHECK || mode == M_REPLAY)) {
		int rc;
		snprintf(path, sizeof path, "%s/%s.xexp", opt_dir, set->name);
		rc = xexp_load(path, &r.rec);
		if (rc) {
			fprintf(stderr, "x86test: %s: %s (record it: make x86-expect)\n", path,
				strerror(-rc));
			return -1;
		}
		r.have_rec = true;
		r.rec_intel = !strcmp(r.rec.vendor, "GenuineIntel");
	}
	if (mode == M_RECORD) {
		snprintf(path, sizeof path, "%s/%s.xexp", opt_dir, set->name);
		r.out = fopen(path, "wb");
		if (!r.out || xexp_write_header(r.out, host_vendor)) {
			perror(path);
			return -1;
		}
	}
	r.snips = calloc(BATCH, sizeof *r.snips);
	r.native = calloc(BATCH, sizeof *r.native);
	r.interp = calloc(BATCH, sizeof *r.interp);
	r.pend = calloc(BATCH, sizeof *r.pend);
	if (!r.snips || !r.native || !r.interp || !r.pend) {
		fprintf(stderr, "x86test: out of memory\n");
		exit(2);
	}
	for (size_t i = 0; i < set->n; i++) {
		struct x86_variant v[2];
		int n = x86_form_variants(&set->forms[i], v);
		if (n < 0)
			exit(2);
		for (int k = 0; k < n; k++) {
			if (opt_filter && !strstr(v[k].key, opt_filter))
				continue;
			if (v[k].cases > BATCH) {
				fprintf(stderr, "x86test: %s: more than %d cases\n", v[k].key,
					BATCH);
				exit(2);
			}
			if (mode == M_LIST) {
				printf("%6u  %s\n", v[k].cases, v[k].key);
				r.t.variants++;
				r.t.cases += v[k].cases;
				continue;
			}
			add_variant(&r, &v[k]);
		}
	}
	flush_batch(&r);
	if (r.out && fclose(r.out)) {
		perror("x86test: close");
		exit(2);
	}
	if (r.have_rec)
		xexp_free(&r.rec);
	free(r.snips);
	free(r.native);
	free(r.interp);
	free(r.pend);
	printf("set %-6s %5u variants %7u cases %5u mismatches%s", set->name, r.t.variants,
	       r.t.cases, r.t.mismatches, mode == M_LIST ? "\n" : "");
	if (mode == M_CHECK || mode == M_REPLAY)
		printf(" %5u stale\n", r.t.stale);
	else if (mode != M_LIST)
		printf("\n");
	all->variants += r.t.variants;
	all->cases += r.t.cases;
	all->mismatches += r.t.mismatches;
	all->stale += r.t.stale;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: x86test list|check|record|replay|show [-s SET] [-e DIR] [DIR] "
			"[FILTER] [CASE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"list", "check", "record", "replay", "show"};
	struct totals all = {0, 0, 0, 0};
	enum mode mode = M_LIST;
	bool found = false;
	int opt, argi;

	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(argv[1], names[i]))
			mode = (enum mode)i, found = true;
	if (!found)
		return usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "s:e:")) != -1) {
		switch (opt) {
		case 's': opt_set = optarg; break;
		case 'e': opt_dir = optarg; break;
		default: return usage();
		}
	}
	argi = optind;
	if (mode == M_RECORD || mode == M_REPLAY) {
		if (argi >= argc)
			return usage();
		opt_dir = argv[argi++];
	}
	if (argi < argc)
		opt_filter = argv[argi++];
	if (mode == M_SHOW && argi < argc)
		opt_case = strtol(argv[argi++], NULL, 0);
#if !defined(__x86_64__)
	if (mode == M_CHECK || mode == M_RECORD || mode == M_SHOW) {
		fprintf(stderr, "x86test: %s needs native x86-64 execution\n", argv[1]);
		return 2;
	}
#endif
	vendor_init();
	if (mode != M_LIST && mode != M_RECORD)
		snip_interp_setup();
	for (struct x86_form_set *set = x86_form_sets(); set; set = set->next) {
		if (opt_set && strcmp(opt_set, set->name))
			continue;
		if (run_set(mode, set, &all))
			return 2;
	}
	if (mode == M_LIST || mode == M_RECORD)
		return 0;
	printf("total      %5u variants %7u cases %5u mismatches %5u stale\n", all.variants,
	       all.cases, all.mismatches, all.stale);
	return all.mismatches || all.stale ? 1 : 0;
}
