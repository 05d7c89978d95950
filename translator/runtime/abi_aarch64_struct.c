/* abi_aarch64_struct.c — structures whose layout differs between x86-64
 * and aarch64, and the record of those checked identical.
 *
 * Differ, converted here:
 * - struct stat: x86-64 has its own 144-byte layout (nlink before mode,
 *   64-bit nlink/blksize); aarch64 uses the generic 128-byte one.
 * - struct epoll_event: packed (12 bytes) on x86-64 only; 16 on aarch64.
 * - struct semid64_ds: x86-64 keeps a padding word after each time field.
 * - struct utsname: same layout, but machine must say x86_64.
 * - old struct linux_dirent (getdents): aarch64 has only getdents64.
 *
 * Identical (the static assertions below hold the x86-64 offsets and sizes
 * against the host's definitions): both ABIs are LP64 and little-endian
 * with 8-byte alignment of 64-bit types, and both use the generic
 * definitions for these, so only explicitly arch-specific layouts differ:
 * statfs (generic, __statfs_word = long on both), msqid64_ds and
 * shmid64_ds (generic 64-bit), ipc64_perm (mode is u16 + 2 pad bytes on
 * x86-64, u32 on aarch64: the same bytes little-endian; the kernel keeps
 * only the permission bits on IPC_SET and zero-fills on IPC_STAT), rlimit,
 * rusage, timespec, timeval, itimerval, itimerspec, tms, sysinfo, timex,
 * msghdr, mmsghdr, cmsghdr, iovec, sockaddr_in/in6/un/storage, linger,
 * ucred, flock, pollfd, fd_set, utsname, sigevent, siginfo, stack_t,
 * sched_param, statx, open_how, mq_attr, linux_dirent64. Terminal and
 * other ioctl structures: abi_aarch64_ioctl.c. */
#if defined(__aarch64__)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/select.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <netinet/in.h>
#include <asm/unistd.h>
#include <linux/openat2.h>
#include <linux/stat.h>

#include "translator/runtime/abi_aarch64.h"

