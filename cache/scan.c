/* SPDX-License-Identifier: MIT */
/* Walking every <target>/<kk>/ directory of a store. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cache/internal.h"

static int is_hex2(const char *s)
{
	static const char hex[] = "0123456789abcdef";

	return s[0] && strchr(hex, s[0]) && s[1] && strchr(hex, s[1]) && !s[2];
}

/* Opens name (a directory) under dfd as a DIR stream. */
static DIR *open_dir_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

static int scan_kk(struct xlc_store *st, struct xlc_scan_item *it, const char *kk, int tdfd,
		   xlc_scan_fn fn, void *arg)
{
	DIR *d = open_dir_at(tdfd, kk);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	it->dirfd = dirfd(d);
	while (!r && (de = readdir(d))) {
		it->name = de->d_name;
		it->is_temp = strncmp(de->d_name, XLC_TEMP_PREFIX, strlen(XLC_TEMP_PREFIX)) == 0;
		/* Keys live in the directory named by their first two digits. */
		if (!it->is_temp &&
		    (xlc_key_parse(de->d_name, &it->key) < 0 || memcmp(de->d_name, kk, 2) != 0))
			continue;
		r = fn(st, it, arg);
	}
	closedir(d);
	return r;
}

static int scan_target(struct xlc_store *st, const char *target, xlc_scan_fn fn, void *arg)
{
	struct xlc_scan_item it = {.target = target, .kind = xlc_target_kind(target)};
	DIR *d = open_dir_at(st->v1fd, target);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while (!r && (de = readdir(d)))
		if (is_hex2(de->d_name))
			r = scan_kk(st, &it, de->d_name, dirfd(d), fn, arg);
	closedir(d);
	return r;
}

int xlc_scan(struct xlc_store *st, xlc_scan_fn fn, void *arg)
{
	int fd = openat(st->v1fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while (!r && (de = readdir(d)))
		if (xlc_target_kind(de->d_name) > 0)
			r = scan_target(st, de->d_name, fn, arg);
	closedir(d);
	return r;
}
