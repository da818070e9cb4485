# SPDX-License-Identifier: ISC
# GIVEFD_PEER_CREDENTIALS
# Where the user and group of a Unix socket's peer come from. getpeereid is
# used when libc has it; otherwise compat/getpeereid.c builds it from the
# first of these that exists:
#   HAVE_SO_PEERCRED_UCRED        SO_PEERCRED with struct ucred (Linux)
#   HAVE_SO_PEERCRED_SOCKPEERCRED SO_PEERCRED with struct sockpeercred (OpenBSD)
#   HAVE_GETPEERUCRED             getpeerucred and <ucred.h> (Solaris, illumos)
#   HAVE_LOCAL_PEERCRED           LOCAL_PEERCRED with struct xucred (FreeBSD, macOS)
# and fails with ENOTSUP when none does.
AC_DEFUN([GIVEFD_PEERCRED_PROBE], [
  AC_CACHE_CHECK([for $1], [givefd_cv_$2], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/socket.h>
]$3], [$4])], [givefd_cv_$2=yes], [givefd_cv_$2=no])])
  AS_IF([test "x$givefd_cv_$2" = xyes],
    [AC_DEFINE(m4_toupper([HAVE_$2]), [1], [Define if the system has $1])])
])

AC_DEFUN([GIVEFD_PEER_CREDENTIALS], [
  AC_REPLACE_FUNCS([getpeereid])
  GIVEFD_PEERCRED_PROBE([SO_PEERCRED with struct ucred], [so_peercred_ucred], [],
    [[struct ucred c; socklen_t n = sizeof c;
return getsockopt(0, SOL_SOCKET, SO_PEERCRED, &c, &n) + (int)c.uid + (int)c.gid + (int)c.pid;]])
  GIVEFD_PEERCRED_PROBE([SO_PEERCRED with struct sockpeercred], [so_peercred_sockpeercred], [],
    [[struct sockpeercred c; socklen_t n = sizeof c;
return getsockopt(0, SOL_SOCKET, SO_PEERCRED, &c, &n) + (int)c.uid + (int)c.gid;]])
  GIVEFD_PEERCRED_PROBE([getpeerucred], [getpeerucred], [[#include <ucred.h>]],
    [[ucred_t *c = NULL;
if (getpeerucred(0, &c) == -1)
	return 1;
return (int)ucred_geteuid(c) + (int)ucred_getegid(c) + (ucred_free(c), 0);]])
  GIVEFD_PEERCRED_PROBE([LOCAL_PEERCRED with struct xucred], [local_peercred],
    [[#include <sys/un.h>
#include <sys/ucred.h>
#ifndef SOL_LOCAL
#define SOL_LOCAL 0
#endif]],
    [[struct xucred c; socklen_t n = sizeof c;
return getsockopt(0, SOL_LOCAL, LOCAL_PEERCRED, &c, &n) + (int)c.cr_version +
	(int)c.cr_uid + (int)c.cr_groups[0] + XUCRED_VERSION;]])
])
