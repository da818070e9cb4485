/* SPDX-License-Identifier: ISC */
/*
 * log.c: see log.h. Debug messages only appear with --verbose.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static int pf_use_syslog;
static int pf_verbose;

void pf_log_syslog(const char *ident)
{
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	pf_use_syslog = 1;
}

void pf_log_verbose(int on)
{
	pf_verbose = on;
}

void pf_log(int priority, const char *fmt, ...)
{
	va_list ap;

	if (priority == LOG_DEBUG && !pf_verbose)
		return;
	va_start(ap, fmt);
	if (pf_use_syslog) {
		vsyslog(priority, fmt, ap);
	} else {
		fputs("prefetchd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