/* ---- checked identical ------------------------------------------------- */
#define SAME(type, member, x86_off)                                                                \
	_Static_assert(offsetof(type, member) == (x86_off), #type "." #member)
#define SAME_SIZE(type, x86_size) _Static_assert(sizeof(type) == (x86_size), "sizeof " #type)

// clang-format off
SAME_SIZE(struct statfs, 120); SAME(struct statfs, f_fsid, 56);
SAME(struct statfs, f_namelen, 64); SAME(struct statfs, f_frsize, 72);
SAME(struct statfs, f_flags, 80); SAME(struct statfs, f_spare, 88);
SAME_SIZE(struct msqid_ds, 120); SAME(struct msqid_ds, msg_stime, 48);
SAME(struct msqid_ds, msg_cbytes, 72); SAME(struct msqid_ds, msg_qbytes, 88);
SAME(struct msqid_ds, msg_lspid, 96); SAME(struct msqid_ds, msg_lrpid, 100);
SAME_SIZE(struct shmid_ds, 112); SAME(struct shmid_ds, shm_segsz, 48);
SAME(struct shmid_ds, shm_ctime, 72); SAME(struct shmid_ds, shm_cpid, 80);
SAME(struct shmid_ds, shm_nattch, 88); SAME_SIZE(struct ipc_perm, 48);
SAME(struct ipc_perm, mode, 20); SAME(struct ipc_perm, __seq, 24); SAME_SIZE(struct rlimit, 16);
SAME_SIZE(struct rusage, 144); SAME(struct rusage, ru_maxrss, 32);
SAME(struct rusage, ru_nivcsw, 136); SAME_SIZE(struct timespec, 16);
SAME_SIZE(struct timeval, 16); SAME_SIZE(struct itimerval, 32); SAME_SIZE(struct itimerspec, 32);
SAME_SIZE(struct tms, 32); SAME_SIZE(struct sysinfo, 112); SAME(struct sysinfo, procs, 80);
SAME(struct sysinfo, totalhigh, 88); SAME(struct sysinfo, mem_unit, 104);
SAME_SIZE(struct timex, 208); SAME(struct timex, time, 72); SAME(struct timex, tai, 160);
SAME_SIZE(struct msghdr, 56); SAME(struct msghdr, msg_iovlen, 24);
SAME(struct msghdr, msg_control, 32); SAME(struct msghdr, msg_flags, 48);
SAME_SIZE(struct mmsghdr, 64); SAME(struct mmsghdr, msg_len, 56); SAME_SIZE(struct cmsghdr, 16);
SAME(struct cmsghdr, cmsg_level, 8); SAME(struct cmsghdr, cmsg_type, 12);
SAME_SIZE(struct iovec, 16); SAME_SIZE(struct sockaddr_in, 16);
SAME_SIZE(struct sockaddr_in6, 28); SAME_SIZE(struct sockaddr_un, 110);
SAME_SIZE(struct sockaddr_storage, 128); SAME_SIZE(struct linger, 8); SAME_SIZE(struct ucred, 12);
SAME_SIZE(struct flock, 32); SAME(struct flock, l_whence, 2); SAME(struct flock, l_start, 8);
SAME(struct flock, l_len, 16); SAME(struct flock, l_pid, 24); SAME_SIZE(struct pollfd, 8);
SAME(struct pollfd, revents, 6); SAME_SIZE(fd_set, 128); SAME_SIZE(struct utsname, 390);
SAME(struct utsname, machine, 260); SAME_SIZE(struct sigevent, 64); SAME_SIZE(siginfo_t, 128);
SAME_SIZE(stack_t, 24); SAME(stack_t, ss_flags, 8); SAME(stack_t, ss_size, 16);
SAME_SIZE(struct sched_param, 4); SAME_SIZE(struct statx, 256); SAME(struct statx, stx_ino, 32);
SAME(struct statx, stx_mtime, 112); SAME_SIZE(struct open_how, 24); SAME_SIZE(struct mq_attr, 64);
// clang-format on

/* ---- struct stat ------------------------------------------------------- */
/* glibc's aarch64 struct stat is the kernel's generic one. */
SAME_SIZE(struct stat, 128);
SAME(struct stat, st_mode, 16);
SAME(struct stat, st_nlink, 20);
SAME(struct stat, st_rdev, 32);
SAME(struct stat, st_size, 48);
SAME(struct stat, st_blksize, 56);
SAME(struct stat, st_blocks, 64);
SAME(struct stat, st_atim, 72);
_Static_assert(sizeof(struct abi_x86_stat) == 144, "x86-64 struct stat");

void abi_stat_to_x86(struct abi_x86_stat *dst, const struct stat *src)
{
	*dst = (struct abi_x86_stat){
		.st_dev = src->st_dev,
		.st_ino = src->st_ino,
		.st_nlink = src->st_nlink,
		.st_mode = src->st_mode,
		.st_uid = src->st_uid,
		.st_gid = src->st_gid,
		.st_rdev = src->st_rdev,
		.st_size = src->st_size,
		.st_blksize = src->st_blksize,
		.st_blocks = src->st_blocks,
		.st_atime_sec = src->st_atim.tv_sec,
		.st_atime_nsec = src->st_atim.tv_nsec,
		.st_mtime_sec = src->st_mtim.tv_sec,
		.st_mtime_nsec = src->st_mtim.tv_nsec,
		.st_ctime_sec = src->st_ctim.tv_sec,
		.st_ctime_nsec = src->st_ctim.tv_nsec,
	};
}

/* The kernel wrote a host struct stat at the guest's buffer (so it checked
 * those 128 bytes are writable); rewrite it in place in the x86-64 layout,
 * whose last 16 bytes the kernel did not check. */
static long stat_result(long r, uint64_t guest)
{
	if (r < 0)
		return r;
	struct stat host;
	struct abi_x86_stat x;
	memcpy(&host, (const void *)guest, sizeof(host));
	abi_stat_to_x86(&x, &host);
	return abi_write(guest, &x, sizeof(x)) ? -EFAULT : r;
}

long a64_fstat(const uint64_t a[6])
{
	return stat_result(abi_host_call6(__NR_fstat, a[0], a[1], 0, 0, 0, 0), a[1]);
}

long a64_newfstatat(const uint64_t a[6])
{
	return stat_result(abi_host_call6(__NR_newfstatat, a[0], a[1], a[2], a[3], 0, 0), a[2]);
}

long a64_stat(const uint64_t a[6])
{
	return stat_result(abi_host_call6(__NR_newfstatat, AT_FDCWD, a[0], a[1], 0, 0, 0), a[1]);
}

long a64_lstat(const uint64_t a[6])
{
	return stat_result(
		abi_host_call6(__NR_newfstatat, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW, 0, 0),
		a[1]);
}

/* ---- struct epoll_event ------------------------------------------------ */
struct x86_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_epoll_event) == 12, "x86-64 epoll_event");

