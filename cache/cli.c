/* SPDX-License-Identifier: MIT */
/* xlatefs-cache: inspect and maintain an xlatefs image store. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/xlcache.h"

enum { EXIT_OK = 0, EXIT_MISS = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

static const char usage_text[] =
	"Usage: xlatefs-cache [--store DIR] COMMAND [ARGS]\n"
	"Inspect and maintain an xlatefs image store.\n"
	"\n"
	"Commands:\n"
	"  ls                          list entries: TARGET KEY SIZE DISK-BYTES LAST-USE\n"
	"  stat KEY                    show every entry stored under KEY\n"
	"  key FILE                    print FILE's key, as `xxhsum -H2 FILE` does (no store)\n"
	"  put TARGET FILE [--key KEY] publish FILE under TARGET (e.g. aarch64-v1, or 'sources'\n"
	"                              for module sources); KEY defaults to FILE's own key\n"
	"  get TARGET KEY [-o OUT]     write the verified payload to OUT (default: stdout)\n"
	"  rm TARGET KEY               remove an entry\n"
	"  verify                      verify every entry; bad ones are removed\n"
	"  gc [--max-size SIZE]        remove temp files of dead writers; over SIZE, remove\n"
	"                              least recently used entries down to 90% of SIZE\n"
	"  stats [--json]              show the store's counters\n"
	"\n"
	"Options:\n"
	"  -s, --store DIR             the store (default: $XLATEFS_STORE)\n"
	"  -h, --help                  show this help\n"
	"  -V, --version               show the version\n"
	"SIZE is a number of bytes with an optional K, M, G or T suffix (powers of 1024).\n"
	"\n"
	"Exit status: 0 success; 1 miss, not found, or verify found bad entries;\n"
	"2 usage error; 3 any other error.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "xlatefs-cache: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'xlatefs-cache --help'.\n");
	return EXIT_USAGE;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "xlatefs-cache: %s: %s\n", what, strerror(-err));
	return EXIT_ERROR;
}

/* Bytes with an optional K/M/G/T suffix (1024-based), optionally followed by B or iB. */
static int parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	unsigned long long v;
	unsigned shift = 0;
	const char *p;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end && (p = strchr(suffixes, *end & ~0x20))) {
		shift = 10 * (unsigned)(p - suffixes + 1);
		end++;
		if (*end == 'i')
			end++;
	}
	if (*end == 'B')
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static void format_time(const struct timespec *t, char *buf, size_t len)
{
	struct tm tm;
	time_t s = t->tv_sec;

	if (!gmtime_r(&s, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)s);
}

/* ---- ls and stat ---- */

struct listing {
	struct xlc_info *v;
	size_t n, cap;
	const struct xlc_key *only; /* stat: just this key */
};

static int collect(const struct xlc_info *info, void *arg)
{
	struct listing *l = arg;

	if (l->only && !xlc_key_equal(&info->key, l->only))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct xlc_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *info;
	return 0;
}

static int by_target_key(const void *a, const void *b)
{
	const struct xlc_info *x = a, *y = b;
	int c = strcmp(x->target, y->target);

	return c ? c : memcmp(x->key.b, y->key.b, XLC_KEY_BYTES);
}

static int list(struct xlc_store *st, struct listing *l)
{
	int r = xlc_foreach(st, collect, l);

	if (r == 0 && l->n)
		qsort(l->v, l->n, sizeof(*l->v), by_target_key);
	return r;
}

static int cmd_ls(struct xlc_store *st, int argc, char **argv)
{
	struct listing l = {0};
	int r;

	if (argc != 1)
		return usage_error("ls takes no arguments%s", "");
	r = list(st, &l);
	if (r < 0) {
		free(l.v);
		return fail("ls", r);
	}
	for (size_t i = 0; i < l.n; i++) {
		char hex[XLC_KEY_HEX + 1], used[32];

		xlc_key_hex(&l.v[i].key, hex);
		format_time(&l.v[i].atime, used, sizeof(used));
		printf("%-12s %s %10" PRIu64 " %10" PRIu64 " %s\n", l.v[i].target, hex,
		       l.v[i].payload_size, l.v[i].bytes, used);
	}
	free(l.v);
	return EXIT_OK;
}

