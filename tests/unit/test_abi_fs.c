/* test_abi_fs.c — files and paths: stat family, open flags, the path calls
 * aarch64 has only as *at, file times, getdents, statfs. */
#include "test_abi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void check_stat(const struct x_stat *x, const struct stat *h)
{
	CHECK_EQ(x->dev, h->st_dev);
	CHECK_EQ(x->ino, h->st_ino);
	CHECK_EQ(x->nlink, h->st_nlink);
	CHECK_EQ(x->mode, h->st_mode);
	CHECK_EQ(x->uid, h->st_uid);
	CHECK_EQ(x->gid, h->st_gid);
	CHECK_EQ(x->rdev, h->st_rdev);
	CHECK_EQ(x->size, h->st_size);
	CHECK_EQ(x->blksize, h->st_blksize);
	CHECK_EQ(x->blocks, h->st_blocks);
	CHECK_EQ(x->atime, h->st_atim.tv_sec);
	CHECK_EQ(x->atime_ns, h->st_atim.tv_nsec);
	CHECK_EQ(x->mtime, h->st_mtim.tv_sec);
	CHECK_EQ(x->mtime_ns, h->st_mtim.tv_nsec);
	CHECK_EQ(x->ctime, h->st_ctim.tv_sec);
	CHECK_EQ(x->ctime_ns, h->st_ctim.tv_nsec);
}

static int make_file(const char *name, const char *content)
{
	int fd = open(tpath(name), O_CREAT | O_RDWR | O_TRUNC, 0640);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, content, strlen(content)), (long)strlen(content));
	return fd;
}

void test_fs_stat(void)
{
	int fd = make_file("st", "hello, stat");
	CHECK_EQ(symlink("st", tpath("st.ln")), 0);
	struct stat h, hl;
	CHECK_EQ(fstat(fd, &h), 0);

	struct x_stat x;
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_stat, tpath("st.ln"), &x), 0);
	check_stat(&x, &h);
	/* Following the link above may have touched its access time. */
	CHECK_EQ(lstat(tpath("st.ln"), &hl), 0);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_fstat, fd, &x), 0);
	check_stat(&x, &h);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_lstat, tpath("st.ln"), &x), 0);
	check_stat(&x, &hl);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_newfstatat, X_AT_FDCWD, tpath("st.ln"), &x, X_AT_SYMLINK_NOFOLLOW), 0);
	check_stat(&x, &hl);
	int dfd = open(test_dir, O_RDONLY | O_DIRECTORY);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_newfstatat, dfd, "st", &x, 0), 0);
	check_stat(&x, &h);

	/* The runtime's helper gives the same bytes. */
	struct abi_x86_stat conv;
	abi_stat_to_x86(&conv, &h);
	CHECK_EQ(SYS(X_fstat, fd, &x), 0);
	CHECK(memcmp(&conv, &x, sizeof(x)) == 0);

	CHECK_ERR(SYS(X_stat, tpath("missing"), &x), X_ENOENT);
	CHECK_ERR(SYS(X_stat, tpath("st"), NULL), X_EFAULT);
	CHECK_ERR(SYS(X_fstat, -1, &x), X_EBADF);
	CHECK_ERR(SYS(X_fstat, fd, 16), X_EFAULT);
	close(dfd);
	close(fd);
}

