/* SPDX-License-Identifier: ISC */
/* Stand-in <syslog.h> for the platform checks (POSIX 2008). */
#ifndef STANDIN_SYSLOG_H
#define STANDIN_SYSLOG_H
#define LOG_PID 0x01
#define LOG_NDELAY 0x08
#define LOG_DAEMON (3 << 3)
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7
void openlog(const char *ident, int logopt, int facility);
void syslog(int priority, const char *message, ...);
void closelog(void);
#include <stdarg.h>
void vsyslog(int priority, const char *message, va_list args);
#endif
