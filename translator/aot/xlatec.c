/* xlatec — the ahead-of-time compiler: an x86-64 ELF module (and the code
 * map of what ran) in, a pretranslated image for a target out.
 *
 *   xlatec [--target T] [--map MAP] [--whole] [-o OUT] [--store DIR] MODULE
 *   xlatec --report [--map MAP] [--whole] MODULE
 *
 * The xlatefs daemon runs it as `xlatec --target T [--map MAP] -o OUT
 * MODULE` (fs/xlatefs.h); by hand, `xlatec --whole MODULE --store DIR`
 * pretranslates a module completely into a local store.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/xlcache.h"
#include "fs/xlatefs.h"
#include "translator/aot/aot.h"
#include "translator/aot/buildid.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] MODULE\n"
		"  --target T        image target (default %s): x86_64-v1, aarch64-v1\n"
		"  --map MAP         code map (xlatefs format): translate what ran\n"
		"  --whole           translate everything discoverable (also with --map)\n"
		"  --map-blocks      of what the map covers, only the blocks that ran and\n"
		"                    their successors (default: the functions that ran)\n"
		"  -o OUT            write the image to OUT\n"
		"  --store DIR       publish the image into the store at DIR\n"
		"  -j N              compiler jobs (default: online CPUs)\n"
		"  --cc CC           C compiler for the target\n"
		"  --time-limit S    CPU seconds per compiler job (default 600, 0: none)\n"
		"  --mem-limit MB    address space per compiler job (default 4096, 0: none)\n"
		"  --chunk N         guest instructions per compiled file (default 3000)\n"
		"  --region-max N    guest instructions per region (default 1000)\n"
		"  --keep            keep the work directory\n"
		"  --report          print what would be lifted (as -v) and stop\n"
		"  -q, --quiet       no progress display\n"
		"  -v, --verbose     say what was found and built\n"
		"  --version         print the translator build id\n",
		aot_prog, XLATEFS_HOST_TARGET);
}

static unsigned long num(const char *opt, const char *s)
{
	char *end;
	unsigned long v;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end) {
		aot_err("%s: not a number: %s", opt, s);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Publishes the finished image file into the store. */
static int publish(const char *store, const char *target, const struct xlc_key *key,
		   const char *path)
{
	struct xlc_store *st;
	int fd, err = xlc_open(store, 0, &st);
	if (err) {
		aot_err("%s: cannot open the store: %s", store, strerror(-err));
		return err;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
	} else {
		err = xlc_publish_fd(st, target, key, fd);
		close(fd);
	}
	if (err)
		aot_err("%s: publishing the image failed: %s", store, strerror(-err));
	xlc_close(st);
	return err;
}

