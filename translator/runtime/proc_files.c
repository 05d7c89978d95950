/* proc_files.c — the files of /proc that must describe the guest rather
 * than the translator: /proc/self/{exe,auxv,maps,cmdline} (also under the
 * process's own pid and thread-self) and /proc/cpuinfo. Their contents
 * are rendered when opened and served from a memfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "translator/runtime/runtime.h"

// clang-format off
static const struct { const char *name; enum proc_file f; } per_process[] = {
	{"exe", PROC_EXE}, {"auxv", PROC_AUXV}, {"maps", PROC_MAPS}, {"cmdline", PROC_CMDLINE},
};
// clang-format on

/* Whether `s` (up to '/') names this process: self, thread-self or our pid. */
static const char *own_dir(const char *s)
{
	static const char *const names[] = {"self/", "thread-self/"};
	for (size_t i = 0; i < 2; i++)
		if (!strncmp(s, names[i], strlen(names[i])))
			return s + strlen(names[i]);
	char *end;
	long pid = strtol(s, &end, 10);
	if (end != s && *end == '/' && s[0] != '0' && pid == getpid())
		return end + 1;
	return NULL;
}

enum proc_file proc_classify(const char *path)
{
	if (strncmp(path, "/proc/", 6))
		return PROC_NONE;
	path += 6;
	if (!strcmp(path, "cpuinfo"))
		return PROC_CPUINFO;
	const char *rest = own_dir(path);
	if (!rest)
		return PROC_NONE;
	for (size_t i = 0; i < sizeof per_process / sizeof *per_process; i++)
		if (!strcmp(rest, per_process[i].name))
			return per_process[i].f;
	return PROC_NONE;
}

/* One line as the kernel's show_map_vma prints it. */
static int maps_line(char *out, size_t size, const struct gmap *m)
{
	const char *name = m->path;
	if (m->flags & GMAP_STACK)
		name = "[stack]";
	else if (m->flags & GMAP_HEAP)
		name = "[heap]";
	int n = snprintf(out, size, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
			 (unsigned long long)m->start, (unsigned long long)m->end,
			 m->prot & PROT_READ ? 'r' : '-', m->prot & PROT_WRITE ? 'w' : '-',
			 m->prot & PROT_EXEC ? 'x' : '-', m->flags & GMAP_SHARED ? 's' : 'p',
			 (unsigned long long)m->offset, major(m->dev), minor(m->dev),
			 (unsigned long long)m->ino);
	if (name) {
		/* The kernel pads to 72 columns, then one more space. */
		n += snprintf(out + n, size - n, "%*s%s", (n < 72 ? 72 - n : 0) + 1, "", name);
	}
	n += snprintf(out + n, size - n, "\n");
	return n;
}

static long render_maps(char **buf, size_t *len)
{
	size_t cap = 256 * (gmap_count() + 1);
	char *p = malloc(cap + 4096);
	if (!p)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < gmap_count(); i++) {
		if (cap - n < 4200) {
			cap *= 2;
			char *q = realloc(p, cap + 4096);
			if (!q) {
				free(p);
				return -ENOMEM;
			}
			p = q;
		}
		n += maps_line(p + n, cap + 4096 - n, gmap_at(i));
	}
	/* Emulated (vsyscall.c), and listed as x86-64 Linux lists it. */
	n += maps_line(p + n, cap + 4096 - n,
		       &(struct gmap){.start = VSYSCALL_ADDR,
				      .end = VSYSCALL_ADDR + GUEST_PAGE,
				      .prot = PROT_EXEC,
				      .path = "[vsyscall]"});
	*buf = p;
	*len = n;
	return 0;
}

static long render_copy(const void *data, size_t n, char **buf, size_t *len)
{
	*buf = malloc(n ? n : 1);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, data, n);
	*len = n;
	return 0;
}

static long render_cmdline(char **buf, size_t *len)
{
	size_t n = 0;
	for (int i = 0; i < rt_proc.argc; i++)
		n += strlen(rt_proc.argv[i]) + 1;
	char *p = malloc(n ? n : 1);
	if (!p)
		return -ENOMEM;
	size_t at = 0;
	for (int i = 0; i < rt_proc.argc; i++) {
		size_t l = strlen(rt_proc.argv[i]) + 1;
		memcpy(p + at, rt_proc.argv[i], l);
		at += l;
	}
	*buf = p;
	*len = n;
	return 0;
}

long proc_render(enum proc_file f, char **buf, size_t *len)
{
	switch (f) {
	case PROC_MAPS: {
		mem_lock();
		long r = render_maps(buf, len);
		mem_unlock();
		return r;
	}
	case PROC_AUXV: return render_copy(rt_proc.auxv, rt_proc.auxv_bytes, buf, len);
	case PROC_CMDLINE: return render_cmdline(buf, len);
	case PROC_EXE: return -EINVAL; /* a link, not a file: see sys_file.c */
	case PROC_CPUINFO: {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		*buf = identity_cpuinfo(n > 0 ? (int)n : 1, len);
		return 0;
	}
	case PROC_NONE: break;
	}
	return -ENOENT;
}

long proc_open(enum proc_file f, bool cloexec)
{
	char *buf;
	size_t len;
	long r = proc_render(f, &buf, &len);
	if (r)
		return r;
	int fd = memfd_create("xlate-proc", cloexec ? MFD_CLOEXEC : 0);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	size_t at = 0;
	while (at < len) {
		ssize_t w = write(fd, buf + at, len - at);
		if (w <= 0) {
			r = w < 0 ? -errno : -EIO;
			break;
		}
		at += w;
	}
	free(buf);
	if (r || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return r ? r : -errno;
	}
	return fd;
}
