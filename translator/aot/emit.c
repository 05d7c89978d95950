/* emit.c — C for regions, written with the macros of xlrt.h, and the image
 * tables. Generated C holds guest bytes only as numbers: instructions
 * become `static const struct x86_insn` literals of decoded fields. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "translator/aot/aot.h"
#include "translator/aot/xlimage.h"

/* The instruction at `off` in region rg, or -1. */
static int insn_at(const struct region *rg, uint64_t off)
{
	return dinsn_index(rg->insn, rg->n, off);
}

static void put_literal(FILE *f, const struct x86_insn *in)
{
	fprintf(f, "{.op = %u, .len = %u, .nopnd = %u, .opsize = %u, .addrsize = %u", in->op,
		in->len, in->nopnd, in->opsize, in->addrsize);
	if (in->prefix)
		fprintf(f, ", .prefix = %u", in->prefix);
	fprintf(f, ", .seg = %u", in->seg);
	if (in->cond)
		fprintf(f, ", .cond = %u", in->cond);
	if (in->vex_l)
		fprintf(f, ", .vex_l = %u", in->vex_l);
	fprintf(f, ", .mem_base = %u, .mem_index = %u, .mem_scale = %u", in->mem_base,
		in->mem_index, in->mem_scale);
	if (in->imm2)
		fprintf(f, ", .imm2 = %u", in->imm2);
	if (in->disp)
		fprintf(f, ", .disp = (int64_t)0x%" PRIx64 "ull", (uint64_t)in->disp);
	if (in->imm)
		fprintf(f, ", .imm = (int64_t)0x%" PRIx64 "ull", (uint64_t)in->imm);
	fputs(", .opnd = {", f);
	for (unsigned i = 0; i < 4; i++)
		fprintf(f, "%s{%u, %u, %u}", i ? ", " : "", in->opnd[i].kind, in->opnd[i].size,
			in->opnd[i].reg);
	fputs("}}", f);
}

static const char *const flag_names[7] = {"cf", "pf", "af", "zf", "sf", "of", "df"};

/* Writes the fields of mask (ST_*) back to the real cpu: the region's
 * synchronisation at a point where the local copy may differ in mask. */
static void put_sync(FILE *f, const struct region *rg, uint32_t mask)
{
	static const struct {
		uint32_t st;
		uint8_t cl;
		const char *fields;
	} classes[] = {
		{ST_MISC, 0, "XL_MISC"},
		{ST_SSE, CL_SSE, "XL_SSE_R"},
		{ST_AVX, CL_AVX, "XL_AVX_R"},
		{ST_X87, CL_X87, "XL_X87"},
	};
	for (unsigned r = 0; r < 16; r++)
		if (mask & (1u << r))
			fprintf(f, " XL_PUT(gpr[%u])", r);
	/* The region's copy holds only its classes (the others are never
	 * loaded, nor written). */
	for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
		if ((mask & classes[i].st) && (!classes[i].cl || (rg->classes & classes[i].cl)))
			fprintf(f, " %s(XL_PUT)", classes[i].fields);
	for (unsigned i = 0; i < 7; i++)
		if (mask & ST_FLAGS(1u << i))
			fprintf(f, " XL_PUT(%s)", flag_names[i]);
}

/* Flags observable at the start of instruction k. */
static uint8_t live_in(const struct region *rg, uint32_t k)
{
	const struct effects *e = &rg->insn[k]->fx;
	return (uint8_t)((e->may_fault ? FL_ALL : 0) | e->flags_read |
			 (rg->live_out[k] & ~e->flags_kill));
}

struct ctx {
	FILE *f;
	const struct program *p;
	const struct region *rg;
	uint8_t *used;	   /* regions referenced (declared before the body) */
	uint8_t *real_ops; /* ops run out of line (XL_REAL_FN before the body) */
	bool jumps;	   /* an XL_JUMP was written (XL_JUMP_TARGETS follows) */
};

