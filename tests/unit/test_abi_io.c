/* test_abi_io.c — descriptors: pipe, dup2, poll, select, epoll, eventfd,
 * inotify, signalfd, ioctl, and messages with descriptors attached. */
#include "test_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

void test_io_pipe_dup(void)
{
	int p[2] = {-1, -1};
	CHECK_EQ(SYS(X_pipe, p), 0);
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	CHECK_EQ(write(p[1], "xy", 2), 2);
	char c[2];
	CHECK_EQ(read(p[0], c, 2), 2);
	CHECK_ERR(SYS(X_pipe, NULL), X_EFAULT);

	/* dup2 onto itself: the descriptor if open, EBADF if not. */
	CHECK_EQ(SYS(X_dup2, p[0], p[0]), p[0]);
	CHECK_ERR(SYS(X_dup2, 1000, 1000), X_EBADF);
	CHECK_ERR(SYS(X_dup2, 1000, 1001), X_EBADF);
	CHECK_EQ(fcntl(p[1], F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(SYS(X_dup2, p[1], 100), 100);
	CHECK_EQ(fcntl(100, F_GETFD), 0);
	CHECK_EQ(write(100, "z", 1), 1);
	CHECK_EQ(read(p[0], c, 1), 1);
	CHECK_EQ(c[0], 'z');
	/* Onto an open descriptor: closes it first. */
	CHECK_EQ(SYS(X_dup2, p[0], 100), 100);
	CHECK_ERR(write(100, "z", 1) < 0 ? -errno : 0, EBADF);
	close(100);
	close(p[0]);
	close(p[1]);
}

void test_io_poll_select(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	CHECK_EQ(SYS(X_poll, &pf, 1, 0), 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(SYS(X_poll, &pf, 1, 30), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >= 30000000L);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(SYS(X_poll, &pf, 1, -1), 1);
	CHECK_EQ(pf.revents, POLLIN);
	CHECK_EQ(SYS(X_poll, &pf, 1, 5000), 1);

	/* select: the time left is written back as a timeval. */
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct x_timeval tv = {5, 0};
	CHECK_EQ(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), 1);
	CHECK(FD_ISSET(p[0], &r));
	CHECK(tv.usec >= 0 && tv.usec < 1000000);
	CHECK(tv.sec * 1000000 + tv.usec <= 5000000 && tv.sec >= 3);
	/* tv_usec past a second is carried into seconds. */
	tv = (struct x_timeval){0, 2500000};
	CHECK_EQ(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), 1);
	CHECK(tv.usec >= 0 && tv.usec < 1000000);
	CHECK(tv.sec * 1000000 + tv.usec <= 2500000 && tv.sec >= 1);
	CHECK_EQ(SYS(X_select, p[0] + 1, &r, NULL, NULL, NULL), 1);

	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	FD_SET(p[0], &r);
	tv = (struct x_timeval){0, 20000};
	CHECK_EQ(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
	CHECK_EQ(tv.sec, 0);
	CHECK_EQ(tv.usec, 0);
	CHECK(!FD_ISSET(p[0], &r));
	/* A zero timeout is left alone. */
	FD_SET(p[0], &r);
	tv = (struct x_timeval){0, 0};
	CHECK_EQ(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
	tv = (struct x_timeval){0, -1};
	CHECK_ERR(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), X_EINVAL);
	tv = (struct x_timeval){-1, 0};
	CHECK_ERR(SYS(X_select, p[0] + 1, &r, NULL, NULL, &tv), X_EINVAL);
	CHECK_ERR(SYS(X_select, p[0] + 1, &r, NULL, NULL, 8), X_EFAULT);
	close(p[0]);
	close(p[1]);
}

/* Packed 12-byte events in, packed events out; a sentinel past the last
 * one filled stays intact. */
void test_io_epoll(void)
{
	CHECK_ERR(SYS(X_epoll_create, 0), X_EINVAL);
	long ep = SYS(X_epoll_create, 1);
	CHECK(ep >= 0);
	CHECK_EQ(fcntl(ep, F_GETFD), 0);
	int a[2], b[2];
	CHECK_EQ(pipe(a), 0);
	CHECK_EQ(pipe(b), 0);
	struct x_epoll_event ev = {EPOLLIN, 0x1122334455667788ull};
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, a[0], &ev), 0);
	ev = (struct x_epoll_event){EPOLLIN | EPOLLET, 0xdeadbeefcafef00dull};
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, b[0], &ev), 0);
	CHECK_ERR(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, b[0], &ev), X_EEXIST);
	CHECK_ERR(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, a[1], NULL), X_EFAULT);

	struct x_epoll_event out[4];
	memset(out, 0x5a, sizeof(out));
	CHECK_EQ(SYS(X_epoll_wait, ep, out, 4, 0), 0);
	CHECK_EQ(write(a[1], "1", 1), 1);
	CHECK_EQ(write(b[1], "2", 1), 1);
	CHECK_EQ(SYS(X_epoll_wait, ep, out, 4, 5000), 2);
	uint64_t seen = 0;
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(out[i].events, EPOLLIN);
		CHECK(out[i].data == 0x1122334455667788ull || out[i].data == 0xdeadbeefcafef00dull);
		seen |= out[i].data;
	}
	CHECK_EQ(seen, 0x1122334455667788ull | 0xdeadbeefcafef00dull);
	unsigned char sentinel[sizeof(out[2])];
	memset(sentinel, 0x5a, sizeof(sentinel));
	CHECK(memcmp(&out[2], sentinel, sizeof(sentinel)) == 0);

	/* One slot: the level-triggered one stays ready; the edge one is spent. */
	memset(out, 0, sizeof(out));
	CHECK_EQ(SYS(X_epoll_pwait, ep, out, 1, 0, NULL, 8), 1);
	CHECK_EQ(out[0].data, 0x1122334455667788ull);

	ev = (struct x_epoll_event){EPOLLOUT, 42};
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_MOD, a[0], &ev), 0);
	CHECK_EQ(SYS(X_epoll_wait, ep, out, 4, 0), 0);
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_DEL, a[0], NULL), 0);
	CHECK_ERR(SYS(X_epoll_ctl, ep, EPOLL_CTL_DEL, a[0], NULL), X_ENOENT);
	CHECK_ERR(SYS(X_epoll_wait, ep, out, 0, 0), X_EINVAL);
	/* Like access_ok(), only the address range is checked up front. */
	CHECK_EQ(SYS(X_epoll_wait, ep, NULL, 4, 0), 0);
	CHECK_ERR(SYS(X_epoll_wait, ep, 0x7ffffffff000, 4096, 0), X_EFAULT);
	CHECK_ERR(SYS(X_epoll_wait, a[0], out, 4, 0), X_EINVAL);

	/* More ready descriptors than one host batch holds. */
	enum { MANY = 300 };
	int *fds = malloc(sizeof(int) * MANY * 2);
	int made = 0;
	for (; made < MANY; made++) {
		if (pipe(fds + 2 * made))
			break;
		ev = (struct x_epoll_event){EPOLLOUT, 1000 + made};
		CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, fds[2 * made + 1], &ev), 0);
	}
	struct x_epoll_event *many = calloc(MANY + 1, sizeof(*many));
	long got = SYS(X_epoll_wait, ep, many, MANY + 1, 0);
	CHECK(got > 0 && got <= made);
	for (long i = 0; i < got; i++)
		CHECK(many[i].events == EPOLLOUT && many[i].data >= 1000 &&
		      many[i].data < 1000 + (uint64_t)made);
	for (int i = 0; i < 2 * made; i++)
		close(fds[i]);
	free(many);
	free(fds);

	struct {
		int64_t sec, nsec;
	} ts = {0, 0};
	CHECK_EQ(write(a[1], "1", 1), 1);
	ev = (struct x_epoll_event){EPOLLIN, 7};
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, a[0], &ev), 0);
	if (syscall(SYS_epoll_pwait2, (int)ep, (void *)out, 4, &ts, NULL, 8) < 0 && errno == ENOSYS)
		test_skip("host lacks epoll_pwait2");
	else {
		memset(out, 0, sizeof(out));
		CHECK_EQ(SYS(X_epoll_pwait2, ep, out, 4, &ts, NULL, 8), 1);
		CHECK_EQ(out[0].data, 7);
	}
	close(ep);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
}

