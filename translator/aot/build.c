/* build.c — from regions to an image: writes the generated C in chunks into
 * a private work directory (with the headers xlatec carries), compiles the
 * chunks in parallel with the target's C compiler under a CPU-time and an
 * address-space limit each, links them into a shared object and checks it.
 *
 * Determinism: chunk contents and order depend only on the program; the
 * compiler sees the same relative paths every time (-ffile-prefix-map),
 * the link has no build id and no timestamps. A chunk that fails (too big
 * for the limits) is compiled again region by region; regions that still
 * fail are left out (their code runs in the interpreter) and every chunk
 * referring to them is regenerated.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "translator/aot/aot.h"
#include "translator/aot/buildid.h"
#include "translator/aot/xlimage.h"

// clang-format off
static const struct target targets[] = {
	{"x86_64-v1", "x86_64", EM_X86_64, NULL},
	{"aarch64-v1", "aarch64", EM_AARCH64, NULL},
};
// clang-format on

const struct target *target_find(const char *name)
{
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

/* The compiler for a target: --cc, XLATEC_CC_<arch>, the native cc for the
 * host's own architecture, else <arch>-linux-gnu-gcc. */
static const char *compiler(const struct build_opts *o)
{
	char var[64];
	const char *v;
	if (o->cc)
		return o->cc;
	snprintf(var, sizeof var, "XLATEC_CC_%s", o->t->arch);
	if ((v = getenv(var)) && *v)
		return v;
#if defined(__x86_64__)
	if (o->t->machine == EM_X86_64)
		return "cc";
#elif defined(__aarch64__)
	if (o->t->machine == EM_AARCH64)
		return "cc";
#endif
	return o->t->machine == EM_AARCH64 ? "aarch64-linux-gnu-gcc" : "x86_64-linux-gnu-gcc";
}