/* A synchronising macro call (an exit, or a poll): HEAD (printf-style, up
 * to the last argument), then the synchronisation of `dirty`. */
static void __attribute__((format(printf, 3, 4)))
put_exit(struct ctx *c, uint32_t dirty, const char *head, ...)
{
	va_list ap;
	fputc('\t', c->f);
	va_start(ap, head);
	vfprintf(c->f, head, ap);
	va_end(ap);
	put_sync(c->f, c->rg, dirty);
	fputs(");\n", c->f);
}

/* Control goes from instruction `from` (offset), after which the local
 * copy may differ in `dirty`, to guest offset t. */
static void transfer(struct ctx *c, uint64_t from, uint32_t dirty, uint64_t t)
{
	const struct entry_ref *e;
	int k = insn_at(c->rg, t);
	if (k >= 0 && c->rg->insn[k]->fx.ctl != CTL_STOP) {
		if (t <= from) {
			/* Only the flags the loop head may observe must be exact. */
			put_exit(c, dirty & (ST_STATE | ST_FLAGS(live_in(c->rg, (uint32_t)k))),
				 "XL_POLL(0x%" PRIx64 ",", t);
		}
		fprintf(c->f, "\tgoto L%" PRIx64 ";\n", t);
		return;
	}
	e = program_entry(c->p, t);
	if (e) {
		c->used[e->region] = 1;
		put_exit(c, dirty, "XL_TAIL(0x%" PRIx64 ", R%u, %u,", t, e->region, e->index);
	} else {
		put_exit(c, dirty, "XL_OUT(B + 0x%" PRIx64 ", XL_NEXT,", t);
	}
}

static void put_insn(struct ctx *c, const char *macro, const struct dinsn *d)
{
	fprintf(c->f, "\t%s(0x%" PRIx64 ", %s, ", macro, d->off, x86_op_name(d->in.op));
	put_literal(c->f, &d->in);
	fputs(");\n", c->f);
}

/* A call's continuation: a label of this region, or none. */
static bool has_label(const struct region *rg, uint64_t off)
{
	int k = insn_at(rg, off);
	return k >= 0 && rg->leader[k] && rg->insn[k]->fx.ctl != CTL_STOP &&
	       rg->insn[k]->fx.ctl != CTL_TRAP;
}

static void emit_call(struct ctx *c, const struct dinsn *d, uint64_t next, uint32_t dirty)
{
	const struct entry_ref *e;
	bool label = has_label(c->rg, next);

	put_insn(c, "XL_I", d);
	if (d->fx.ctl == CTL_CALL) {
		e = program_entry(c->p, effects_target(&d->in, d->off));
		if (!e) {
			put_exit(c, dirty, "XL_OUT(F.c.rip, XL_NEXT,");
			return;
		}
		c->used[e->region] = 1;
		if (label)
			put_exit(c, dirty, "XL_CALL(0x%" PRIx64 ", L%" PRIx64 ", R%u, %u,", next,
				 next, e->region, e->index);
		else
			put_exit(c, dirty, "XL_TAIL(0x%" PRIx64 ", R%u, %u,",
				 effects_target(&d->in, d->off), e->region, e->index);
	} else if (label) {
		put_exit(c, dirty, "XL_CALL_IND(0x%" PRIx64 ", L%" PRIx64 ",", next, next);
	} else {
		put_exit(c, dirty, "XL_JUMP(");
		c->jumps = true;
	}
}

/* Whether instruction k begins a basic block (for XL_COUNT). */
static bool block_start(const struct region *rg, uint32_t k)
{
	const struct dinsn *p = k ? rg->insn[k - 1] : NULL;
	return !p || rg->leader[k] || p->fx.ctl != CTL_NONE ||
	       p->off + p->in.len != rg->insn[k]->off;
}

/* The instructions of the basic block at k that run translated (the
 * interpreter runs and counts CTL_STOP and CTL_TRAP ones). */