long a64_epoll_ctl(const uint64_t a[6])
{
	/* EPOLL_CTL_DEL does not read the event. */
	if ((int)a[1] == EPOLL_CTL_DEL)
		return abi_host_call(__NR_epoll_ctl, a);
	struct x86_epoll_event x;
	if (abi_read(&x, a[3], sizeof(x)))
		return -EFAULT;
	struct epoll_event host = {.events = x.events, .data.u64 = x.data};
	return abi_host_call6(__NR_epoll_ctl, a[0], a[1], a[2], (uint64_t)&host, 0, 0);
}

/* Events come back into a host array, at most this many per call: Linux
 * may return fewer events than asked, and those left stay ready for the
 * next call, so a bound changes no semantics. */
#define EPOLL_BATCH 128

/* epoll_pwait and epoll_pwait2 share argument positions: the timeout
 * (milliseconds or a timespec pointer), the signal mask and its size. */
static long epoll_wait_common(long host_nr, const uint64_t a[6])
{
	int max = (int)a[2];
	if (max <= 0 || max > INT_MAX / (int)sizeof(struct x86_epoll_event))
		return -EINVAL;
	if (!abi_access_ok(a[1], (uint64_t)max * sizeof(struct x86_epoll_event)))
		return -EFAULT;
	struct epoll_event host[EPOLL_BATCH];
	int n = max < EPOLL_BATCH ? max : EPOLL_BATCH;
	long r = abi_host_call6(host_nr, a[0], (uint64_t)host, n, a[3], a[4], a[5]);
	struct x86_epoll_event out[EPOLL_BATCH];
	for (long i = 0; i < r; i++)
		out[i] = (struct x86_epoll_event){.events = host[i].events,
						  .data = host[i].data.u64};
	if (r > 0 && abi_write(a[1], out, r * sizeof(out[0])))
		return -EFAULT;
	return r;
}

long a64_epoll_wait(const uint64_t a[6])
{
	const uint64_t pa[6] = {a[0], a[1], a[2], a[3], 0, 0};
	return epoll_wait_common(__NR_epoll_pwait, pa);
}

long a64_epoll_pwait(const uint64_t a[6])
{
	return epoll_wait_common(__NR_epoll_pwait, a);
}

long a64_epoll_pwait2(const uint64_t a[6])
{
	return epoll_wait_common(__NR_epoll_pwait2, a);
}

/* ---- struct semid64_ds ------------------------------------------------- */
struct ipc64_perm_x86 {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint16_t mode, pad1, seq, pad2;
	uint64_t unused1, unused2;
};
struct semid64_ds_x86 {
	struct ipc64_perm_x86 perm;
	int64_t otime;
	uint64_t unused1;
	int64_t ctime;
	uint64_t unused2;
	uint64_t nsems, unused3, unused4;
};
/* The generic (aarch64) one, as the kernel defines it. */
struct semid64_ds_a64 {
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	uint16_t seq, pad2;
	uint64_t unused1, unused2;
	int64_t otime, ctime;
	uint64_t nsems, unused3, unused4;
};
_Static_assert(sizeof(struct semid64_ds_x86) == 104, "x86-64 semid64_ds");
_Static_assert(sizeof(struct semid64_ds_a64) == 88, "generic semid64_ds");
_Static_assert(sizeof(struct semid_ds) == 88, "glibc aarch64 semid_ds");

