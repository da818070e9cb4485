# GIVEFD_PREFETCH
# What prefetchd can use here: the advice and readahead calls, locked and
# populated mappings, cachestat(2), memory-filesystem detection, and
# libseccomp for the sandbox (--with-seccomp=auto|yes|no). Also where the
# systemd units go (--with-systemdsystemunitdir) and the prefetch files
# configure writes.
AC_DEFUN([GIVEFD_PREFETCH], [
  AC_REQUIRE([GIVEFD_SANITIZERS])
  AC_CHECK_HEADERS([sys/sysmacros.h sys/vfs.h linux/magic.h])
  AC_CHECK_FUNCS([posix_fadvise readahead fstatfs mincore])
  GIVEFD_PREFETCH_MMAP_FLAG([MAP_LOCKED])
  GIVEFD_PREFETCH_MMAP_FLAG([MAP_POPULATE])

  AC_CACHE_CHECK([for the cachestat system call number], [givefd_cv_cachestat], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <sys/syscall.h>
#include <unistd.h>]], [[return syscall(SYS_cachestat, 0, 0, 0, 0) == 0;]])],
      [givefd_cv_cachestat=yes], [givefd_cv_cachestat=no])])
  AS_IF([test "x$givefd_cv_cachestat" = xyes],
    [AC_DEFINE([HAVE_CACHESTAT_SYSCALL], [1], [Define if <sys/syscall.h> numbers cachestat])])

  AC_ARG_WITH([seccomp],
    [AS_HELP_STRING([--with-seccomp],
      [confine prefetchd with libseccomp (default: auto; no under -fsanitize,
       whose runtime makes calls the filter refuses)])],
    [], [AS_IF([test "x$givefd_sanitized" = xyes], [with_seccomp=no],
               [with_seccomp=auto])])
  givefd_seccomp=no
  AS_IF([test "x$with_seccomp" != xno], [
    PKG_CHECK_MODULES([SECCOMP], [libseccomp >= 2.4], [givefd_seccomp=yes],
      [AS_IF([test "x$with_seccomp" = xyes],
         [AC_MSG_ERROR([--with-seccomp: libseccomp not found (Debian: libseccomp-dev)])])])])
  AS_IF([test "x$givefd_seccomp" = xyes],
    [AC_DEFINE([HAVE_SECCOMP], [1], [Define to confine prefetchd with libseccomp])])
  AC_MSG_CHECKING([whether prefetchd confines itself with seccomp])
  AC_MSG_RESULT([$givefd_seccomp])

  AC_ARG_WITH([systemdsystemunitdir],
    [AS_HELP_STRING([--with-systemdsystemunitdir=DIR],
      [where the prefetchd units go (default: LIBDIR/systemd/system)])],
    [], [with_systemdsystemunitdir='${prefix}/lib/systemd/system'])
  AC_SUBST([systemdsystemunitdir], [$with_systemdsystemunitdir])

  AC_CONFIG_FILES([src/prefetch/libprefetch.pc])
])

# GIVEFD_PREFETCH_MMAP_FLAG(NAME): HAVE_NAME when <sys/mman.h> has it.
AC_DEFUN([GIVEFD_PREFETCH_MMAP_FLAG], [
  AC_CACHE_CHECK([for $1], [givefd_cv_mmap_$1], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <sys/mman.h>]],
      [[int flag = $1; return flag == 0;]])],
      [givefd_cv_mmap_$1=yes], [givefd_cv_mmap_$1=no])])
  AS_IF([test "x$givefd_cv_mmap_$1" = xyes],
    [AC_DEFINE([HAVE_$1], [1], [Define if <sys/mman.h> has $1])])
])