/* The four bits arm64 moves, in open, openat, openat2, fcntl and pipe2. */
void test_fs_open_flags(void)
{
	close(make_file("of", "x"));
	CHECK_EQ(mkdir(tpath("od"), 0755), 0);
	CHECK_EQ(symlink("of", tpath("of.ln")), 0);

	CHECK_ERR(SYS(X_open, tpath("of"), X_O_RDONLY | X_O_DIRECTORY), X_ENOTDIR);
	CHECK_ERR(SYS(X_open, tpath("of.ln"), X_O_RDONLY | X_O_NOFOLLOW), X_ELOOP);
	CHECK_ERR(SYS(X_openat, X_AT_FDCWD, tpath("of"), X_O_RDONLY | X_O_DIRECTORY), X_ENOTDIR);
	CHECK_ERR(SYS(X_open, tpath("of"), X_O_WRONLY | X_O_CREAT | X_O_EXCL, 0600), X_EEXIST);

	/* F_GETFL reports what open was given, in x86-64 bits; 64-bit Linux
	 * adds O_LARGEFILE itself (qemu-user's F_GETFL drops it). */
	long fd = SYS(X_open, tpath("od"), X_O_RDONLY | X_O_DIRECTORY | X_O_NOFOLLOW);
	CHECK(fd >= 0);
	long fl = SYS(X_fcntl, fd, X_F_GETFL);
	int hfl = fcntl(fd, F_GETFL);
	CHECK_EQ(hfl & (O_DIRECTORY | O_NOFOLLOW), O_DIRECTORY | O_NOFOLLOW);
	CHECK_EQ(fl & (X_O_DIRECTORY | X_O_NOFOLLOW | X_O_LARGEFILE | X_O_DIRECT),
		 X_O_DIRECTORY | X_O_NOFOLLOW | (hfl & H_O_LARGEFILE ? X_O_LARGEFILE : 0));
	close(fd);

	fd = SYS(X_openat, X_AT_FDCWD, tpath("of"), X_O_RDWR | X_O_APPEND | X_O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(SYS(X_fcntl, fd, X_F_SETFL, X_O_NONBLOCK), 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK), O_NONBLOCK);
	/* O_DIRECT through F_SETFL: whatever the file system says natively. */
	int hfd = open(tpath("of"), O_RDWR);
	int host = fcntl(hfd, F_SETFL, O_DIRECT) == 0 ? 0 : -errno;
	CHECK_EQ(SYS(X_fcntl, fd, X_F_SETFL, X_O_DIRECT), host);
	if (!host)
		CHECK_EQ(fcntl(fd, F_GETFL) & O_DIRECT, O_DIRECT);
	CHECK_EQ(SYS(X_fcntl, fd, X_F_GETFL) & (X_O_DIRECT | X_O_DIRECTORY), host ? 0 : X_O_DIRECT);
	close(hfd);
	close(fd);

	/* O_TMPFILE contains O_DIRECTORY. */
	hfd = open(test_dir, O_TMPFILE | O_RDWR, 0600);
	host = hfd >= 0 ? 0 : -errno;
	fd = SYS(X_open, test_dir, X_O_TMPFILE | X_O_RDWR, 0600);
	CHECK_EQ(fd >= 0 ? 0 : fd, host);
	if (fd >= 0) {
		struct stat st;
		CHECK_EQ(fstat(fd, &st), 0);
		CHECK(S_ISREG(st.st_mode));
		CHECK_EQ(st.st_nlink, 0);
		close(fd);
	}
	if (hfd >= 0)
		close(hfd);

	/* openat2: struct open_how { u64 flags, mode, resolve }. */
	uint64_t how[4] = {X_O_RDONLY | X_O_DIRECTORY, 0, 0, 0};
	if (syscall(SYS_openat2, AT_FDCWD, test_dir, how, 24) < 0 && errno == ENOSYS) {
		test_skip("host lacks openat2");
	} else {
		CHECK_ERR(SYS(X_openat2, X_AT_FDCWD, tpath("of"), how, 24), X_ENOTDIR);
		fd = SYS(X_openat2, X_AT_FDCWD, tpath("od"), how, 32);
		CHECK(fd >= 0);
		CHECK_EQ(SYS(X_fcntl, fd, X_F_GETFL) & X_O_DIRECTORY, X_O_DIRECTORY);
		close(fd);
		how[3] = 1; /* a field this kernel does not know: refused */
		CHECK_EQ(SYS(X_openat2, X_AT_FDCWD, tpath("od"), how, 32),
			 syscall(SYS_openat2, AT_FDCWD, tpath("od"), how, 32) < 0 ? -errno : 0);
		CHECK_ERR(SYS(X_openat2, X_AT_FDCWD, tpath("od"), how, 8), X_EINVAL);
	}

	/* open_by_handle_at (needs CAP_DAC_READ_SEARCH). */
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh = {.h.handle_bytes = MAX_HANDLE_SZ};
	int mount_id;
	hfd = -1;
	if (name_to_handle_at(AT_FDCWD, tpath("of"), &fh.h, &mount_id, 0) == 0)
		hfd = open_by_handle_at(AT_FDCWD, &fh.h, O_RDONLY);
	if (hfd < 0) {
		test_skip("no file handles here (privilege or file system)");
	} else {
		int mfd = open(test_dir, O_RDONLY | O_DIRECTORY);
		CHECK_ERR(SYS(X_open_by_handle_at, mfd, &fh.h, X_O_RDONLY | X_O_DIRECTORY),
			  X_ENOTDIR);
		fd = SYS(X_open_by_handle_at, mfd, &fh.h, X_O_RDWR | X_O_NOFOLLOW);
		CHECK(fd >= 0);
		CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NOFOLLOW), O_RDWR | O_NOFOLLOW);
		close(fd);
		close(mfd);
		close(hfd);
	}

	/* fanotify_init's event_f_flags: the open flags of event descriptors,
	 * among which O_LARGEFILE but not O_NOFOLLOW is allowed. */
	errno = 0;
	hfd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | H_O_LARGEFILE);
	if (hfd < 0 && (errno == ENOSYS || errno == EPERM)) {
		test_skip("no fanotify here (privilege or host)");
	} else {
		fd = SYS(X_fanotify_init, FAN_CLASS_NOTIF | FAN_CLOEXEC,
			 X_O_RDONLY | X_O_LARGEFILE);
		CHECK_EQ(fd >= 0 ? 0 : fd, hfd >= 0 ? 0 : -errno);
		CHECK_EQ(SYS(X_fanotify_init, FAN_CLASS_NOTIF, X_O_RDONLY | X_O_NOFOLLOW),
			 fanotify_init(FAN_CLASS_NOTIF, O_RDONLY | O_NOFOLLOW) < 0 ? -errno : -999);
		if (fd >= 0)
			close(fd);
		if (hfd >= 0)
			close(hfd);
	}

	/* pipe2's O_DIRECT is packet mode. */
	int p[2];
	CHECK_EQ(SYS(X_pipe2, p, X_O_DIRECT | X_O_NONBLOCK | X_O_CLOEXEC), 0);
	CHECK_EQ(fcntl(p[1], F_GETFL) & (O_DIRECT | O_NONBLOCK), O_DIRECT | O_NONBLOCK);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(write(p[1], "cde", 3), 3);
	char buf[8];
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2); /* one packet */
	close(p[0]);
	close(p[1]);

	/* The runtime's helpers: a bijection on these bits. */
	int moved[] = {X_O_DIRECT, X_O_LARGEFILE, X_O_DIRECTORY, X_O_NOFOLLOW};
	int host_bit[] = {O_DIRECT, H_O_LARGEFILE, O_DIRECTORY, O_NOFOLLOW};
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(abi_open_flags_to_host(moved[i] | X_O_APPEND), host_bit[i] | O_APPEND);
		CHECK_EQ(abi_open_flags_from_host(host_bit[i] | O_APPEND), moved[i] | X_O_APPEND);
	}
}

