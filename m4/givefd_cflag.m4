# SPDX-License-Identifier: ISC
# GIVEFD_CHECK_CFLAG(FLAG, [ACTION-IF-ACCEPTED], [ACTION-IF-REJECTED])
# Runs the actions depending on whether the C compiler accepts FLAG without
# a warning turned into an error.
AC_DEFUN([GIVEFD_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([cachevar], [givefd_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [cachevar], [
    givefd_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([cachevar], [yes])], [AS_VAR_SET([cachevar], [no])])
    CFLAGS=$givefd_save_CFLAGS])
  AS_VAR_IF([cachevar], [yes], [$2], [$3])
  AS_VAR_POPDEF([cachevar])
])
