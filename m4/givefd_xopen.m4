# SPDX-License-Identifier: ISC
# GIVEFD_XOPEN_FEATURES
# Some systems (Solaris, illumos) declare msg_control and the CMSG_* macros
# only for XPG4.2 programs. When <sys/socket.h> hides CMSG_DATA, retry with
# the X/Open feature macros and keep the first set that shows it, so that
# every later probe and the build see the same struct msghdr.
AC_DEFUN([GIVEFD_XOPEN_FEATURES], [
  AC_CACHE_CHECK([for the feature macros that show CMSG_DATA],
    [givefd_cv_xopen_cppflags], [
    givefd_cv_xopen_cppflags=unknown
    givefd_save_CPPFLAGS=$CPPFLAGS
    for givefd_flags in "" "-D_XPG4_2" "-D_XOPEN_SOURCE=600"; do
      CPPFLAGS="$givefd_save_CPPFLAGS $givefd_flags"
      AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/socket.h>
]], [[
#ifndef CMSG_DATA
#error no CMSG_DATA
#endif
]])], [givefd_cv_xopen_cppflags="$givefd_flags"; break])
    done
    CPPFLAGS=$givefd_save_CPPFLAGS
    AS_IF([test "x$givefd_cv_xopen_cppflags" = x], [givefd_cv_xopen_cppflags=none])])
  AS_CASE([$givefd_cv_xopen_cppflags],
    [none|unknown], [],
    [CPPFLAGS="$CPPFLAGS $givefd_cv_xopen_cppflags"])
])
