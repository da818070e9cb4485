# SPDX-License-Identifier: ISC
# GIVEFD_CHECK_LDFLAG(FLAG, [ACTION-IF-ACCEPTED], [ACTION-IF-REJECTED])
# Runs the actions depending on whether linking with FLAG works.
AC_DEFUN([GIVEFD_CHECK_LDFLAG], [
  AS_VAR_PUSHDEF([cachevar], [givefd_cv_ldflag_$1])
  AC_CACHE_CHECK([whether the linker accepts $1], [cachevar], [
    givefd_save_LDFLAGS=$LDFLAGS
    LDFLAGS="$LDFLAGS $1"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([cachevar], [yes])], [AS_VAR_SET([cachevar], [no])])
    LDFLAGS=$givefd_save_LDFLAGS])
  AS_VAR_IF([cachevar], [yes], [$2], [$3])
  AS_VAR_POPDEF([cachevar])
])
