# SPDX-License-Identifier: ISC
# GIVEFD_STREAMS
# The streams backend passes descriptors over STREAMS pipes with
# ioctl(I_SENDFD) and ioctl(I_RECVFD) (SVR4, Solaris, illumos). It needs
# <stropts.h> or <sys/stropts.h> declaring I_SENDFD, I_RECVFD, struct
# strrecvfd, putmsg and getmsg. Some C libraries ship the header without the
# kernel behind it (glibc before 2.30), so where the program can run,
# configure also checks that a pipe() end takes I_SENDFD. The answer is
# cached (givefd_cv_streams_works); a cross build assumes it works on
# Solaris-like hosts only. Sets givefd_can_streams and givefd_why_streams.
AC_DEFUN([GIVEFD_STREAMS], [
  AC_REQUIRE([AC_CANONICAL_HOST])
  AC_CHECK_HEADERS([stropts.h sys/stropts.h])
  AC_CACHE_CHECK([for I_SENDFD, I_RECVFD and struct strrecvfd],
    [givefd_cv_streams_decls], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#ifdef HAVE_STROPTS_H
#include <stropts.h>
#else
#include <sys/stropts.h>
#endif
]], [[struct strrecvfd r;
struct strbuf b;
int (*get)(int, struct strbuf *, struct strbuf *, int *) = getmsg;
int (*put)(int, const struct strbuf *, const struct strbuf *, int) = putmsg;
r.fd = 0; r.uid = 0; r.gid = 0;
b.maxlen = 0; b.len = 0; b.buf = 0;
return I_SENDFD + I_RECVFD + r.fd + b.len + (get == 0) + (put == 0);]])],
      [givefd_cv_streams_decls=yes], [givefd_cv_streams_decls=no])])
  AS_IF([test "x$givefd_cv_streams_decls" = xyes], [
    AC_CACHE_CHECK([whether a pipe takes I_SENDFD], [givefd_cv_streams_works], [
      AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <unistd.h>
#ifdef HAVE_STROPTS_H
#include <stropts.h>
#else
#include <sys/stropts.h>
#endif
]], [[int p[2];
if (pipe(p) == -1)
	return 1;
return ioctl(p[0], I_SENDFD, p[0]) == -1;]])],
        [givefd_cv_streams_works=yes], [givefd_cv_streams_works=no],
        [AS_CASE([$host_os], [solaris*|*illumos*|sysv4*|unixware*],
          [givefd_cv_streams_works=yes], [givefd_cv_streams_works=no])])])
  ])
  AS_IF([test "x$givefd_cv_streams_decls" != xyes],
    [givefd_can_streams=no
     givefd_why_streams="no <stropts.h> with I_SENDFD, I_RECVFD and struct strrecvfd"],
    [test "x$givefd_cv_streams_works" != xyes],
    [givefd_can_streams=no
     givefd_why_streams="<stropts.h> is there but pipes do not take I_SENDFD (preset givefd_cv_streams_works=yes to override)"],
    [givefd_can_streams=yes
     AC_DEFINE([HAVE_STREAMS_FDPASS], [1],
       [Define if pipes pass descriptors with I_SENDFD and I_RECVFD])])
])
