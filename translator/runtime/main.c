/* main.c — xlate: runs an x86-64 Linux program on this host.
 *
 *   xlate [-0 ARGV0] [--] PROGRAM [ARGS...]      standalone, like qemu-x86_64
 *   xlate -f FD [-0 ARGV0] [--] NAME [ARGS...]   the program open on FD (fexecve)
 *
 * and as the binfmt_misc interpreter, in every form the kernel uses:
 * argv = [interpreter, PATH, ARGS...] (ARGS[0] is the program's own
 * argv[0] when the P flag set AT_FLAGS_PRESERVE_ARGV0), the program open
 * on AT_EXECFD with the O and C flags, and the plain form (F alone). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "config.h"
#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define AT_FLAGS_PRESERVE_ARGV0 1

struct start {
	const char *path;   /* the program to load */
	const char *execfn; /* what it was run as (AT_EXECFN, comm): a script's name */
	int fd;		    /* open on it, or -1 */
	int argc;	    /* the guest's argv */
	char **argv;
	const char *argv0; /* -0: replaces argv[0] */
};

static _Noreturn void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: xlate [-f FD] [-0 ARGV0] [--] PROGRAM [ARGS...]\n"
		"Runs an x86-64 Linux program. XLATE_DEBUG=1 traces what the translator does.\n");
	exit(status);
}

static bool auxv_has(unsigned long type, unsigned long *value)
{
	errno = 0;
	*value = getauxval(type);
	return *value || errno != ENOENT;
}

/* How we were started; fills s and rt_proc.binfmt. */
static void parse_start(int argc, char **argv, struct start *s)
{
	unsigned long execfd, flags = getauxval(AT_FLAGS);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	bool has_fd = auxv_has(AT_EXECFD, &execfd);
	memset(s, 0, sizeof *s);
	s->fd = -1;

	rt_proc.binfmt = has_fd || (flags & AT_FLAGS_PRESERVE_ARGV0) ||
			 (argc >= 2 && execfn && !strcmp(execfn, argv[1]));
	if (rt_proc.binfmt) {
		if (argc < 2)
			usage(126);
		s->path = s->execfn = argv[1];
		s->fd = has_fd ? (int)execfd : -1;
		if ((flags & AT_FLAGS_PRESERVE_ARGV0) && argc >= 3) {
			s->argc = argc - 2;
			s->argv = argv + 2;
		} else {
			s->argc = argc - 1;
			s->argv = argv + 1;
		}
		return;
	}
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-0") && i + 1 < argc) {
			s->argv0 = argv[++i];
		} else if (!strcmp(argv[i], "-f") && i + 1 < argc) {
			char *end;
			long fd = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || fd < 0 || fd > INT_MAX)
				usage(126);
			s->fd = (int)fd;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(0);
		} else if (!strcmp(argv[i], "--version")) {
			printf("xlate %s\n", PACKAGE_VERSION);
			exit(0);
		} else {
			usage(126);
		}
	}
	if (i >= argc)
		usage(126);
	s->path = s->execfn = argv[i];
	s->argc = argc - i;
	s->argv = argv + i;
}

static _Noreturn void fail(const char *path, const char *what, int err)
{
	rt_log("%s: %s%s%s", path, what, err ? ": " : "", err ? strerror(err) : "");
	exit(err == ENOENT ? 127 : 126);
}

/* Standalone `xlate script ARGS`: the kernel's shebang handling, giving
 * argv = [interp, (arg), script, ARGS...]. */
static void resolve_script(struct start *s)
{
	char head[256], *interp, *arg;
	int fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* load_program reports it */
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	if (!exec_shebang(head, n, &interp, &arg))
		return;
	int extra = arg ? 2 : 1;
	char **v = malloc((s->argc + extra + 1) * sizeof *v);
	if (!v || !(v[0] = strdup(interp)) || (arg && !(v[1] = strdup(arg))))
		fail(s->path, "out of memory", ENOMEM);
	v[extra] = (char *)s->path;
	for (int i = 1; i < s->argc; i++)
		v[extra + i] = s->argv[i];
	v[s->argc + extra] = NULL;
	s->execfn = s->path;
	s->path = v[0];
	s->argc += extra;
	s->argv = v;
}

/* An absolute spelling of path (relative to the current directory). */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX], *out;
	if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
		return strdup(path);
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

/* The guest's main stack: RLIMIT_STACK bytes ending at stack_top, or as
 * near as the host allows. */
static uint64_t map_stack(bool exec)
{
	struct rt_layout *l = &rt_layout;
	uint32_t prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0);
	long r = place_anywhere(l->stack_top - l->stack_size, l->stack_size, 0x10000, l->guest_top,
				GUEST_PAGE, host_prot(prot),
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r < 0)
		return 0;
	l->stack_top = (uint64_t)r + l->stack_size;
	gmap_insert(&(struct gmap){
		.start = (uint64_t)r, .end = l->stack_top, .prot = prot, .flags = GMAP_STACK});
	return l->stack_top;
}

