# SPDX-License-Identifier: ISC
# GIVEFD_CMSG_MACROS
# Defines HAVE_CMSG_SPACE, HAVE_CMSG_LEN and HAVE_CMSG_ALIGN for the
# control-message macros that <sys/socket.h> provides; compat/cmsg.h supplies
# the others.
AC_DEFUN([GIVEFD_CMSG_MACRO], [
  AC_CACHE_CHECK([for $1], [givefd_cv_macro_$1], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/socket.h>
]], [[
#ifndef $1
#error "no $1"
#endif
]])], [givefd_cv_macro_$1=yes], [givefd_cv_macro_$1=no])])
  AS_IF([test "x$givefd_cv_macro_$1" = xyes],
    [AC_DEFINE([HAVE_$1], [1], [Define if <sys/socket.h> defines $1])])
])

AC_DEFUN([GIVEFD_CMSG_MACROS], [
  GIVEFD_CMSG_MACRO([CMSG_SPACE])
  GIVEFD_CMSG_MACRO([CMSG_LEN])
  GIVEFD_CMSG_MACRO([CMSG_ALIGN])
  GIVEFD_CMSG_MACRO([SCM_RIGHTS])
])