int main(int argc, char **argv)
{
	enum {
		O_TARGET = 256,
		O_MAP,
		O_WHOLE,
		O_BLOCKS,
		O_STORE,
		O_CC,
		O_TIME,
		O_MEM,
		O_CHUNK,
		O_RMAX,
		O_KEEP,
		O_REPORT,
		O_VERSION,
		O_HELP
	};
	static const struct option opts[] = {
		{"target", required_argument, NULL, O_TARGET},
		{"map", required_argument, NULL, O_MAP},
		{"whole", no_argument, NULL, O_WHOLE},
		{"map-blocks", no_argument, NULL, O_BLOCKS},
		{"store", required_argument, NULL, O_STORE},
		{"cc", required_argument, NULL, O_CC},
		{"time-limit", required_argument, NULL, O_TIME},
		{"mem-limit", required_argument, NULL, O_MEM},
		{"chunk", required_argument, NULL, O_CHUNK},
		{"region-max", required_argument, NULL, O_RMAX},
		{"keep", no_argument, NULL, O_KEEP},
		{"report", no_argument, NULL, O_REPORT},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, O_VERSION},
		{"help", no_argument, NULL, O_HELP},
		{0},
	};
	static const uint8_t build_id[16] = XL_BUILD_ID;
	const char *target_name = XLATEFS_HOST_TARGET, *map_path = NULL, *out = NULL, *store = NULL;
	struct build_opts bo = {.time_limit = 600, .mem_limit = 4096ull << 20, .chunk_insns = 3000};
	/* The compiler's time grows faster than the size of a function: a
	 * region of 2000 instructions alone took longer than 5000 in small ones. */
	struct lift_opts lo = {.region_max = 1000};
	struct code_range *map = NULL;
	size_t nmap = 0;
	bool quiet = false, verbose = false, report = false;
	struct module m;
	struct program p;
	struct xlc_key key;
	uint8_t sha[32];
	char *tmp_out = NULL, *workdir = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double t0 = now();
	int c, err;

	bo.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	while ((c = getopt_long(argc, argv, "o:j:qv", opts, NULL)) != -1) {
		switch (c) {
		case O_TARGET: target_name = optarg; break;
		case O_MAP: map_path = optarg; break;
		case O_WHOLE: lo.whole = true; break;
		case O_BLOCKS: lo.blocks = true; break;
		case 'o': out = optarg; break;
		case O_STORE: store = optarg; break;
		case 'j': bo.jobs = (unsigned)num("-j", optarg); break;
		case O_CC: bo.cc = optarg; break;
		case O_TIME: bo.time_limit = (unsigned)num("--time-limit", optarg); break;
		case O_MEM: bo.mem_limit = num("--mem-limit", optarg) << 20; break;
		case O_CHUNK: bo.chunk_insns = (unsigned)num("--chunk", optarg); break;
		case O_RMAX: lo.region_max = (uint32_t)num("--region-max", optarg); break;
		case O_KEEP: bo.keep = true; break;
		case O_REPORT: report = verbose = true; break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case O_VERSION:
			printf("xlatec %s, image ABI %d, translator build ", PACKAGE_VERSION,
			       XLATEFS_IMAGE_ABI);
			for (int i = 0; i < 16; i++)
				printf("%02x", build_id[i]);
			putchar('\n');
			return 0;
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1 || (!out && !store && !report) || !bo.jobs || !lo.region_max ||
	    !bo.chunk_insns) {
		usage(stderr);
		return 2;
	}
	bo.t = target_find(target_name);
	if (!bo.t) {
		aot_err("unknown target %s", target_name);
		return 2;
	}
	bo.progress = !quiet && isatty(STDERR_FILENO);

	if (module_open(argv[optind], &m))
		return 1;
	if (map_path && codemap_read(map_path, &map, &nmap)) {
		module_close(&m);
		return 1;
	}
	lo.map = map;
	lo.nmap = nmap;
	if (!map_path)
		lo.whole = true; /* nothing says what ran: everything */
	err = program_build(&m, &lo, &p);
	if (err) {
		module_close(&m);
		free(map);
		return 1;
	}
	if (verbose)
		fprintf(stderr,
			"%s: %s: %zu function starts, %zu ranges, %zu regions, %zu entries, "
			"%llu instructions\n",
			aot_prog, argv[optind], m.starts.n, m.nranges, p.nregions, p.nentries,
			(unsigned long long)p.ninsns);
	if (report) {
		program_free(&p);
		module_close(&m);
		free(map);
		return 0;
	}
	xlc_key_from_bytes(m.data, m.size, &key);
	xlc_sha256(m.data, m.size, sha);
	if (!out) {
		const char *t = getenv("TMPDIR");
		tmp_out = xasprintf("%s/xlatec-image-%ld", t && *t ? t : "/tmp", (long)getpid());
	} else if (!bo.workdir) {
		/* Work beside the output: the image is renamed into place, and
		 * whoever removes that directory (the daemon, after a job it
		 * stopped at its time limit) removes the work too. */
		const char *slash = strrchr(out, '/');
		workdir = slash ? xasprintf("%.*s", (int)(slash - out + (slash == out)), out)
				: xasprintf(".");
		bo.workdir = workdir;
	}
	err = build_image(&p, &bo, key.b, sha, out ? out : tmp_out);
	if (!err && store)
		err = publish(store, bo.t->name, &key, out ? out : tmp_out);
	if (tmp_out) {
		unlink(tmp_out);
		free(tmp_out);
	}
	free(workdir);
	if (!err && verbose)
		fprintf(stderr, "%s: done in %.1f s\n", aot_prog, now() - t0);
	program_free(&p);
	module_close(&m);
	free(map);
	return err ? 1 : 0;
}
