# SPDX-License-Identifier: ISC
# GIVEFD_MSGHDR_MEMBERS
# Defines HAVE_CONTROL_IN_MSGHDR when struct msghdr has a real msg_control
# member, and HAVE_ACCRIGHTS_IN_MSGHDR for the 4.3BSD msg_accrights. A member
# name that is a macro (some systems alias one to the other depending on the
# X/Open level) is not taken for the real thing. msg_accrights is looked for
# without the X/Open feature macros, as src/lib/accrights.c is built
# (Solaris and illumos hide it from XPG4.2 programs). The answers are
# cached, so a cross build can preset givefd_cv_msghdr_control /
# givefd_cv_msghdr_accrights.
dnl The same undefinitions as the accrights files, from the same header.
AC_DEFUN([GIVEFD_NO_XOPEN_PROLOGUE], [[
#include "$srcdir/src/lib/accrights_xopen.h"
]])

AC_DEFUN([GIVEFD_MSGHDR_MEMBER], [
  AC_CACHE_CHECK([for $1 in struct msghdr$4], [givefd_cv_msghdr_$2], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([$5[
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#ifdef $1
#error "$1 is a macro"
#endif
]], [[
struct msghdr m;
m.$1 = 0;
return m.$1 != 0;
]])], [givefd_cv_msghdr_$2=yes], [givefd_cv_msghdr_$2=no])])
  AS_IF([test "x$givefd_cv_msghdr_$2" = xyes],
    [AC_DEFINE([$3], [1], [Define if struct msghdr has a $1 member])])
])

AC_DEFUN([GIVEFD_MSGHDR_MEMBERS], [
  GIVEFD_MSGHDR_MEMBER([msg_control], [control], [HAVE_CONTROL_IN_MSGHDR])
  GIVEFD_MSGHDR_MEMBER([msg_accrights], [accrights], [HAVE_ACCRIGHTS_IN_MSGHDR],
    [ without X/Open macros], [GIVEFD_NO_XOPEN_PROLOGUE])
])