static void print_sha256(struct xlc_store *st, const struct xlc_key *key)
{
	uint8_t sha[XLC_SHA256_BYTES];

	if (xlc_source_sha256(st, key, sha) < 0)
		return;
	printf("  sha256:    ");
	for (int i = 0; i < XLC_SHA256_BYTES; i++)
		printf("%02x", sha[i]);
	printf("\n");
}

static int cmd_stat(struct xlc_store *st, int argc, char **argv)
{
	struct xlc_key key;
	struct listing l = {.only = &key};
	int r;

	if (argc != 2)
		return usage_error("stat takes one KEY%s", "");
	if (xlc_key_parse(argv[1], &key) < 0)
		return usage_error("not a key (32 lowercase hex digits): %s", argv[1]);
	r = list(st, &l);
	if (r < 0) {
		free(l.v);
		return fail("stat", r);
	}
	if (l.n == 0)
		fprintf(stderr, "xlatefs-cache: %s: not in the store\n", argv[1]);
	for (size_t i = 0; i < l.n; i++) {
		char published[32], used[32];

		format_time(&l.v[i].mtime, published, sizeof(published));
		format_time(&l.v[i].atime, used, sizeof(used));
		printf("%s/%s\n  kind:      %s\n  size:      %" PRIu64 "\n  disk:      %" PRIu64
		       "\n  published: %s\n  last use:  %s\n",
		       l.v[i].target, argv[1], l.v[i].kind == XLC_KIND_SOURCE ? "source" : "image",
		       l.v[i].payload_size, l.v[i].bytes, published, used);
		if (l.v[i].kind == XLC_KIND_SOURCE)
			print_sha256(st, &key);
	}
	r = l.n ? EXIT_OK : EXIT_MISS;
	free(l.v);
	return r;
}

/* ---- key, put, get, rm ---- */

static int cmd_key(int argc, char **argv)
{
	char hex[XLC_KEY_HEX + 1];
	struct xlc_key key;
	int fd, r;

	if (argc != 2)
		return usage_error("key takes one FILE%s", "");
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(argv[1], -errno);
	r = xlc_key_from_fd(fd, &key);
	close(fd);
	if (r < 0)
		return fail(argv[1], r);
	xlc_key_hex(&key, hex);
	printf("%s\n", hex);
	return EXIT_OK;
}

static int check_target(const char *target)
{
	return xlc_target_kind(target) < 0
		       ? usage_error("bad target name: '%s' (1-31 of "
				     "[a-z0-9_.-], starting with a letter or digit)",
				     target)
		       : EXIT_OK;
}