void test_fs_paths(void)
{
	mode_t mask = umask(022);
	CHECK_EQ(SYS(X_mkdir, tpath("pd"), 0777), 0);
	struct stat st;
	CHECK_EQ(stat(tpath("pd"), &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_ERR(SYS(X_mkdir, tpath("pd"), 0777), X_EEXIST);
	CHECK_EQ(SYS(X_rmdir, tpath("pd")), 0);
	CHECK_EQ(stat(tpath("pd"), &st), -1);

	long fd = SYS(X_creat, tpath("pc"), 0666);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	fd = SYS(X_creat, tpath("pc"), 0666); /* truncates */
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	close(fd);

	CHECK_EQ(SYS(X_access, tpath("pc"), F_OK), 0);
	CHECK_ERR(SYS(X_access, tpath("nothing"), F_OK), X_ENOENT);
	CHECK_ERR(SYS(X_access, tpath("pc"), X_OK), X_EACCES);

	CHECK_EQ(SYS(X_symlink, "pc", tpath("pl")), 0);
	char buf[64] = "";
	CHECK_EQ(SYS(X_readlink, tpath("pl"), buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "pc", 2) == 0);
	CHECK_ERR(SYS(X_readlink, tpath("pc"), buf, sizeof(buf)), X_EINVAL);

	CHECK_EQ(SYS(X_link, tpath("pc"), tpath("ph")), 0);
	CHECK_EQ(stat(tpath("pc"), &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(SYS(X_unlink, tpath("ph")), 0);
	CHECK_EQ(stat(tpath("pc"), &st), 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_ERR(SYS(X_unlink, tpath("ph")), X_ENOENT);

	CHECK_EQ(SYS(X_rename, tpath("pc"), tpath("pr")), 0);
	CHECK_EQ(access(tpath("pc"), F_OK), -1);
	CHECK_EQ(access(tpath("pr"), F_OK), 0);

	CHECK_EQ(SYS(X_mknod, tpath("pf"), S_IFIFO | 0600, 0), 0);
	CHECK_EQ(stat(tpath("pf"), &st), 0);
	CHECK(S_ISFIFO(st.st_mode));

	CHECK_EQ(SYS(X_chmod, tpath("pr"), 0604), 0);
	CHECK_EQ(stat(tpath("pr"), &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0604);

	CHECK_EQ(SYS(X_chown, tpath("pr"), getuid(), getgid()), 0);
	CHECK_EQ(SYS(X_chown, tpath("pr"), -1, -1), 0);
	CHECK_EQ(SYS(X_symlink, "pr", tpath("pl2")), 0);
	CHECK_EQ(SYS(X_lchown, tpath("pl2"), getuid(), getgid()), 0);
	/* lchown must not follow: a dangling link is fine, chown is not. */
	CHECK_EQ(SYS(X_symlink, "nowhere", tpath("pdangle")), 0);
	CHECK_EQ(SYS(X_lchown, tpath("pdangle"), -1, -1), 0);
	CHECK_ERR(SYS(X_chown, tpath("pdangle"), -1, -1), X_ENOENT);
	umask(mask);
}

void test_fs_times(void)
{
	close(make_file("t", "t"));
	struct stat st;
	int64_t ub[2] = {1000, 2000}; /* struct utimbuf */
	CHECK_EQ(SYS(X_utime, tpath("t"), ub), 0);
	CHECK_EQ(stat(tpath("t"), &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK_EQ(st.st_atim.tv_nsec, 0);
	CHECK_EQ(st.st_mtim.tv_sec, 2000);
	CHECK_EQ(st.st_mtim.tv_nsec, 0);
	time_t before = time(NULL);
	CHECK_EQ(SYS(X_utime, tpath("t"), NULL), 0);
	CHECK_EQ(stat(tpath("t"), &st), 0);
	CHECK(st.st_mtim.tv_sec >= before - 1 && st.st_mtim.tv_sec <= time(NULL) + 1);

	struct x_timeval tv[2] = {{3000, 500000}, {4000, 250}};
	CHECK_EQ(SYS(X_utimes, tpath("t"), tv), 0);
	CHECK_EQ(stat(tpath("t"), &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 3000);
	CHECK_EQ(st.st_atim.tv_nsec, 500000000);
	CHECK_EQ(st.st_mtim.tv_sec, 4000);
	CHECK_EQ(st.st_mtim.tv_nsec, 250000);
	tv[1].usec = 1000000;
	CHECK_ERR(SYS(X_utimes, tpath("t"), tv), X_EINVAL);
	tv[1].usec = -1;
	CHECK_ERR(SYS(X_utimes, tpath("t"), tv), X_EINVAL);

	int dfd = open(test_dir, O_RDONLY | O_DIRECTORY);
	struct x_timeval tv2[2] = {{5000, 1}, {6000, 2}};
	CHECK_EQ(SYS(X_futimesat, dfd, "t", tv2), 0);
	CHECK_EQ(stat(tpath("t"), &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 5000);
	CHECK_EQ(st.st_atim.tv_nsec, 1000);
	CHECK_EQ(st.st_mtim.tv_sec, 6000);
	CHECK_EQ(st.st_mtim.tv_nsec, 2000);
	/* A null path means the descriptor itself. */
	int fd = open(tpath("t"), O_RDWR);
	tv2[1].sec = 7000;
	CHECK_EQ(SYS(X_futimesat, fd, NULL, tv2), 0);
	CHECK_EQ(stat(tpath("t"), &st), 0);
	CHECK_EQ(st.st_mtim.tv_sec, 7000);
	CHECK_ERR(SYS(X_utimes, tpath("missing"), NULL), X_ENOENT);
	close(fd);
	close(dfd);
}

/* Old struct linux_dirent: u64 ino, u64 off, u16 reclen, name, ..., d_type
 * in the record's last byte. */
struct entry {
	uint64_t ino;
	unsigned char type;
	char name[256];
};

static int read_old_dirents(int fd, size_t bufsize, struct entry *out, int max)
{
	int n = 0;
	unsigned char buf[4096] __attribute__((aligned(8)));
	for (;;) {
		long r = SYS(X_getdents, fd, buf, bufsize);
		CHECK(r >= 0);
		if (r <= 0)
			return n;
		for (long off = 0; off < r;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			CHECK(reclen % 8 == 0 && reclen >= 24 && off + reclen <= r);
			if (n < max) {
				memcpy(&out[n].ino, buf + off, 8);
				out[n].type = buf[off + reclen - 1];
				snprintf(out[n].name, sizeof(out[n].name), "%s",
					 (char *)buf + off + 18);
			}
			n++;
			off += reclen;
		}
	}
}

void test_fs_getdents(void)
{
	CHECK_EQ(mkdir(tpath("gd"), 0755), 0);
	close(make_file("gd/a", ""));
	close(make_file("gd/bb", ""));
	close(make_file("gd/a-much-longer-name.txt", ""));
	CHECK_EQ(mkdir(tpath("gd/sub"), 0755), 0);
	CHECK_EQ(symlink("a", tpath("gd/ln")), 0);
	CHECK_EQ(mkfifo(tpath("gd/fifo"), 0600), 0);

	/* The host's view. */
	struct entry want[16];
	int nwant = 0;
	DIR *d = opendir(tpath("gd"));
	for (struct dirent *e; (e = readdir(d)) && nwant < 16; nwant++) {
		want[nwant].ino = e->d_ino;
		want[nwant].type = e->d_type;
		snprintf(want[nwant].name, sizeof(want[0].name), "%s", e->d_name);
	}
	closedir(d);
	CHECK_EQ(nwant, 8);

	/* A roomy buffer, then one so small each call returns one record. */
	for (int pass = 0; pass < 2; pass++) {
		int fd = open(tpath("gd"), O_RDONLY | O_DIRECTORY);
		struct entry got[16];
		int ngot = read_old_dirents(fd, pass ? 48 : 4096, got, 16);
		close(fd);
		CHECK_EQ(ngot, nwant);
		for (int i = 0; i < ngot && i < nwant; i++) {
			CHECK(strcmp(got[i].name, want[i].name) == 0);
			CHECK_EQ(got[i].ino, want[i].ino);
			CHECK_EQ(got[i].type, want[i].type);
		}
	}

	/* A buffer too small for the first record. */
	int fd = open(tpath("gd"), O_RDONLY | O_DIRECTORY);
	unsigned char small[16];
	CHECK_ERR(SYS(X_getdents, fd, small, sizeof(small)), X_EINVAL);
	CHECK_ERR(SYS(X_getdents, -1, small, sizeof(small)), X_EBADF);
	CHECK_ERR(SYS(X_getdents, fd, NULL, 4096), X_EFAULT);
	/* getdents64 is the same on both: the same records. */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	unsigned char b64[4096];
	long r = SYS(X_getdents64, fd, b64, sizeof(b64));
	CHECK(r > 0);
	CHECK(strcmp((char *)b64 + 19, want[0].name) == 0);
	close(fd);
}

void test_fs_statfs(void)
{
	struct statfs h;
	CHECK_EQ(statfs(test_dir, &h), 0);
	struct x_statfs x;
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_statfs, test_dir, &x), 0);
	CHECK_EQ(x.type, h.f_type);
	CHECK_EQ(x.bsize, h.f_bsize);
	CHECK_EQ(x.blocks, h.f_blocks);
	CHECK_EQ(x.files, h.f_files);
	CHECK_EQ(x.namelen, h.f_namelen);
	CHECK_EQ(x.frsize, h.f_frsize);
	CHECK_EQ(x.flags, h.f_flags);
	CHECK(memcmp(x.fsid, &h.f_fsid, 8) == 0);
	int fd = open(test_dir, O_RDONLY);
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_fstatfs, fd, &x), 0);
	CHECK_EQ(x.type, h.f_type);
	CHECK_EQ(x.blocks, h.f_blocks);
	CHECK_EQ(x.namelen, h.f_namelen);
	CHECK_EQ(x.flags, h.f_flags);
	close(fd);
}
