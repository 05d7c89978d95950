/* log.c — messages to stderr: XLATE_DEBUG tracing and startup errors.
 * Formatted into one buffer and written with one write(2), so that lines
 * of different processes do not interleave and no stdio state is shared
 * with anything the guest does on fd 2. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "translator/runtime/runtime.h"

int rt_debug_level;

void rt_log(const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "xlate[%d]: ", (int)getpid());
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m < (int)(sizeof buf - n - 1) ? m : (int)(sizeof buf - n - 2);
	buf[n++] = '\n';
	ssize_t w = write(2, buf, n);
	(void)w;
}