static int cmd_put(struct xlc_store *st, int argc, char **argv)
{
	static const struct option opts[] = {{"key", required_argument, NULL, 'k'}, {0}};
	char hex[XLC_KEY_HEX + 1];
	const char *key_arg = NULL;
	struct xlc_key key;
	int c, fd, r;

	while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (c != 'k')
			return usage_error("put: bad option%s", "");
		key_arg = optarg;
	}
	if (argc - optind != 2)
		return usage_error("put takes TARGET FILE%s", "");
	if ((r = check_target(argv[optind])) != EXIT_OK)
		return r;
	if (key_arg && xlc_key_parse(key_arg, &key) < 0)
		return usage_error("not a key (32 lowercase hex digits): %s", key_arg);
	fd = open(argv[optind + 1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(argv[optind + 1], -errno);
	r = key_arg ? 0 : xlc_key_from_fd(fd, &key);
	if (r == 0)
		r = xlc_publish_fd(st, argv[optind], &key, fd);
	close(fd);
	if (r == -EINVAL)
		fprintf(stderr, "xlatefs-cache: put: a source's key must be its own XXH3-128\n");
	else if (r == -EEXIST)
		fprintf(stderr, "xlatefs-cache: put: a different source is already stored "
				"under this key (refused)\n");
	if (r == -EINVAL || r == -EEXIST)
		return EXIT_ERROR;
	if (r < 0)
		return fail("put", r);
	xlc_key_hex(&key, hex);
	printf("%s\n", hex);
	return EXIT_OK;
}

static int write_full(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_payload(const struct xlc_entry *e, int out)
{
	char buf[65536];
	uint64_t off = e->offset, left = e->size;

	while (left) {
		ssize_t n = pread(e->fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf),
				  (off_t)off);
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		r = write_full(out, buf, (size_t)n);
		if (r)
			return r;
		off += (uint64_t)n;
		left -= (uint64_t)n;
	}
	return 0;
}

static int cmd_get(struct xlc_store *st, int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'}, {0}};
	const char *out_path = NULL;
	struct xlc_entry e;
	struct xlc_key key;
	int c, out = STDOUT_FILENO, r;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o')
			return usage_error("get: bad option%s", "");
		out_path = optarg;
	}
	if (argc - optind != 2)
		return usage_error("get takes TARGET KEY%s", "");
	if ((r = check_target(argv[optind])) != EXIT_OK)
		return r;
	if (xlc_key_parse(argv[optind + 1], &key) < 0)
		return usage_error("not a key (32 lowercase hex digits): %s", argv[optind + 1]);
	r = xlc_lookup(st, argv[optind], &key, &e);
	if (r == -ENOENT) {
		fprintf(stderr, "xlatefs-cache: miss: %s/%s\n", argv[optind], argv[optind + 1]);
		return EXIT_MISS;
	}
	if (r < 0)
		return fail("get", r);
	if (out_path) {
		out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0) {
			r = -errno;
			xlc_entry_close(&e);
			return fail(out_path, r);
		}
	}
	r = copy_payload(&e, out);
	xlc_entry_close(&e);
	if (out_path && close(out) < 0 && !r)
		r = -errno;
	if (r < 0) {
		if (out_path)
			unlink(out_path);
		return fail(out_path ? out_path : "stdout", r);
	}
	return EXIT_OK;
}

static int cmd_rm(struct xlc_store *st, int argc, char **argv)
{
	struct xlc_key key;
	int r;

	if (argc != 3)
		return usage_error("rm takes TARGET KEY%s", "");
	if ((r = check_target(argv[1])) != EXIT_OK)
		return r;
	if (xlc_key_parse(argv[2], &key) < 0)
		return usage_error("not a key (32 lowercase hex digits): %s", argv[2]);
	r = xlc_remove(st, argv[1], &key);
	if (r == -ENOENT) {
		fprintf(stderr, "xlatefs-cache: %s/%s: not in the store\n", argv[1], argv[2]);
		return EXIT_MISS;
	}
	return r < 0 ? fail("rm", r) : EXIT_OK;
}

/* ---- verify, gc, stats ---- */

static void print_bad(const char *path, int err, void *arg)
{
	printf("bad: %s: %s\n", path, err == -EBADMSG ? "corrupt, removed" : strerror(-err));
}

static int cmd_verify(struct xlc_store *st, int argc, char **argv)
{
	struct xlc_verify_result res;
	int r;

	if (argc != 1)
		return usage_error("verify takes no arguments%s", "");
	r = xlc_verify(st, print_bad, NULL, &res);
	if (r < 0)
		return fail("verify", r);
	printf("%" PRIu64 " entries: %" PRIu64 " good, %" PRIu64 " bad; %" PRIu64 " bytes\n",
	       res.entries, res.good, res.bad, res.bytes);
	return res.bad ? EXIT_MISS : EXIT_OK;
}

