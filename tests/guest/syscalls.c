/* syscalls.c — x86-64 system calls whose numbers, structures or flag
 * values differ on an aarch64 host, made directly (not through libc,
 * which would pick the modern *at / 2 / p forms): the legacy calls
 * aarch64 lacks (open, stat, lstat, access, pipe, dup2, poll, select,
 * epoll_wait, getdents, fork, mkdir, rename, link, symlink, readlink,
 * chmod, unlink, rmdir, time), the structures whose layout differs
 * (stat, statfs, epoll_event, sigaction, linux_dirent) and the open
 * flags whose values differ (O_DIRECTORY, O_NOFOLLOW, O_LARGEFILE).
 * Prints values a native run prints the same way every time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The kernel's x86-64 struct sigaction (not glibc's). */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* struct linux_dirent of getdents: the type is the record's last byte. */
struct old_dirent {
	unsigned long ino, off;
	unsigned short reclen;
	char name[];
};

/* F_GETFL shows O_LARGEFILE (x86-64 value 0100000; the kernel forces it
 * on 64-bit opens). qemu-user, which plays the aarch64 host in the tests,
 * drops it (its x86-64 host headers define O_LARGEFILE as 0), so it is
 * masked; a real arm64 kernel reports it and the ABI layer maps it. */
static long getfl(long fd)
{
	long r = syscall(SYS_fcntl, fd, F_GETFL);
	return r < 0 ? -errno : r & ~0100000l;
}

static void say(const char *what, long v)
{
	printf("%-36s %ld\n", what, v);
}

static long sys(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e, 0);
	return r == -1 ? -errno : r;
}

#define S(nr, ...) sys(nr, __VA_ARGS__)
#define L(p)	   ((long)(uintptr_t)(p))

