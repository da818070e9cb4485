# SPDX-License-Identifier: ISC
# GIVEFD_CHECK_SOCKET_FLAG(NAME)
# Defines HAVE_NAME when <sys/socket.h> declares the flag or option NAME
# (MSG_CMSG_CLOEXEC, MSG_NOSIGNAL, SO_NOSIGPIPE, ...). These are enum
# constants on some systems, so the probe compiles a use rather than #ifdef.
AC_DEFUN([GIVEFD_CHECK_SOCKET_FLAG], [
  AC_CACHE_CHECK([for $1], [givefd_cv_flag_$1], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/socket.h>
]], [[int flag = $1; return flag == 0;]])],
      [givefd_cv_flag_$1=yes], [givefd_cv_flag_$1=no])])
  AS_IF([test "x$givefd_cv_flag_$1" = xyes],
    [AC_DEFINE([HAVE_$1], [1], [Define if <sys/socket.h> has $1])])
])