static int cmd_gc(struct xlc_store *st, int argc, char **argv)
{
	static const struct option opts[] = {{"max-size", required_argument, NULL, 'm'}, {0}};
	struct xlc_evict_result res;
	uint64_t max = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		if (c != 'm')
			return usage_error("gc: bad option%s", "");
		if (parse_size(optarg, &max) < 0)
			return usage_error("bad SIZE: %s", optarg);
	}
	if (optind != argc)
		return usage_error("gc takes no arguments%s", "");
	r = xlc_evict(st, max, 0, &res);
	if (r < 0)
		return fail("gc", r);
	printf("%" PRIu64 " entries, %" PRIu64 " evicted, %" PRIu64 " temp files removed; %" PRIu64
	       " -> %" PRIu64 " bytes\n",
	       res.entries, res.evicted, res.temps_removed, res.bytes_before, res.bytes_after);
	return EXIT_OK;
}

static int cmd_stats(struct xlc_store *st, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {0}};
	struct xlc_stats s;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return usage_error("stats: bad option%s", "");
		json = 1;
	}
	if (optind != argc)
		return usage_error("stats takes no arguments%s", "");
	xlc_stats(st, &s);
	if (json)
		printf("{\"hits\": %" PRIu64 ", \"misses\": %" PRIu64 ", \"publishes\": %" PRIu64
		       ", \"evictions\": %" PRIu64 ", \"corrupt\": %" PRIu64
		       ", \"temps_removed\": %" PRIu64 ", \"bytes\": %" PRIu64 "}\n",
		       s.hits, s.misses, s.publishes, s.evictions, s.corrupt, s.temps_removed,
		       s.bytes);
	else
		printf("hits:          %" PRIu64 "\nmisses:        %" PRIu64
		       "\npublishes:     %" PRIu64 "\nevictions:     %" PRIu64
		       "\ncorrupt:       %" PRIu64 "\ntemps removed: %" PRIu64
		       "\nbytes:         %" PRIu64 "\n",
		       s.hits, s.misses, s.publishes, s.evictions, s.corrupt, s.temps_removed,
		       s.bytes);
	return EXIT_OK;
}

// clang-format off
static const struct command {
	const char *name;
	int (*run)(struct xlc_store *st, int argc, char **argv);
	unsigned open_flags;
} commands[] = {
	{"ls",     cmd_ls,     XLC_RDONLY},
	{"stat",   cmd_stat,   XLC_RDONLY},
	{"put",    cmd_put,    0},
	{"get",    cmd_get,    0},
	{"rm",     cmd_rm,     0},
	{"verify", cmd_verify, 0},
	{"gc",     cmd_gc,     0},
	{"stats",  cmd_stats,  XLC_RDONLY},
};
// clang-format on

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"store", required_argument, NULL, 's'},
					     {"help", no_argument, NULL, 'h'},
					     {"version", no_argument, NULL, 'V'},
					     {0}};
	const char *dir = getenv("XLATEFS_STORE");
	const struct command *cmd = NULL;
	struct xlc_store *st;
	int c, r;

	while ((c = getopt_long(argc, argv, "+s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		case 'V':
			printf("xlatefs-cache (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default: fputs("Try 'xlatefs-cache --help'.\n", stderr); return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return usage_error("no command given%s", "");
	argc -= optind;
	argv += optind;
	optind = 0; /* subcommands parse their own options from argv[1] on */
	if (strcmp(argv[0], "key") == 0)
		return cmd_key(argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd)
		return usage_error("unknown command: %s", argv[0]);
	if (!dir || !*dir)
		return usage_error("no store: give --store DIR or set XLATEFS_STORE%s", "");
	r = xlc_open(dir, cmd->open_flags, &st);
	if (r < 0) {
		fprintf(stderr, "xlatefs-cache: cannot open store %s: %s\n", dir,
			r == -EPROTO ? "not an xlatefs store of format 1" : strerror(-r));
		return EXIT_ERROR;
	}
	r = cmd->run(st, argc, argv);
	xlc_close(st);
	return r;
}
