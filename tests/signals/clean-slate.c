/* clean-slate.c — runs a command with every signal unblocked and at its
 * default action. Signal masks and ignored signals are inherited through
 * exec, so a test started from a runner that blocks or ignores SIGTERM
 * (as some CI supervisors do) would otherwise wait forever for a signal
 * that never comes, natively and translated alike.
 *   clean-slate COMMAND ARGS... */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: clean-slate COMMAND ARGS...\n");
		return 2;
	}
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL); /* fails harmlessly for unused numbers */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "clean-slate: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
