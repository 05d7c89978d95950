/* SPDX-License-Identifier: MIT */
/* Logging: stderr in the foreground, syslog once daemonised. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "fs/internal.h"

static int use_syslog;
static int max_prio = LOG_INFO;

void xfs_log_init(int to_syslog, int debug)
{
	use_syslog = to_syslog;
	max_prio = debug ? LOG_DEBUG : LOG_INFO;
	if (to_syslog)
		openlog("xlatefs", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void xfs_log(int prio, const char *fmt, ...)
{
	static const char *const tag[] = {
		[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert",	  [LOG_CRIT] = "crit",
		[LOG_ERR] = "error",   [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info",   [LOG_DEBUG] = "debug",
	};
	char msg[1024];
	va_list ap;

	if (prio > max_prio)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (use_syslog)
		syslog(prio, "%s", msg);
	else
		fprintf(stderr, "xlatefs: %s: %s\n", tag[prio & 7], msg);
}