static void files(void)
{
	say("mkdir", S(SYS_mkdir, L("d"), 0755, 0, 0, 0));
	say("mkdir again", S(SYS_mkdir, L("d"), 0755, 0, 0, 0));
	long fd = S(SYS_open, L("d/f"), O_WRONLY | O_CREAT | O_EXCL, 0640, 0, 0);
	say("open O_CREAT", fd >= 0);
	say("write", S(SYS_write, fd, L("hello, world\n"), 13, 0, 0));
	say("close", S(SYS_close, fd, 0, 0, 0, 0));
	say("open missing", S(SYS_open, L("d/none"), O_RDONLY, 0, 0, 0));
	say("chmod", S(SYS_chmod, L("d/f"), 0604, 0, 0, 0));
	say("link", S(SYS_link, L("d/f"), L("d/g"), 0, 0, 0));
	say("symlink", S(SYS_symlink, L("f"), L("d/s"), 0, 0, 0));
	char buf[64] = "";
	say("readlink", S(SYS_readlink, L("d/s"), L(buf), sizeof buf, 0, 0));
	printf("readlink gives %s\n", buf);
	say("rename", S(SYS_rename, L("d/g"), L("d/h"), 0, 0, 0));
	say("access R_OK", S(SYS_access, L("d/h"), R_OK, 0, 0, 0));
	say("access X_OK", S(SYS_access, L("d/h"), X_OK, 0, 0, 0) == -EACCES || getuid() == 0);

	struct stat st, lst, fst;
	say("stat", S(SYS_stat, L("d/s"), L(&st), 0, 0, 0));
	say("lstat", S(SYS_lstat, L("d/s"), L(&lst), 0, 0, 0));
	fd = S(SYS_open, L("d/f"), O_RDONLY, 0, 0, 0);
	say("fstat", S(SYS_fstat, fd, L(&fst), 0, 0, 0));
	printf("stat: size %ld mode %o nlink %ld, lstat: mode %o size %ld\n", (long)st.st_size,
	       st.st_mode, (long)st.st_nlink, lst.st_mode, (long)lst.st_size);
	say("stat and fstat: same file", st.st_ino == fst.st_ino && st.st_dev == fst.st_dev &&
						 st.st_blksize == fst.st_blksize &&
						 st.st_mtim.tv_sec == fst.st_mtim.tv_sec &&
						 st.st_mtim.tv_nsec == fst.st_mtim.tv_nsec);
	struct timespec times[2] = {{1600000000, 5}, {1700000000, 123456789}};
	utimensat(AT_FDCWD, "d/f", times, 0);
	S(SYS_fstat, fd, L(&fst), 0, 0, 0);
	printf("fstat times: %ld.%09ld %ld.%09ld\n", (long)fst.st_atim.tv_sec, fst.st_atim.tv_nsec,
	       (long)fst.st_mtim.tv_sec, fst.st_mtim.tv_nsec);
	S(SYS_close, fd, 0, 0, 0, 0);

	struct statfs sf, fsf;
	say("statfs", S(SYS_statfs, L("d"), L(&sf), 0, 0, 0));
	fd = S(SYS_open, L("d"), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, 0, 0);
	say("fstatfs", S(SYS_fstatfs, fd, L(&fsf), 0, 0, 0));
	say("statfs and fstatfs agree",
	    sf.f_type == fsf.f_type && sf.f_bsize == fsf.f_bsize && sf.f_namelen == fsf.f_namelen);
	printf("F_GETFL %#lx F_GETFD %ld\n", getfl(fd), S(SYS_fcntl, fd, F_GETFD, 0, 0, 0));
	say("open file with O_DIRECTORY", S(SYS_open, L("d/f"), O_RDONLY | O_DIRECTORY, 0, 0, 0));
	say("open link with O_NOFOLLOW", S(SYS_open, L("d/s"), O_RDONLY | O_NOFOLLOW, 0, 0, 0));
	long wfd = S(SYS_open, L("d/f"), O_WRONLY | O_APPEND, 0, 0, 0);
	printf("O_WRONLY|O_APPEND F_GETFL %#lx\n", getfl(wfd));
	say("F_SETFL O_NONBLOCK", S(SYS_fcntl, wfd, F_SETFL, O_NONBLOCK | O_APPEND, 0, 0));
	printf("then F_GETFL %#lx\n", getfl(wfd));
	S(SYS_close, wfd, 0, 0, 0, 0);

	/* Names and types from both getdents forms, in name order. */
	char dents[4096], *names[16];
	int n = 0;
	long got = S(SYS_getdents, fd, L(dents), sizeof dents, 0, 0);
	for (long at = 0; at < got && n < 16;) {
		struct old_dirent *e = (struct old_dirent *)(dents + at);
		char *s = malloc(300);
		snprintf(s, 300, "%s:%d", e->name, dents[at + e->reclen - 1]);
		names[n++] = s;
		at += e->reclen;
	}
	lseek(fd, 0, SEEK_SET);
	got = S(SYS_getdents64, fd, L(dents), sizeof dents, 0, 0);
	int n64 = 0, agree = 1;
	for (long at = 0; at < got; n64++) {
		struct {
			uint64_t ino, off;
			unsigned short reclen;
			unsigned char type;
			char name[];
		} *e = (void *)(dents + at);
		char want[300];
		snprintf(want, sizeof want, "%s:%d", e->name, e->type);
		int found = 0;
		for (int i = 0; i < n; i++)
			found |= !strcmp(names[i], want);
		agree &= found;
		at += e->reclen;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[i], names[j]) > 0) {
				char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
	printf("getdents:");
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	say("getdents64 agrees", agree && n64 == n);
	S(SYS_close, fd, 0, 0, 0, 0);

	for (const char *p = "d/f\0d/h\0d/s\0"; *p; p += strlen(p) + 1)
		say("unlink", S(SYS_unlink, L(p), 0, 0, 0, 0));
	say("rmdir", S(SYS_rmdir, L("d"), 0, 0, 0, 0));
}

