# SPDX-License-Identifier: ISC
# GIVEFD_SANITIZERS
# Whether CC and CFLAGS build with a sanitizer runtime (-fsanitize=...).
# Such a runtime must come first in a process and deadlocks in a child that
# shares its memory, so the defaults that depend on that read
# givefd_sanitized: the pipe backends' clone helper, prefetchd's seccomp
# filter, the tests that preload a module into a plain program.
AC_DEFUN([GIVEFD_SANITIZERS], [
  AC_MSG_CHECKING([whether the build uses a sanitizer runtime])
  AS_CASE([" $CC $CFLAGS $LDFLAGS "], [*-fsanitize=*], [givefd_sanitized=yes],
          [givefd_sanitized=no])
  AC_MSG_RESULT([$givefd_sanitized])
  AS_IF([test "x$givefd_sanitized" = xyes],
    [AC_DEFINE([GIVEFD_SANITIZED], [1],
      [Define when the build runs under a sanitizer runtime])])
  AC_SUBST([GIVEFD_SANITIZED], [$givefd_sanitized])
])