/* ---- the work directory ---- */

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size) {
		int err = -errno;
		aot_err("%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return err ? err : -EIO;
	}
	if (fclose(f)) {
		aot_err("%s: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

static int mkdirs(char *path)
{
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(path, 0700) && errno != EEXIST) {
			int err = -errno;
			aot_err("%s: %s", path, strerror(errno));
			*s = '/';
			return err;
		}
		*s = '/';
	}
	return 0;
}

static int write_headers(const char *dir)
{
	for (size_t i = 0; i < aot_nheaders; i++) {
		char *path = xasprintf("%s/include/%s", dir, aot_headers[i].path);
		int err = mkdirs(path);
		if (!err)
			err = write_file(path, aot_headers[i].data, aot_headers[i].size);
		free(path);
		if (err)
			return err;
	}
	return 0;
}

static void rm_rf(const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* ---- chunks ---- */

struct chunk {
	uint32_t first, count; /* regions */
	char *c_path, *o_path;
	bool failed;
};

static int write_chunk(const struct program *p, const struct chunk *ch, const bool *excluded)
{
	char *body = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&body, &len), *f;
	uint8_t *used = xcalloc(p->nregions, 1), real_ops[X86_OP_COUNT] = {0};
	int err = 0;

	for (uint32_t i = ch->first; i < ch->first + ch->count; i++)
		if (!excluded[i])
			emit_region(mem, p, p->regions[i], used, real_ops);
	fclose(mem);
	f = fopen(ch->c_path, "w");
	if (!f) {
		err = -errno;
		aot_err("%s: %s", ch->c_path, strerror(errno));
	} else {
		emit_prelude(f);
		emit_decls(f, used, p->nregions, real_ops);
		fwrite(body, 1, len, f);
		if (fclose(f))
			err = -EIO;
	}
	free(body);
	free(used);
	return err;
}

static char **cc_argv(const struct build_opts *o, const char *dir, const char *in, const char *out,
		      int *argc)
{
	static const char *const common[] = {
		"-O2",
		"-std=gnu11",
		"-fPIC",
		"-fno-plt",
		"-fvisibility=hidden",
		"-fno-stack-protector",
		"-fno-asynchronous-unwind-tables",
		"-fno-unwind-tables",
		"-fno-ident",
		"-ffp-contract=off",
		"-fno-math-errno",
		"-w",
		"-c",
	};
	char **v = xcalloc(32, sizeof *v);
	int n = 0;
	v[n++] = xstrdup(compiler(o));
	for (size_t i = 0; i < sizeof common / sizeof *common; i++)
		v[n++] = xstrdup(common[i]);
	if (o->t->machine == EM_AARCH64)
		v[n++] = xstrdup("-mno-outline-atomics");
	v[n++] = xasprintf("-ffile-prefix-map=%s=.", dir);
	v[n++] = xasprintf("-I%s/include", dir);
	v[n++] = xstrdup("-o");
	v[n++] = xstrdup(out);
	v[n++] = xstrdup(in);
	*argc = n;
	return v;
}

static void free_argv(char **v)
{
	for (char **a = v; *a; a++)
		free(*a);
	free(v);
}

/* Runs argv with the job limits; returns the pid or -errno. */
static pid_t spawn(char **argv, const struct build_opts *o, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (o->mem_limit) {
			struct rlimit rl = {o->mem_limit, o->mem_limit};
			setrlimit(RLIMIT_AS, &rl);
		}
		if (o->time_limit) {
			struct rlimit rl = {o->time_limit, o->time_limit + 5};
			setrlimit(RLIMIT_CPU, &rl);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void progress(const struct build_opts *o, size_t done, size_t total)
{
	if (o->progress)
		fprintf(stderr, "\r%s: compiling %zu/%zu", aot_prog, done, total);
}

/* Compiles the chunks with up to o->jobs compilers at once; marks failures. */
static int compile_all(struct chunk *ch, size_t n, const struct build_opts *o, const char *dir)
{
	pid_t *pids = xcalloc(n, sizeof *pids);
	size_t next = 0, running = 0, done = 0;
	unsigned jobs = o->jobs ? o->jobs : 1;
	int err = 0;

	progress(o, 0, n);
	while (done < n) {
		int status;
		pid_t pid;
		while (running < jobs && next < n && !err) {
			int argc;
			char **argv = cc_argv(o, dir, ch[next].c_path, ch[next].o_path, &argc);
			char *log = xasprintf("%s.log", ch[next].c_path);
			pids[next] = spawn(argv, o, log);
			free(log);
			free_argv(argv);
			if (pids[next] < 0) {
				err = (int)pids[next];
				aot_err("fork: %s", strerror(-err));
				break;
			}
			next++;
			running++;
		}
		if (!running)
			break;
		pid = wait(&status);
		if (pid < 0) {
			err = -errno;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (pids[i] == pid) {
				ch[i].failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
				pids[i] = 0;
				running--;
				done++;
				progress(o, done, n);
			}
	}
	if (o->progress)
		fputc('\n', stderr);
	free(pids);
	return err;
}

static void show_log(const struct chunk *ch)
{
	char *log = xasprintf("%s.log", ch->c_path);
	FILE *f = fopen(log, "r");
	char line[512];
	int lines = 0;
	if (f) {
		while (fgets(line, sizeof line, f) && lines++ < 20)
			fprintf(stderr, "  %s", line);
		fclose(f);
	}
	free(log);
}

static int link_image(const struct build_opts *o, const char *dir, struct chunk *ch, size_t n,
		      const char *tables_o, const char *out)
{
	char **v = xcalloc(n + 24, sizeof *v);
	int k = 0, status;
	pid_t pid;
	char *log = xasprintf("%s/link.log", dir);

	v[k++] = xstrdup(compiler(o));
	v[k++] = xstrdup("-shared");
	v[k++] = xstrdup("-nostdlib");
	v[k++] = xstrdup("-Wl,-e,xl_image_header");
	v[k++] = xstrdup("-Wl,-Bsymbolic");
	v[k++] = xstrdup("-Wl,--exclude-libs,ALL");
	v[k++] = xstrdup("-Wl,-z,now");
	v[k++] = xstrdup("-Wl,-z,noexecstack");
	v[k++] = xstrdup("-Wl,--build-id=none");
	v[k++] = xstrdup("-Wl,--hash-style=gnu");
	v[k++] = xstrdup("-s");
	v[k++] = xstrdup("-o");
	v[k++] = xstrdup(out);
	v[k++] = xstrdup(tables_o);
	for (size_t i = 0; i < n; i++)
		v[k++] = xstrdup(ch[i].o_path);
	v[k++] = xstrdup("-lgcc");
	pid = spawn(v, o, log);
	free_argv(v);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		struct chunk l = {.c_path = xasprintf("%s/link", dir)};
		aot_err("linking the image failed:");
		show_log(&l);
		free(l.c_path);
		free(log);
		return -EIO;
	}
	free(log);
	return 0;
}

static int count_reloc(const struct xlimage_reloc *r, void *arg)
{
	++*(size_t *)arg;
	return 0;
}

/* The image as the runtime will see it (xlimage.c does the checking),
 * then sealed with its trailer. */
static int check_image(const char *path, unsigned machine)
{
	uint8_t trailer[XLIMAGE_TRAILER_BYTES];
	struct xlimage_info info;
	const char *why = NULL;
	struct stat st;
	size_t nrel = 0;
	void *file;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0 || fstat(fd, &st)) {
		aot_err("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (file == MAP_FAILED) {
		aot_err("%s: mmap: %s", path, strerror(errno));
		return -EIO;
	}
	rc = xlimage_parse(file, (uint64_t)st.st_size, machine, &info, &why);
	if (!rc)
		rc = xlimage_relocs(file, &info, count_reloc, &nrel, &why);
	if (rc) {
		munmap(file, (size_t)st.st_size);
		aot_err("the linked image is not valid: %s", why);
		return -EINVAL;
	}
	xlimage_seal(file, (uint64_t)st.st_size, trailer);
	munmap(file, (size_t)st.st_size);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, trailer, sizeof trailer) != sizeof trailer || close(fd)) {
		aot_err("%s: cannot seal the image: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

static int compile_one(const struct build_opts *o, const char *dir, struct chunk *c)
{
	struct build_opts one = *o;
	one.jobs = 1;
	one.progress = false;
	return compile_all(c, 1, &one, dir);
}

/* Moves (or, across file systems, copies) the finished image into place. */
static int install(const char *from, const char *to)
{
	char buf[65536];
	ssize_t r = 0;
	int in, out, err = 0;

	if (!rename(from, to))
		return 0;
	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		err = -errno;
	while (!err && (r = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)r) != r)
			err = -EIO;
	if (!err && (r < 0 || fsync(out)))
		err = -EIO;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) && !err)
		err = -EIO;
	if (err)
		aot_err("%s: cannot write: %s", to, strerror(-err));
	return err;
}

static void chunk_paths(struct chunk *c, const char *dir, const char *name)
{
	c->c_path = xasprintf("%s/%s.c", dir, name);
	c->o_path = xasprintf("%s/%s.o", dir, name);
}

/* Compiles each region of the failed chunks alone; marks those that
 * still fail. Returns how many were excluded, or -errno. */
static int isolate_failures(const struct program *p, const struct build_opts *o, const char *dir,
			    struct chunk *ch, size_t nch, bool *excluded)
{
	int nfail = 0;
	for (size_t i = 0; i < nch; i++) {
		if (!ch[i].failed)
			continue;
		aot_err("chunk %zu failed; compiling its %u regions one by one:", i, ch[i].count);
		show_log(&ch[i]);
		for (uint32_t r = ch[i].first; r < ch[i].first + ch[i].count; r++) {
			struct chunk one = {r, 1, NULL, NULL, false};
			char *name = xasprintf("r%u", r);
			int err;
			chunk_paths(&one, dir, name);
			free(name);
			err = write_chunk(p, &one, excluded);
			if (!err)
				err = compile_one(o, dir, &one);
			if (!err && one.failed) {
				aot_err("region at 0x%llx is left to the interpreter",
					(unsigned long long)p->regions[r]->start);
				excluded[r] = true;
				nfail++;
			}
			free(one.c_path);
			free(one.o_path);
			if (err)
				return err;
		}
	}
	return nfail;
}

int build_image(const struct program *p, const struct build_opts *o, const uint8_t key[16],
		const uint8_t sha[32], const char *out_path)
{
	static const uint8_t build_id[16] = XL_BUILD_ID;
	const char *tmp = o->workdir ? o->workdir : getenv("TMPDIR");
	char *dir = xasprintf("%s/xlatec-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	struct chunk *ch = NULL, tab = {0};
	bool *excluded = xcalloc(p->nregions + 1, sizeof *excluded);
	struct program q = *p;
	size_t nch = 0;
	char *so = NULL;
	FILE *f;
	int err, nfail;

	q.entries = NULL;
	if (!mkdtemp(dir)) {
		err = -errno;
		aot_err("%s: %s", dir, strerror(errno));
		free(dir);
		free(excluded);
		return err;
	}
	err = write_headers(dir);
	if (err)
		goto out;

	/* Chunks of about chunk_insns guest instructions, in region order. */
	for (uint32_t i = 0; i < p->nregions;) {
		uint64_t insns = 0;
		char *name = xasprintf("c%04zu", nch);
		ch = xrealloc(ch, (nch + 1) * sizeof *ch);
		memset(&ch[nch], 0, sizeof *ch);
		ch[nch].first = i;
		while (i < p->nregions &&
		       (insns == 0 || insns + p->regions[i]->n <= o->chunk_insns))
			insns += p->regions[i++]->n;
		ch[nch].count = i - ch[nch].first;
		chunk_paths(&ch[nch], dir, name);
		free(name);
		err = write_chunk(p, &ch[nch++], excluded);
		if (err)
			goto out;
	}
	err = compile_all(ch, nch, o, dir);
	if (err)
		goto out;
	nfail = isolate_failures(p, o, dir, ch, nch, excluded);
	if (nfail < 0) {
		err = nfail;
		goto out;
	}
	if (nfail) {
		/* Without the excluded regions' entries, nothing refers to
		 * them: rewrite and compile every chunk again. */
		q.entries = xmalloc((p->nentries + 1) * sizeof *q.entries);
		q.nentries = 0;
		for (size_t i = 0; i < p->nentries; i++)
			if (!excluded[p->entries[i].region])
				q.entries[q.nentries++] = p->entries[i];
		for (size_t i = 0; i < nch && !err; i++)
			err = write_chunk(&q, &ch[i], excluded);
		if (!err)
			err = compile_all(ch, nch, o, dir);
		for (size_t i = 0; i < nch && !err; i++)
			if (ch[i].failed) {
				aot_err("chunk %zu failed again:", i);
				show_log(&ch[i]);
				err = -EIO;
			}
		if (err)
			goto out;
	} else {
		q.entries = p->entries;
	}
	chunk_paths(&tab, dir, "tables");
	f = fopen(tab.c_path, "w");
	if (!f) {
		err = -errno;
		aot_err("%s: %s", tab.c_path, strerror(errno));
		goto out;
	}
	emit_tables(f, &q, build_id, key, sha, p->m->size, o->t->machine, excluded);
	if (fclose(f)) {
		err = -EIO;
		goto out;
	}
	err = compile_one(o, dir, &tab);
	if (!err && tab.failed) {
		aot_err("compiling the image tables failed:");
		show_log(&tab);
		err = -EIO;
	}
	if (err)
		goto out;
	so = xasprintf("%s/image.so", dir);
	err = link_image(o, dir, ch, nch, tab.o_path, so);
	if (!err)
		err = check_image(so, o->t->machine);
	if (!err)
		err = install(so, out_path);
out:
	if (!o->keep)
		rm_rf(dir);
	else
		fprintf(stderr, "%s: work directory kept: %s\n", aot_prog, dir);
	for (size_t i = 0; i < nch; i++) {
		free(ch[i].c_path);
		free(ch[i].o_path);
	}
	if (q.entries != p->entries)
		free(q.entries);
	free(ch);
	free(tab.c_path);
	free(tab.o_path);
	free(so);
	free(dir);
	free(excluded);
	return err;
}