static uint32_t block_insns(const struct region *rg, uint32_t k)
{
	uint32_t n = 0;
	for (uint32_t j = k; j < rg->n && (j == k || !block_start(rg, j)); j++)
		if (rg->insn[j]->fx.ctl != CTL_STOP && rg->insn[j]->fx.ctl != CTL_TRAP)
			n++;
	return n;
}

static void emit_insn(struct ctx *c, uint32_t k)
{
	const struct region *rg = c->rg;
	const struct dinsn *d = rg->insn[k];
	uint64_t next = d->off + d->in.len, t;
	/* What the local copy may hold unsynchronised after the instruction. */
	uint32_t dirty = region_dirty_after(rg, k);
	bool falls = false;

	if (rg->leader[k])
		fprintf(c->f, "L%" PRIx64 ":;\n", d->off);
	if (block_start(rg, k) && (t = block_insns(rg, k)))
		fprintf(c->f, "\tXL_COUNT(%" PRIu64 ");\n", t);
	switch (d->fx.ctl) {
	case CTL_STOP:
	case CTL_TRAP:
		/* The interpreter runs it (and raises what it raises). */
		put_exit(c, rg->dirty[k], "XL_OUT(B + 0x%" PRIx64 ", XL_NEXT,", d->off);
		return;
	case CTL_SYSCALL:
		c->real_ops[X86_OP_SYSCALL] = 1;
		fprintf(c->f, "\tXL_REAL(0x%" PRIx64 ", %u, SYSCALL,", d->off, d->in.len);
		put_sync(c->f, rg, rg->dirty[k]);
		fputs(", ", c->f);
		put_literal(c->f, &d->in);
		fprintf(c->f, ");\n\treturn (struct xl_exit){B + 0x%" PRIx64 ", XL_SYSCALL};\n",
			next);
		return;
	case CTL_NONE:
		if (d->fx.on_real) {
			c->real_ops[d->in.op] = 1;
			fprintf(c->f, "\tXL_REAL(0x%" PRIx64 ", %u, %s,", d->off, d->in.len,
				x86_op_name(d->in.op));
			put_sync(c->f, rg, rg->dirty[k]);
			fputs(", ", c->f);
			put_literal(c->f, &d->in);
			fputs(");\n", c->f);
		} else {
			put_insn(c, "XL_I", d);
			if (d->fx.stores) {
				/* A synchronisation point (xlimage.h, "Faults"):
				 * all but what stays dirty after it. */
				fputc('\t', c->f);
				put_sync(c->f, rg, (rg->dirty[k] | d->fx.writes) & ~dirty);
				fprintf(c->f, " XL_RIP(B + 0x%" PRIx64 ");\n", next);
			}
		}
		falls = true;
		break;
	case CTL_JMP: transfer(c, d->off, dirty, effects_target(&d->in, d->off)); return;
	case CTL_JCC:
	case CTL_COND:
		t = effects_target(&d->in, d->off);
		if (d->in.op == X86_OP_JCC && t >= c->p->m->lo && t < c->p->m->hi) {
			/* Just the condition: a target in the module is canonical
			 * (JCC would check), and nothing after reads rip. */
			fprintf(c->f, "\tif (XL_COND(%u)) {\n", d->in.cond);
		} else {
			put_insn(c, "XL_I", d);
			fprintf(c->f, "\tif (F.c.rip == B + 0x%" PRIx64 ") {\n", t);
		}
		transfer(c, d->off, dirty, t);
		fputs("\t}\n", c->f);
		falls = true;
		break;
	case CTL_CALL:
	case CTL_CALL_IND: emit_call(c, d, next, dirty); return;
	case CTL_JMP_IND:
		put_insn(c, "XL_I", d);
		put_exit(c, dirty, "XL_JUMP(");
		c->jumps = true;
		return;
	case CTL_RET:
		put_insn(c, "XL_I", d);
		put_exit(c, dirty, "XL_OUT(F.c.rip, XL_NEXT,");
		return;
	}
	if (falls && !(k + 1 < rg->n && rg->insn[k + 1]->off == next))
		transfer(c, d->off, dirty, next);
}

