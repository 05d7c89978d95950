/* rosetta-double.c — TEST DOUBLE for xlate, served as `rosetta` by the VM
 * infrastructure test until the real share and translator are used. It is
 * started by binfmt_misc exactly as xlate is (argv = [interpreter, PATH,
 * ARGS...], the original argv[0] in ARGS[0] with the P flag, the program
 * open on AT_EXECFD with C/O) and runs the x86-64 program natively: it
 * copies the program to a memfd, stamps EI_ABIVERSION = 1 so the x86-64
 * binfmt entry does not catch it again, and executes that.
 * It appends "PATH ARGV0" to /run/rosetta-double.log (when it can) so the
 * test sees that the kernel went through the share.
 * It translates nothing: it only proves the plumbing (virtiofs, binfmt
 * flags, argv, containers) around the real translator. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define AT_FLAGS_PRESERVE_ARGV0 1

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "rosetta-double: %s %s: %s\n", what, path, strerror(errno));
	return 126;
}

/* A memfd holding the program's bytes, stamped with EI_ABIVERSION = 1. */
static int stamped_copy(int src)
{
	struct stat st;
	unsigned char one = 1;
	int fd = memfd_create("rosetta-double", MFD_CLOEXEC);
	if (fd < 0 || fstat(src, &st) < 0)
		return -1;
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0)
			return -1;
	}
	if (pwrite(fd, &one, 1, EI_ABIVERSION) != 1)
		return -1;
	return fd;
}

static void log_run(const char *path, const char *argv0)
{
	FILE *f = fopen("/run/rosetta-double.log", "a");
	if (f) {
		fprintf(f, "%s %s\n", path, argv0);
		fclose(f);
	}
}

int main(int argc, char **argv, char **envp)
{
	unsigned long flags = getauxval(AT_FLAGS);
	errno = 0;
	unsigned long execfd = getauxval(AT_EXECFD);
	int has_fd = execfd || errno != ENOENT;
	if (argc < 2) {
		fprintf(stderr, "usage: rosetta-double PROGRAM [ARGS...] (a binfmt_misc test double)\n");
		return 2;
	}
	const char *path = argv[1];
	char **args = argv + 1;
	if ((flags & AT_FLAGS_PRESERVE_ARGV0) && argc >= 3)
		args = argv + 2;
	int src = has_fd ? (int)execfd : open(path, O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return fail("cannot open", path);
	int fd = stamped_copy(src);
	if (fd < 0)
		return fail("cannot copy", path);
	close(src);
	log_run(path, args[0]);
	fexecve(fd, args, envp);
	return fail("cannot execute", path);
}