static void pipes_and_polling(void)
{
	int p[2], q[2];
	say("pipe", S(SYS_pipe, L(p), 0, 0, 0, 0));
	say("pipe2 O_NONBLOCK", S(SYS_pipe2, L(q), O_NONBLOCK | O_CLOEXEC, 0, 0, 0));
	printf("pipe2 F_GETFL %#lx F_GETFD %ld\n", getfl(q[0]),
	       S(SYS_fcntl, q[0], F_GETFD, 0, 0, 0));
	say("read empty nonblocking", S(SYS_read, q[0], L(&p), 1, 0, 0));
	say("dup2", S(SYS_dup2, p[1], 40, 0, 0, 0));
	say("write through dup", S(SYS_write, 40, L("abc"), 3, 0, 0));
	int avail = 0;
	say("FIONREAD", S(SYS_ioctl, p[0], FIONREAD, L(&avail), 0, 0));
	say("  bytes", avail);
	struct termios t;
	say("TCGETS on a pipe", S(SYS_ioctl, p[0], TCGETS, L(&t), 0, 0));

	struct pollfd pf[2] = {{p[0], POLLIN, 0}, {q[0], POLLIN, 0}};
	say("poll", S(SYS_poll, L(pf), 2, 0, 0, 0));
	printf("revents %#x %#x\n", pf[0].revents, pf[1].revents);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(q[0], &r);
	struct timeval tv = {0, 1000};
	say("select", S(SYS_select, 64, L(&r), 0, 0, L(&tv)));
	say("  read end set, empty pipe not", FD_ISSET(p[0], &r) && !FD_ISSET(q[0], &r));

	int ep = (int)S(SYS_epoll_create, 4, 0, 0, 0, 0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
	say("epoll_ctl", S(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], L(&ev), 0));
	ev.data.u64 = 0xdeadbeefcafef00dull;
	ev.events = EPOLLOUT;
	say("epoll_ctl", S(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, q[1], L(&ev), 0));
	struct epoll_event out[4] = {0};
	long k = S(SYS_epoll_wait, ep, L(out), 4, 100, 0);
	say("epoll_wait", k);
	uint64_t seen = 0;
	for (long i = 0; i < k; i++)
		seen ^= out[i].data.u64 + out[i].events;
	printf("epoll data %#llx\n", (unsigned long long)seen);
	for (int fd = 0; fd < 64; fd++)
		if (fd > 2)
			close(fd);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void process(void)
{
	struct k_sigaction sa = {.handler = on_usr1,
				 .flags = SA_RESTART | 0x04000000,
				 .restorer = (void (*)(void))on_usr1,
				 .mask = 1ull << (SIGTERM - 1)};
	struct k_sigaction old;
	say("rt_sigaction", S(SYS_rt_sigaction, SIGUSR1, L(&sa), 0, 8, 0));
	say("rt_sigaction read back", S(SYS_rt_sigaction, SIGUSR1, 0, L(&old), 8, 0));
	say("  same handler, flags, mask",
	    old.handler == on_usr1 && old.flags == sa.flags && old.mask == sa.mask);
	long t = S(SYS_time, 0, 0, 0, 0, 0);
	say("time is after 2020", t > 1577836800);
	say("getpid is gettid", S(SYS_getpid, 0, 0, 0, 0, 0) == S(SYS_gettid, 0, 0, 0, 0, 0));
	struct timespec res;
	say("clock_getres monotonic", S(SYS_clock_getres, CLOCK_MONOTONIC, L(&res), 0, 0, 0));
	printf("  %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);

	long pid = S(SYS_fork, 0, 0, 0, 0, 0);
	if (pid == 0)
		syscall(SYS_exit_group, 7);
	int status = 0;
	say("wait4 the forked child", S(SYS_wait4, pid, L(&status), 0, 0, 0) == pid);
	say("  exit status", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	say("wait4 again", S(SYS_wait4, -1, L(&status), WNOHANG, 0, 0));
}

/* execveat's refusals, which the runtime must give as the kernel does,
 * also where it execs on the guest's behalf and where the host has no
 * execveat (qemu-user 7.2: it goes through execve and /proc/self/fd). */
static void exec_refusals(void)
{
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	static const char junk[] = "not a program\n";
	int dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int jfd = open("junk.exe", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (dfd < 0 || jfd < 0 || write(jfd, junk, sizeof junk - 1) != sizeof junk - 1 ||
	    symlink("/bin/true", "true.lnk") || mkdir("dir.exe", 0755) ||
	    close(open("plain.txt", O_WRONLY | O_CREAT, 0644)))
		say("exec setup failed", -errno);
	/* Open for writing, it would be busy (ETXTBSY) rather than junk. */
	close(jfd);
	jfd = open("junk.exe", O_RDONLY | O_CLOEXEC);
	int pfd = open("plain.txt", O_RDONLY | O_CLOEXEC);
	struct {
		const char *what;
		int dirfd;
		const char *path;
		int flags;
	} t[] = {
		{"execveat symlink, NOFOLLOW", AT_FDCWD, "true.lnk", AT_SYMLINK_NOFOLLOW},
		{"execveat dirfd symlink, NOFOLLOW", dfd, "true.lnk", AT_SYMLINK_NOFOLLOW},
		{"execveat directory", AT_FDCWD, "dir.exe", 0},
		{"execveat dirfd not an executable", dfd, "junk.exe", 0},
		{"execveat dirfd not there", dfd, "missing", 0},
		{"execveat bad dirfd", 999, "junk.exe", 0},
		{"execveat file as dirfd", jfd, "junk.exe", 0},
		{"execveat fd not an executable", jfd, "", AT_EMPTY_PATH},
		{"execveat fd without x permission", pfd, "", AT_EMPTY_PATH},
		{"execveat empty path", AT_FDCWD, "", 0},
		{"execveat unknown flag", AT_FDCWD, "junk.exe", 0x8000},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		say(t[i].what,
		    S(SYS_execveat, t[i].dirfd, L(t[i].path), L(argv), L(envp), t[i].flags));
	close(pfd);
	close(jfd);
	close(dfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	files();
	pipes_and_polling();
	process();
	exec_refusals();
	return 0;
}