/* x86-64 Linux takes no IPC_64 bit in cmd (refuses it as an unknown
 * command), nor does aarch64: cmd goes through as it is. */
enum { X86_IPC_SET = 1, X86_IPC_STAT = 2, X86_SEM_STAT = 18, X86_SEM_STAT_ANY = 20 };

long a64_semctl(const uint64_t a[6])
{
	struct semid64_ds_a64 h;
	switch ((int)a[2]) {
	case X86_IPC_STAT:
	case X86_SEM_STAT:
	case X86_SEM_STAT_ANY: {
		long r = abi_host_call6(__NR_semctl, a[0], a[1], a[2], (uint64_t)&h, 0, 0);
		if (r < 0)
			return r;
		struct semid64_ds_x86 x = {
			.perm = {.key = h.key,
				 .uid = h.uid,
				 .gid = h.gid,
				 .cuid = h.cuid,
				 .cgid = h.cgid,
				 .mode = (uint16_t)h.mode,
				 .seq = h.seq},
			.otime = h.otime,
			.ctime = h.ctime,
			.nsems = h.nsems,
		};
		return abi_write(a[3], &x, sizeof(x)) ? -EFAULT : r;
	}
	case X86_IPC_SET: {
		struct semid64_ds_x86 x;
		if (abi_read(&x, a[3], sizeof(x)))
			return -EFAULT;
		h = (struct semid64_ds_a64){
			.key = x.perm.key,
			.uid = x.perm.uid,
			.gid = x.perm.gid,
			.cuid = x.perm.cuid,
			.cgid = x.perm.cgid,
			.mode = x.perm.mode,
			.seq = x.perm.seq,
			.otime = x.otime,
			.ctime = x.ctime,
			.nsems = x.nsems,
		};
		return abi_host_call6(__NR_semctl, a[0], a[1], a[2], (uint64_t)&h, 0, 0);
	}
	default: return abi_host_call(__NR_semctl, a);
	}
}

/* ---- uname ------------------------------------------------------------- */
long a64_uname(const uint64_t a[6])
{
	long r = abi_host_call(__NR_uname, a);
	if (r < 0)
		return r;
	/* The kernel has just written the whole structure there. */
	struct utsname *u = (struct utsname *)a[0];
	memset(u->machine, 0, sizeof(u->machine));
	memcpy(u->machine, "x86_64", sizeof("x86_64"));
	return r;
}

/* ---- getdents ---------------------------------------------------------- */
/* linux_dirent64 is { u64 ino; s64 off; u16 reclen; u8 type; char name[] }
 * and the old linux_dirent { ulong ino; ulong off; u16 reclen; char name[];
 * ...; u8 type at reclen - 1 }. Both round reclen up to 8 over the same
 * 20 + strlen(name) bytes, so every record keeps its size and place: let
 * the kernel fill the guest's buffer (checking it) and rewrite in place. */
long a64_getdents(const uint64_t a[6])
{
	long r = abi_host_call6(__NR_getdents64, a[0], a[1], a[2], 0, 0, 0);
	unsigned char *buf = (unsigned char *)a[1];
	for (long off = 0; off < r;) {
		unsigned char *d = buf + off;
		uint16_t reclen;
		memcpy(&reclen, d + 16, sizeof(reclen));
		unsigned char type = d[18];
		size_t len = strlen((const char *)d + 19);
		memmove(d + 18, d + 19, len + 1);
		d[reclen - 1] = type;
		off += reclen;
	}
	return r;
}
#endif
