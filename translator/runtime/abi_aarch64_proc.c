/* abi_aarch64_proc.c — sysfs(2) and ustat(2), which aarch64 lacks. Both
 * answer from what the kernel lists in /proc: the registered filesystem
 * types in registration order (sysfs's indices), and the mounts with
 * their device numbers (ustat's lookup of a superblock by device). Without
 * /proc they return ENOSYS. */
#if defined(__aarch64__)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "translator/runtime/abi_aarch64.h"

/* Calls fn on each line of a /proc file, without its newline, until fn
 * returns nonzero; returns that, 0 at the end, or -ENOSYS without /proc.
 * No allocation: lines longer than the buffer are skipped whole. */
typedef long line_fn(char *line, void *ctx);
static long each_line(const char *path, line_fn *fn, void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOSYS;
	char buf[8192];
	size_t have = 0;
	bool skipping = false;
	long r = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		have += n;
		if (n == 0 && have && buf[have - 1] != '\n')
			buf[have++] = '\n'; /* a last line without newline */
		char *start = buf, *nl;
		while (!r && (nl = memchr(start, '\n', buf + have - start))) {
			*nl = '\0';
			if (!skipping)
				r = fn(start, ctx);
			skipping = false;
			start = nl + 1;
		}
		if (r || n == 0)
			break;
		have -= start - buf;
		memmove(buf, start, have);
		if (have == sizeof(buf) - 1) {
			skipping = true;
			have = 0;
		}
	}
	close(fd);
	return r;
}

/* ---- sysfs ------------------------------------------------------------- */
/* /proc/filesystems lines are "nodev\tNAME" or "\tNAME". */
struct fs_walk {
	long index;	  /* of the current line */
	const char *name; /* option 1: looking for this name */
	long want;	  /* option 2: looking for this index */
	uint64_t out;	  /* option 2: where the name goes */
};

static long fs_line(char *line, void *ctx)
{
	struct fs_walk *w = ctx;
	char *tab = strchr(line, '\t');
	const char *name = tab ? tab + 1 : line;
	long i = w->index++;
	if (w->name && !strcmp(name, w->name))
		return i + 1;
	if (!w->name && i == w->want)
		return abi_write(w->out, name, strlen(name) + 1) ? -EFAULT : 1;
	return 0;
}

long a64_sysfs(const uint64_t a[6])
{
	struct fs_walk w = {.want = -1};
	char name[256];
	long r;
	switch ((int)a[0]) {
	case 1: /* index of the type named a[1] */
		r = abi_read_str(name, a[1], sizeof(name));
		if (r == -ENAMETOOLONG)
			return -EINVAL; /* longer than any type's name */
		if (r < 0)
			return r;
		w.name = name;
		r = each_line("/proc/filesystems", fs_line, &w);
		return r > 0 ? r - 1 : r < 0 ? r : -EINVAL;
	case 2: /* name of type a[1], into a[2] */
		w.want = (unsigned)a[1];
		w.out = a[2];
		r = each_line("/proc/filesystems", fs_line, &w);
		return r > 0 ? 0 : r < 0 ? r : -EINVAL;
	case 3: /* number of types */
		r = each_line("/proc/filesystems", fs_line, &w);
		return r < 0 ? r : w.index;
	default: return -EINVAL;
	}
}

/* ---- ustat ------------------------------------------------------------- */
struct x86_ustat {
	int32_t f_tfree;
	uint64_t f_tinode;
	char f_fname[6];
	char f_fpack[6];
};
_Static_assert(sizeof(struct x86_ustat) == 32, "x86-64 struct ustat");

struct mount_walk {
	unsigned maj, min;
	dev_t dev;
	struct statfs st;
};

/* Mount points in mountinfo escape space, tab, newline and backslash as
 * three octal digits. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": statfs the first mount point of
 * the device that still shows that device (not covered by another mount). */
static long mount_line(char *line, void *ctx)
{
	struct mount_walk *w = ctx;
	unsigned maj, min;
	int point = 0;
	if (sscanf(line, "%*s %*s %u:%u %*s %n", &maj, &min, &point) != 2 || !point)
		return 0;
	if (maj != w->maj || min != w->min)
		return 0;
	char *end = strchr(line + point, ' ');
	if (end)
		*end = '\0';
	unescape(line + point);
	struct stat st;
	if (stat(line + point, &st) || st.st_dev != w->dev || statfs(line + point, &w->st))
		return 0;
	return 1;
}

long a64_ustat(const uint64_t a[6])
{
	/* The device number as the x86-64 kernel decodes it (new_decode_dev). */
	unsigned dev = (unsigned)a[0];
	struct mount_walk w = {
		.maj = (dev & 0xfff00) >> 8,
		.min = (dev & 0xff) | ((dev >> 12) & 0xfff00),
	};
	w.dev = makedev(w.maj, w.min);
	long r = each_line("/proc/self/mountinfo", mount_line, &w);
	if (r <= 0)
		return r < 0 ? r : -EINVAL;
	struct x86_ustat u = {.f_tfree = (int32_t)w.st.f_bfree, .f_tinode = w.st.f_ffree};
	return abi_write(a[1], &u, sizeof(u));
}
#endif