void test_io_fds(void)
{
	long fd = SYS(X_eventfd, 5);
	CHECK(fd >= 0);
	uint64_t v = 0;
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	CHECK_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0); /* a wrong count fails, not hangs */
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(v, 5);
	close(fd);

	fd = SYS(X_inotify_init);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK(inotify_add_watch(fd, test_dir, IN_CREATE) >= 0);
	close(open(tpath("inotified"), O_CREAT | O_WRONLY, 0600));
	unsigned char ie[256];
	CHECK(read(fd, ie, sizeof(ie)) >= 16);
	close(fd);

	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &mask, &old), 0);
	uint64_t xmask = 1ull << (10 - 1); /* x86-64 SIGUSR1 */
	fd = SYS(X_signalfd, -1, &xmask, 8);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	unsigned char si[128];
	CHECK_EQ(read(fd, si, sizeof(si)), 128);
	uint32_t signo;
	memcpy(&signo, si, 4);
	CHECK_EQ(signo, 10);
	close(fd);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
}

void test_io_ioctl(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "seven!!", 7), 7);
	int n = -1;
	CHECK_EQ(SYS(X_ioctl, p[0], 0x541b /* FIONREAD */, &n), 0);
	CHECK_EQ(n, 7);
	int on = 1;
	CHECK_EQ(SYS(X_ioctl, p[0], 0x5421 /* FIONBIO */, &on), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CHECK_EQ(SYS(X_ioctl, p[0], 0x5451 /* FIOCLEX */), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(SYS(X_ioctl, p[0], 0x5450 /* FIONCLEX */), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	struct x_termios t;
	CHECK_ERR(SYS(X_ioctl, p[0], 0x5401 /* TCGETS */, &t), X_ENOTTY);
	/* KVM_GET_API_VERSION: not a tty or fd request; ENOTTY on a pipe. */
	CHECK_ERR(SYS(X_ioctl, p[0], 0xae00), X_ENOTTY);
	close(p[0]);
	close(p[1]);

	int master, slave;
	if (openpty(&master, &slave, NULL, NULL, NULL)) {
		test_skip("no pseudo-terminals");
		return;
	}
	struct termios h;
	CHECK_EQ(tcgetattr(slave, &h), 0);
	memset(&t, 0xa5, sizeof(t));
	CHECK_EQ(SYS(X_ioctl, slave, 0x5401 /* TCGETS */, &t), 0);
	CHECK_EQ(t.iflag, h.c_iflag);
	CHECK_EQ(t.oflag, h.c_oflag);
	CHECK_EQ(t.cflag, h.c_cflag);
	CHECK_EQ(t.lflag, h.c_lflag);
	CHECK_EQ(t.line, h.c_line);
	CHECK(memcmp(t.cc, h.c_cc, sizeof(t.cc)) == 0);
	t.lflag &= ~(uint32_t)(ICANON | ECHO);
	t.cc[6] = 3; /* VMIN */
	CHECK_EQ(SYS(X_ioctl, slave, 0x5402 /* TCSETS */, &t), 0);
	CHECK_EQ(tcgetattr(slave, &h), 0);
	CHECK_EQ(h.c_lflag & (ICANON | ECHO), 0);
	CHECK_EQ(h.c_cc[VMIN], 3);

	struct {
		uint16_t row, col, xpixel, ypixel;
	} ws = {24, 132, 0, 0};
	CHECK_EQ(SYS(X_ioctl, master, 0x5414 /* TIOCSWINSZ */, &ws), 0);
	struct winsize hw;
	CHECK_EQ(ioctl(slave, TIOCGWINSZ, &hw), 0);
	CHECK_EQ(hw.ws_row, 24);
	CHECK_EQ(hw.ws_col, 132);
	memset(&ws, 0, sizeof(ws));
	CHECK_EQ(SYS(X_ioctl, slave, 0x5413 /* TIOCGWINSZ */, &ws), 0);
	CHECK_EQ(ws.col, 132);
	unsigned ptn = 0;
	CHECK_EQ(SYS(X_ioctl, master, 0x80045430 /* TIOCGPTN */, &ptn), 0);
	unsigned hptn = 1;
	CHECK_EQ(ioctl(master, TIOCGPTN, &hptn), 0);
	CHECK_EQ(ptn, hptn);
	close(master);
	close(slave);
}

/* sendmsg/recvmsg with an x86-64 msghdr passing a descriptor. */
void test_io_msg(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	int fd = open(test_dir, O_RDONLY);
	char data[] = "fd";
	struct x_iovec iov = {(uint64_t)data, 2};
	union {
		unsigned char b[24];
		uint64_t align;
	} ctl = {{0}};
	uint64_t len = 20;		  /* CMSG_LEN(sizeof(int)) */
	int level = SOL_SOCKET, type = 1; /* SCM_RIGHTS */
	memcpy(ctl.b, &len, 8);
	memcpy(ctl.b + 8, &level, 4);
	memcpy(ctl.b + 12, &type, 4);
	memcpy(ctl.b + 16, &fd, 4);
	struct x_msghdr m = {.iov = (uint64_t)&iov,
			     .iovlen = 1,
			     .control = (uint64_t)ctl.b,
			     .controllen = sizeof(ctl.b)};
	CHECK_EQ(SYS(X_sendmsg, sv[0], &m, 0), 2);

	char in[4] = "";
	struct x_iovec iin = {(uint64_t)in, sizeof(in)};
	memset(&ctl, 0, sizeof(ctl));
	struct x_msghdr r = {.iov = (uint64_t)&iin,
			     .iovlen = 1,
			     .control = (uint64_t)ctl.b,
			     .controllen = sizeof(ctl.b)};
	CHECK_EQ(SYS(X_recvmsg, sv[1], &r, 0), 2);
	CHECK(memcmp(in, "fd", 2) == 0);
	CHECK_EQ(r.controllen, 24); /* CMSG_SPACE(sizeof(int)) */
	memcpy(&len, ctl.b, 8);
	memcpy(&level, ctl.b + 8, 4);
	memcpy(&type, ctl.b + 12, 4);
	CHECK_EQ(len, 20);
	CHECK_EQ(level, SOL_SOCKET);
	CHECK_EQ(type, 1);
	int got;
	memcpy(&got, ctl.b + 16, 4);
	struct stat s1, s2;
	CHECK_EQ(fstat(fd, &s1), 0);
	CHECK_EQ(fstat(got, &s2), 0);
	CHECK_EQ(s1.st_ino, s2.st_ino);
	close(got);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}
