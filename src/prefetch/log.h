/* SPDX-License-Identifier: ISC */
/*
 * log.h: prefetchd's messages, to stderr or to syslog.
 */
#ifndef PF_LOG_H
#define PF_LOG_H

#include <syslog.h>

/* Sends messages to syslog from now on (opened at once, before any
 * sandbox would forbid creating its socket). */
void pf_log_syslog(const char *ident);
void pf_log_verbose(int on);
void pf_log(int priority, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif /* PF_LOG_H */