/* The region's vector registers of array a (xlrt.h XL_V2). */
static void put_vregs(FILE *f, const char *name, const char *a, uint16_t regs, const char *extra)
{
	fprintf(f, "#define %s(X)", name);
	for (unsigned i = 0; i < 16; i++)
		if (regs & (1u << i))
			fprintf(f, " XL_V2(X, %s, %u)", a, i);
	fprintf(f, "%s\n", extra);
}

/* XL_STATE: the fields the region's copy holds (its classes, and of the
 * vector registers only those its instructions name: copying all sixteen
 * in and out would cost more than most regions' work). */
static void put_state(FILE *f, const struct region *rg)
{
	if (rg->classes & CL_SSE)
		put_vregs(f, "XL_SSE_R", "xmm", rg->xmm, " X(mxcsr)");
	if (rg->classes & CL_AVX)
		put_vregs(f, "XL_AVX_R", "ymmh", rg->xmm, "");
	fputs("#define XL_STATE(X) XL_GPR(X) XL_MISC(X)", f);
	if (rg->classes & CL_SSE)
		fputs(" XL_SSE_R(X)", f);
	if (rg->classes & CL_AVX)
		fputs(" XL_AVX_R(X)", f);
	if (rg->classes & CL_X87)
		fputs(" XL_X87(X)", f);
	fputc('\n', f);
}

void emit_region(FILE *f, const struct program *p, const struct region *rg, uint8_t *used,
		 uint8_t *real_ops)
{
	struct ctx c = {f, p, rg, used, real_ops, false};

	put_state(f, rg);
	fprintf(f,
		"XL_REGION(R%u)\n{\n\tXL_BEGIN();\nxl_enter: __attribute__((unused));\n"
		"\tswitch (xl_entry) {\n",
		rg->id);
	for (uint32_t k = 0; k < rg->n; k++)
		if (rg->entry[k])
			fprintf(f, "\tcase %u: goto L%" PRIx64 ";\n", rg->entry[k] - 1,
				rg->insn[k]->off);
	fputs("\tdefault: __builtin_unreachable();\n\t}\n", f);
	for (uint32_t k = 0; k < rg->n; k++)
		emit_insn(&c, k);
	if (c.jumps)
		fprintf(f, "\tXL_JUMP_TARGETS(R%u)\n", rg->id);
	fputs("}\n#undef XL_STATE\n#undef XL_SSE_R\n#undef XL_AVX_R\n\n", f);
}

void emit_prelude(FILE *f)
{
	fputs("/* Generated by xlatec from a guest module: do not edit. */\n"
	      "#include \"translator/aot/xlrt.h\"\n\n",
	      f);
}

void emit_decls(FILE *f, const uint8_t *used, size_t nregions, const uint8_t *real_ops)
{
	for (size_t i = 0; i < nregions; i++)
		if (used[i])
			fprintf(f, "XL_REGION(R%zu);\n", i);
	for (unsigned op = 0; op < X86_OP_COUNT; op++)
		if (real_ops[op])
			fprintf(f, "XL_REAL_FN(%s)\n", x86_op_name(op));
	fputc('\n', f);
}

static void put_bytes(FILE *f, const uint8_t *b, size_t n)
{
	fputc('{', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? ", " : "", b[i]);
	fputc('}', f);
}

/* xl_hash (xlrt.h): the entries of the regions the image keeps, by
 * offset, in a table at most half full, filled in entry order (so the
 * same program gives the same table). */