static void set_brk(const struct elf_image *exe)
{
	struct rt_layout *l = &rt_layout;
	uint64_t start = PAGE_UP(exe->end);
	if (exe->pie && !exe->interp)
		start = X86_ELF_ET_DYN_BASE; /* a static-pie: the kernel moves brk there */
	if (rt_proc.randomize)
		start += GUEST_PAGE + layout_random(1ull << 30);
	l->brk_start = l->brk_cur = start;
}

static void load_program(struct start *s, struct elf_image *exe, struct elf_image *interp)
{
	const char *why;
	int fd = s->fd >= 0 ? s->fd : open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail(s->path, "cannot open", errno);
	int r = elf_load(fd, s->path, false, exe, &why);
	if (r)
		fail(s->path, why, r == -ENOEXEC ? 0 : -r);
	close(fd);
	if (!exe->interp)
		return;
	int ifd = open(exe->interp, O_RDONLY | O_CLOEXEC);
	if (ifd < 0)
		fail(exe->interp, "cannot open the program's interpreter", errno);
	r = elf_load(ifd, exe->interp, true, interp, &why);
	if (r)
		fail(exe->interp, why, r == -ENOEXEC ? 0 : -r);
	close(ifd);
}

static uint64_t build_stack(const struct start *s, const struct elf_image *exe,
			    const struct elf_image *interp, char **envp)
{
	uint8_t rnd[16] = {0};
	uint64_t pad = 0;
	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		fail(s->path, "no random bytes for AT_RANDOM", errno);
	if (rt_proc.randomize && getrandom(&pad, sizeof pad, 0) == sizeof pad)
		pad = (pad % 8192) & ~15ull;
	struct stack_params p = {
		.argc = s->argc,
		.argv = s->argv,
		.envp = envp,
		.execfn = s->execfn,
		.exe = exe,
		.interp = exe->interp ? interp : NULL,
		.hwcap = identity_hwcap(),
		.hwcap2 = identity_hwcap2(),
		.minsigstksz = identity_minsigstksz(),
		.uid = getauxval(AT_UID),
		.euid = getauxval(AT_EUID),
		.gid = getauxval(AT_GID),
		.egid = getauxval(AT_EGID),
		.secure = rt_proc.secure,
		.clktck = getauxval(AT_CLKTCK),
		.random16 = rnd,
		.align_pad = pad,
	};
	uint64_t top = map_stack(exe->exec_stack);
	if (!top)
		fail(s->path, "no room for the stack", ENOMEM);
	uint64_t sp =
		stack_build(top, rt_layout.stack_size, &p, &rt_proc.auxv, &rt_proc.auxv_bytes);
	if (!sp)
		fail(s->path, "arguments too long", E2BIG);
	return sp;
}

int main(int argc, char **argv, char **envp)
{
	rt_proc.secure = getauxval(AT_SECURE) != 0;
	const char *dbg = rt_proc.secure ? NULL : getenv("XLATE_DEBUG");
	rt_debug_level = dbg && *dbg && strcmp(dbg, "0") ? 1 : 0;
	rt_proc.personality = (unsigned long)personality(0xffffffff);

	struct start s;
	parse_start(argc, argv, &s);
	if (s.argv0)
		s.argv[0] = (char *)s.argv0;
	if (!rt_proc.binfmt && s.fd < 0)
		resolve_script(&s);
	if (layout_init()) {
		rt_log("this host's pages are %lu bytes; xlate needs 4096-byte pages",
		       getauxval(AT_PAGESZ));
		return 126;
	}
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	rt_proc.self_path = rt_proc.binfmt ? argv[0] : absolute(execfn ? execfn : argv[0]);
	char fdpath[32];
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", s.fd);
	char *real = realpath(s.fd >= 0 ? fdpath : s.path, NULL);
	rt_proc.exe_path = real ? real : absolute(s.path);
	rt_proc.argc = s.argc;
	rt_proc.argv = s.argv;

	image_init(rt_proc.secure);
	struct elf_image exe, interp;
	load_program(&s, &exe, &interp);
	uint64_t sp = build_stack(&s, &exe, &interp, envp);
	set_brk(&exe);
	const char *base = strrchr(s.execfn, '/');
	prctl(PR_SET_NAME, base ? base + 1 : s.execfn);
	RT_DEBUG("%s: entry %#llx, stack %#llx, brk %#llx, guest top %#llx", s.path,
		 (unsigned long long)(exe.interp ? interp.entry : exe.entry),
		 (unsigned long long)sp, (unsigned long long)rt_layout.brk_start,
		 (unsigned long long)rt_layout.guest_top);

	signal_init();
	x86_hooks.code_page = codepage_hook;
	static struct cpu cpu;
	x86_cpu_init(&cpu);
	cpu.gpr[X86_RSP] = sp;
	cpu.rip = exe.interp ? interp.entry : exe.entry;
	thread_run(&cpu);
}
