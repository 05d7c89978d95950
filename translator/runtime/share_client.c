/* share_client.c — the runtime's side of the share protocol (fs/xlatefs.h):
 * images are read from <share>/cache/<target>/<key>, modules and code maps
 * dropped into <share>/requests/. A local store (XLATE_STORE) may serve
 * images too. All of it is plain file operations, so it works the same on
 * a local FUSE mount and on virtiofs.
 *
 * The share is where the translator was started from: under binfmt_misc
 * the kernel runs <share>/rosetta, so the real /proc/self/exe names it
 * (the guest only ever sees its own program there: that view is the
 * syscall layer's). XLATE_SHARE names another one, unless AT_SECURE.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache/xlcache.h"
#include "fs/xlatefs.h"
#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

static char *share;
static struct xlc_store *store;

static bool is_dir(const char *dir, const char *sub)
{
	char p[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, sub) >= sizeof p)
		return false;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

void share_init(bool secure, const char *store_dir)
{
	const char *env = secure ? NULL : getenv("XLATE_SHARE");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		share = strdup(env);
	} else if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		char *slash;
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			if (is_dir(self, XLATEFS_CACHE_DIR) && is_dir(self, XLATEFS_REQUESTS_DIR))
				share = strdup(self[0] ? self : "/");
		}
	}
	if (store_dir && *store_dir && xlc_open(store_dir, XLC_RDONLY, &store))
		store = NULL;
	RT_DEBUG("share: %s, store: %s", share ? share : "none", store ? store_dir : "none");
}

bool share_present(void)
{
	return share != NULL;
}

int share_find_image(const uint8_t key[XLIMAGE_KEY_BYTES], int *fd, uint64_t *off, uint64_t *size)
{
	struct xlc_key k;
	char hex[XLC_KEY_HEX + 1], p[PATH_MAX];
	struct stat st;

	memcpy(k.b, key, sizeof k.b);
	xlc_key_hex(&k, hex);
	if (share && (size_t)snprintf(p, sizeof p, "%s/%s/%s/%s", share, XLATEFS_CACHE_DIR,
				      XLATEFS_HOST_TARGET, hex) < sizeof p) {
		*fd = open(p, O_RDONLY | O_CLOEXEC);
		if (*fd >= 0) {
			if (!fstat(*fd, &st) && S_ISREG(st.st_mode)) {
				*off = 0;
				*size = (uint64_t)st.st_size;
				return 0;
			}
			close(*fd);
		}
	}
	if (store) {
		struct xlc_entry e;
		if (!xlc_lookup(store, XLATEFS_HOST_TARGET, &k, &e)) {
			*fd = e.fd;
			*off = e.offset;
			*size = e.size;
			return 0;
		}
	}
	return -ENOENT;
}

static int request_path(char *p, size_t size, const uint8_t key[XLIMAGE_KEY_BYTES],
			const char *suffix)
{
	struct xlc_key k;
	char hex[XLC_KEY_HEX + 1];
	if (!share)
		return -ENOENT;
	memcpy(k.b, key, sizeof k.b);
	xlc_key_hex(&k, hex);
	if ((size_t)snprintf(p, size, "%s/%s/%s%s", share, XLATEFS_REQUESTS_DIR, hex, suffix) >=
	    size)
		return -ENAMETOOLONG;
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int share_submit_module(const uint8_t key[XLIMAGE_KEY_BYTES], const char *path, uint64_t size)
{
	char p[PATH_MAX];
	struct xlc_key k;
	struct stat st;
	uint8_t buf[1 << 16];
	int in, out, err;
	off_t pos = 0;

	if ((err = request_path(p, sizeof p, key, "")))
		return err;
	/* Exclusive create first: the usual answer, EEXIST (the share has
	 * the module), costs one open. */
	out = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0)
		return -errno;
	/* The file may have changed since it was mapped: send only the same bytes. */
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) || (uint64_t)st.st_size != size ||
	    xlc_key_from_fd(in, &k) || memcmp(k.b, key, sizeof k.b))
		err = -ESTALE;
	while (!err) {
		ssize_t r = pread(in, buf, sizeof buf, pos);
		if (r <= 0) {
			err = r < 0 ? -errno : 0;
			break;
		}
		pos += r;
		err = write_all(out, buf, (size_t)r);
	}
	if (close(out) && !err)
		err = -errno;
	if (err)
		unlink(p); /* an incomplete upload is refused by the daemon anyway */
	if (in >= 0)
		close(in);
	RT_DEBUG("submitted module %s: %s", path, err ? strerror(-err) : "ok");
	return err;
}

int share_submit_map(const uint8_t key[XLIMAGE_KEY_BYTES], const uint8_t *buf, size_t len)
{
	char p[PATH_MAX];
	int fd, err;
	if ((err = request_path(p, sizeof p, key, XLATEFS_MAP_SUFFIX)))
		return err;
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (close(fd) && !err)
		err = -errno;
	return err;
}