static void emit_hash(FILE *f, const struct program *p, const bool *excluded)
{
	size_t n = 0, size = 2;
	int64_t *slot;

	for (size_t i = 0; i < p->nentries; i++)
		n += !excluded[p->entries[i].region];
	while (size < 2 * n)
		size *= 2;
	slot = xmalloc(size * sizeof *slot);
	for (size_t i = 0; i < size; i++)
		slot[i] = -1;
	for (size_t i = 0; i < p->nentries; i++) {
		uint32_t h;
		if (excluded[p->entries[i].region])
			continue;
		h = xl_hash_slot(p->entries[i].off, (uint32_t)(size - 1));
		while (slot[h] >= 0)
			h = (h + 1) & (uint32_t)(size - 1);
		slot[h] = (int64_t)i;
	}
	fputs("const struct xl_hent xl_hash[] = {\n", f);
	for (size_t i = 0; i < size; i++) {
		const struct entry_ref *e = slot[i] < 0 ? NULL : &p->entries[slot[i]];
		if (e)
			fprintf(f, "\t{0x%" PRIx64 ", %u, R%u},\n", e->off, e->index, e->region);
		else
			fputs("\t{0, 0, 0},\n", f);
	}
	fprintf(f,
		"};\nconst uint32_t xl_hash_mask = %zu;\nconst uint64_t xl_module_end = %" PRIu64
		"ull;\n\n",
		size - 1, p->m->hi);
	free(slot);
}

void emit_tables(FILE *f, const struct program *p, const uint8_t build_id[16],
		 const uint8_t key[16], const uint8_t sha[32], uint64_t module_size,
		 unsigned machine, const bool *excluded)
{
	emit_prelude(f);
	for (size_t i = 0; i < p->nregions; i++)
		if (!excluded[i])
			fprintf(f, "XL_REGION(R%zu);\n", i);
	fputs("\nstatic const struct xlimage_region xl_regions[] = {\n", f);
	for (size_t i = 0; i < p->nregions; i++)
		if (excluded[i])
			fputs("\t{0},\n", f);
		else
			fprintf(f, "\t{R%zu},\n", i);
	fputs("};\n\nstatic const struct xlimage_entry xl_entries[] = {\n", f);
	for (size_t i = 0; i < p->nentries; i++)
		fprintf(f, "\t{0x%" PRIx64 ", %u, %u},\n", p->entries[i].off, p->entries[i].region,
			p->entries[i].index);
	fputs("};\n\n", f);
	emit_hash(f, p, excluded);
	/* The linker names the count sites' section (__start_, __stop_); one
	 * site that never runs keeps the section there in every image. */
	fputs("uint64_t xl_bias;\nuint64_t xl_counted[2];\n"
	      "extern const struct xlimage_site __start_xl_count_sites[], "
	      "__stop_xl_count_sites[];\n"
	      "static __attribute__((used)) void xl_count_anchor(void)\n{\n\tXL_COUNT(0);\n}\n\n"
	      "const struct xlimage_header xl_image_header = {\n"
	      "\t.magic = XLIMAGE_MAGIC,\n"
	      "\t.abi = XLIMAGE_ABI,\n"
	      "\t.header_size = sizeof(struct xlimage_header),\n"
	      "\t.build_id = ",
	      f);
	put_bytes(f, build_id, 16);
	fputs(",\n\t.key = ", f);
	put_bytes(f, key, 16);
	fputs(",\n\t.sha256 = ", f);
	put_bytes(f, sha, 32);
	fprintf(f,
		",\n\t.module_size = %" PRIu64 "ull,\n"
		"\t.machine = %u,\n"
		"\t.nregions = %zu,\n"
		"\t.nentries = %zu,\n"
		"\t.ninsns = %" PRIu64 ",\n"
		"\t.regions = xl_regions,\n"
		"\t.entries = xl_entries,\n"
		"\t.bias = &xl_bias,\n"
		"\t.counted = xl_counted,\n"
		"\t.sites = __start_xl_count_sites,\n"
		"\t.sites_end = __stop_xl_count_sites,\n};\n",
		module_size, machine, p->nregions, p->nentries, p->ninsns);
}
