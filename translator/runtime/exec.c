/* exec.c — execve for the guest. Started by binfmt_misc, the runtime lets
 * the kernel do everything (an x86-64 program comes back through binfmt).
 * Started standalone, it re-enters itself for x86-64 programs and for
 * scripts whose interpreter is one, and lets native programs run
 * natively. /proc/self/exe means the guest's program either way. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define SHEBANG_MAX 256 /* the kernel's BINPRM_BUF_SIZE */

#define EXEC_FLAGS (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)

/* The file execveat(dirfd, path, flags) names, as a path a new process can
 * open (through /proc for a descriptor), in buf; -errno where the kernel
 * refuses the arguments themselves. */
static long exec_path(int dirfd, const char *path, int flags, char *buf, size_t size)
{
	struct stat st;
	if (flags & ~EXEC_FLAGS)
		return -EINVAL;
	if (dirfd != AT_FDCWD && path[0] != '/' && fcntl(dirfd, F_GETFD) < 0)
		return -EBADF;
	if (!*path) {
		if (!(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (dirfd == AT_FDCWD)
			snprintf(buf, size, ".");
		else
			snprintf(buf, size, "/proc/self/fd/%d", dirfd);
		return 0;
	}
	if ((flags & AT_SYMLINK_NOFOLLOW) && !fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISLNK(st.st_mode))
		return -ELOOP;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "/proc/self/fd/%d/%s", dirfd, path);
	return 0;
}

/* execveat is the same call with the same arguments on both hosts; plain
 * execve where it says the same, or where the host has no execveat
 * (qemu-user before 8.0, some sandboxes): then through the path the
 * descriptor has in /proc. */
static long kernel_exec(int dirfd, const char *path, uint64_t argv, uint64_t envp, int flags)
{
	char buf[4200];
	if (dirfd != AT_FDCWD || flags) {
		syscall(SYS_execveat, dirfd, path, argv, envp, flags); /* returns only on failure */
		if (errno != ENOSYS)
			return -errno;
		long r = exec_path(dirfd, path, flags, buf, sizeof buf);
		if (r)
			return r;
		path = buf;
	}
	return syscall(SYS_execve, path, argv, envp) < 0 ? -errno : 0;
}

/* Reads the guest's argv array into a malloc'd vector with `extra` free
 * slots in front; -EFAULT for a bad pointer. */
static long read_argv(uint64_t argv, size_t extra, char ***out, size_t *n)
{
	size_t cap = 16, k = 0;
	char **v = malloc((cap + extra + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	for (uint64_t p = 1; argv;) {
		if (guest_read(&p, argv + 8 * k, 8)) {
			free(v);
			return -EFAULT;
		}
		if (!p)
			break;
		if (k == cap) {
			cap *= 2;
			char **w = realloc(v, (cap + extra + 1) * sizeof *v);
			if (!w) {
				free(v);
				return -ENOMEM;
			}
			v = w;
		}
		v[extra + k++] = (char *)(uintptr_t)p;
	}
	v[extra + k] = NULL;
	*out = v;
	*n = k;
	return 0;
}

static bool is_self(int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(rt_proc.self_path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* What an exec of this file means for us: 1 an x86-64 program to
 * translate, 0 something for the kernel. Fills head with its first bytes. */
static int classify(int dirfd, const char *path, char *head, size_t size, ssize_t *got)
{
	*got = 0;
	if (faccessat(dirfd, path, X_OK, 0))
		return 0;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	*got = pread(fd, head, size, 0);
	int r = *got > 0 && elf_is_x86_64(head, (size_t)*got) && !is_self(fd);
	close(fd);
	return r;
}

bool exec_shebang(char *head, ssize_t got, char **interp, char **arg)
{
	if (got < 3 || head[0] != '#' || head[1] != '!')
		return false;
	char *end = memchr(head, '\n', (size_t)got);
	if (!end)
		end = head + (got < SHEBANG_MAX ? got : SHEBANG_MAX - 1);
	*end = 0;
	char *p = head + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	char *e = end;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	if (!*p)
		return false;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			*arg = p;
	}
	return true;
}

long exec_guest(int dirfd, const char *path, uint64_t argv, uint64_t envp, int flags)
{
	/* The process image goes: its code maps go to the share (not a vfork
	 * child's: its parent's image lives on). */
	if (image_exit && !thread_in_vfork_child())
		image_exit();
	if (proc_classify(path) == PROC_EXE)
		path = rt_proc.exe_path;
	if (rt_proc.binfmt)
		return kernel_exec(dirfd, path, argv, envp, flags);

	char head[SHEBANG_MAX], target[4200], fdarg[16], name[4200];
	ssize_t got;
	char **v, *interp, *arg;
	size_t n, extra;
	long r = exec_path(dirfd, path, flags, target, sizeof target);
	if (r)
		return r;
	/* Named through a descriptor (fexecve, or relative to a directory's):
	 * the guest's may be close-on-exec, so the new runtime gets the
	 * program on a descriptor of its own, named as the kernel names it. */
	bool by_fd = dirfd != AT_FDCWD && path[0] != '/';
	if (by_fd)
		snprintf(name, sizeof name, *path ? "/dev/fd/%d/%s" : "/dev/fd/%d", dirfd, path);
	else
		snprintf(name, sizeof name, "%s", target);
	int fd = -1;
	if (classify(AT_FDCWD, target, head, sizeof head, &got)) {
		/* xlate [-f FD] -0 ARGV0 PATH ARGS... */
		extra = by_fd ? 6 : 4;
		if ((r = read_argv(argv, extra - 1, &v, &n)))
			return r;
		if (by_fd) {
			if ((fd = open(target, O_RDONLY)) < 0) {
				free(v);
				return -errno;
			}
			snprintf(fdarg, sizeof fdarg, "%d", fd);
			v[1] = "-f";
			v[2] = fdarg;
		}
		v[extra - 3] = "-0";
		v[extra - 2] = n ? v[extra - 1] : "";
		v[extra - 1] = name;
	} else if (exec_shebang(head, got, &interp, &arg)) {
		char ihead[SHEBANG_MAX];
		ssize_t igot;
		if (!classify(AT_FDCWD, interp, ihead, sizeof ihead, &igot))
			return kernel_exec(dirfd, path, argv, envp, flags);
		/* The interpreter opens the script by its name: the kernel
		 * refuses one named through a descriptor the exec closes. */
		if (by_fd && (fcntl(dirfd, F_GETFD) & FD_CLOEXEC))
			return -ENOENT;
		/* xlate INTERP [ARG] PATH ARGS[1..] */
		extra = arg ? 4 : 3;
		if ((r = read_argv(argv, extra - 1, &v, &n)))
			return r;
		v[1] = interp;
		if (arg)
			v[2] = arg;
		v[extra - 1] = name;
	} else {
		return kernel_exec(dirfd, path, argv, envp, flags);
	}
	v[0] = (char *)rt_proc.self_path;
	if (!n)
		v[extra] = NULL; /* PATH took the terminator's place */
	RT_DEBUG("exec %s through %s", target, rt_proc.self_path);
	r = kernel_exec(AT_FDCWD, rt_proc.self_path, (uintptr_t)v, envp, 0);
	if (fd >= 0)
		close(fd);
	free(v);
	return r;
}
