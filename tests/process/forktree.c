/* forktree.c — processes: a fork tree whose exit codes add up, children
 * ending by signals, wait4/waitid/waitpid status values, stop and
 * continue, vfork + exec, posix_spawn, popen/system, execve errors,
 * clone without CLONE_VM, and a re-exec of this program. Every status is
 * printed in full, so the output is the exact values the kernel gave.
 *
 *   forktree            the whole run
 *   forktree qemu       without what qemu-user (the aarch64 translator's
 *                       test bed) cannot do for any aarch64 program: it
 *                       runs a CLONE_VM|CLONE_VFORK child as a fork, so
 *                       posix_spawn cannot report a failed exec; it
 *                       refuses a fork-like clone whose exit signal is
 *                       not SIGCHLD (EINVAL) and sets CLONE_PARENT_SETTID's
 *                       word only in the child (a static aarch64 build of
 *                       the same calls under qemu-aarch64 does the same)
 *   forktree exec N     (what the re-exec runs) exits with N */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void status(const char *what, int st)
{
	printf("%-28s %#06x", what, st);
	if (WIFEXITED(st))
		printf(" exited %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf(" killed by %s%s\n", sigabbrev_np(WTERMSIG(st)), WCOREDUMP(st) ? " (core)" : "");
	else if (WIFSTOPPED(st))
		printf(" stopped by %s\n", sigabbrev_np(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		printf(" continued\n");
	else
		printf(" ?\n");
	fflush(stdout);
}

static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* A binary tree of depth d: each process exits with the sum of its
 * children's codes plus one, modulo 256. */
static int tree(int d)
{
	if (!d)
		return 1;
	pid_t a = fork();
	if (!a)
		_exit(tree(d - 1));
	pid_t b = fork();
	if (!b)
		_exit(tree(d - 1));
	return (WEXITSTATUS(reap(a)) + WEXITSTATUS(reap(b)) + 1) & 255;
}

static pid_t child(void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (!p) {
		fn();
		_exit(99);
	}
	return p;
}

static void do_kill_self(void)
{
	kill(getpid(), SIGKILL);
}
static void do_term(void)
{
	raise(SIGTERM);
}
static void do_abort(void)
{
	abort();
}
static int *volatile nowhere = (int *)8;
static void do_segv(void)
{
	*nowhere = 1;
}
static void do_pause(void)
{
	pause();
}
static void do_exit_big(void)
{
	exit(300);
}

/* The exec fails in the child: posix_spawn says so in the parent. */
static void spawn_missing(void)
{
	char *nargv[] = {"nonexistent", NULL};
	pid_t p;
	int r = posix_spawn(&p, "/nonexistent/program", NULL, NULL, nargv, environ);
	printf("posix_spawn of a missing program: %s\n", strerror(r));
	if (!r)
		status("  its status", reap(p));
}

/* clone without CLONE_VM and with no exit signal: only __WCLONE waits
 * for it. */
static void clone_no_signal(void)
{
	pid_t ptid = 0;
	int st;
	fflush(stdout);
	long c = syscall(SYS_clone, CLONE_PARENT_SETTID, 0, &ptid, 0, 0);
	if (c == 0)
		_exit(11);
	printf("clone: parent tid word set %d\n", ptid == c);
	printf("waitpid without __WCLONE: %s\n",
	       waitpid((pid_t)c, &st, WNOHANG) < 0 && errno == ECHILD ? "ECHILD" : "found");
	waitpid((pid_t)c, &st, __WCLONE);
	status("clone child", st);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exec"))
		return atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* No core files: the status must not depend on the limit. */
	setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});

	printf("fork tree of depth 4: %d\n", tree(4));

	status("exit(300)", reap(child(do_exit_big)));
	status("SIGKILL", reap(child(do_kill_self)));
	status("SIGTERM", reap(child(do_term)));
	status("abort", reap(child(do_abort)));
	status("segfault", reap(child(do_segv)));

	pid_t p = child(do_pause);
	int st;
	kill(p, SIGSTOP);
	waitpid(p, &st, WUNTRACED);
	status("stopped", st);
	kill(p, SIGCONT);
	waitpid(p, &st, WCONTINUED);
	status("continued", st);
	siginfo_t si = {0};
	kill(p, SIGINT);
	waitid(P_PID, p, &si, WEXITED | WNOWAIT);
	printf("waitid WNOWAIT: code %d status %d pid ok %d\n", si.si_code, si.si_status,
	       si.si_pid == p);
	struct rusage ru;
	pid_t w = wait4(p, &st, 0, &ru);
	status("wait4 after waitid", st);
	printf("wait4 pid ok %d\n", w == p);

	p = child(do_exit_big);
	memset(&si, 0, sizeof si);
	waitid(P_ALL, 0, &si, WEXITED);
	printf("waitid: code %d (CLD_EXITED %d) status %d\n", si.si_code, CLD_EXITED,
	       si.si_status);
	printf("wait with no children: %s\n", wait(&st) < 0 && errno == ECHILD ? "ECHILD" : "?");
	bool qemu = argc > 1 && !strcmp(argv[1], "qemu");

	/* vfork + exec: of this program again (an x86-64 program: through
	 * the translator again), and of a shell. */
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = 0;
	p = vfork();
	if (!p) {
		execl(self, "forktree", "exec", "42", (char *)NULL);
		_exit(127);
	}
	status("vfork, exec self", reap(p));
	p = vfork();
	if (!p) {
		execl("/bin/sh", "sh", "-c", "echo from sh: $0 $1; exit 5", "a", "b", (char *)NULL);
		_exit(127);
	}
	status("vfork, exec sh", reap(p));

	char *sargv[] = {"forktree", "exec", "7", NULL};
	int r = posix_spawn(&p, self, NULL, NULL, sargv, environ);
	printf("posix_spawn self: %d\n", r);
	status("posix_spawn status", reap(p));
	if (!qemu)
		spawn_missing();

	printf("system: %#x\n", system("echo from system; exit 3"));
	FILE *f = popen("echo from popen | tr a-z A-Z", "r");
	char line[64] = "";
	if (f && fgets(line, sizeof line, f))
		printf("popen read: %s", line);
	printf("pclose: %#x\n", f ? pclose(f) : -1);

	/* execve errors come back to the caller. */
	char *eargv[] = {"x", NULL};
	execve("/nonexistent", eargv, environ);
	printf("execve missing: %s\n", strerrorname_np(errno));
	execve("/etc/hostname", eargv, environ);
	printf("execve not executable: %s\n", strerrorname_np(errno));
	execve("/tmp", eargv, environ);
	printf("execve a directory: %s\n", strerrorname_np(errno));

	if (!qemu)
		clone_no_signal();

	/* Exec replaces this process: its exit status is the new program's. */
	fflush(stdout);
	execl(self, "forktree", "exec", "9", (char *)NULL);
	return 1;
}
