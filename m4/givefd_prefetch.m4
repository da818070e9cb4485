# SPDX-License-Identifier: ISC
# GIVEFD_PREFETCH
# What prefetchd can use here: the advice and readahead calls, locked and
# populated mappings, cachestat(2), memory-filesystem detection, and
# libseccomp for the sandbox (--with-seccomp=auto|yes|no). Also where the
# systemd units go (--with-systemdsystemunitdir) and the prefetch files
# configure writes.
AC_DEFUN([GIVEFD_PREFETCH], [
  AC_REQUIRE([GIVEFD_SANITIZERS])
  AC_CHECK_HEADERS([sys/sysmacros.h sys/vfs.h linux/magic.h])
  AC_CHECK_FUNCS([posix_fadvise readahead fstatfs])
  dnl Declarations, not just symbols in libc: OpenBSD declares no mincore,
  dnl the macOS SDK no fdatasync.
  AC_CHECK_DECLS([mincore], [], [], [[#include <sys/types.h>
#include <sys/mman.h>]])
  AC_CHECK_DECLS([fdatasync], [], [], [[#include <unistd.h>]])
  dnl macOS reads ahead with fcntl(F_RDADVISE) and a struct radvisory.
  AC_CACHE_CHECK([for fcntl F_RDADVISE], [givefd_cv_f_rdadvise], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <fcntl.h>]],
      [[struct radvisory ra; ra.ra_offset = 0; ra.ra_count = 1;
return fcntl(0, F_RDADVISE, &ra);]])],
      [givefd_cv_f_rdadvise=yes], [givefd_cv_f_rdadvise=no])])
  AS_IF([test "x$givefd_cv_f_rdadvise" = xyes],
    [AC_DEFINE([HAVE_F_RDADVISE], [1], [Define if fcntl takes F_RDADVISE])])
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
  givefd_seccomp_why="--without-seccomp"
  AS_IF([test "x$with_seccomp" != xno], [
    givefd_seccomp_why="libseccomp not found by pkg-config ($givefd_pkg_note)"
    PKG_CHECK_MODULES([SECCOMP], [libseccomp >= 2.4], [
      GIVEFD_PKG_USABLE([SECCOMP], [libseccomp], [[#include <seccomp.h>]],
        [[scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
seccomp_release(c);
return 0;]], [givefd_seccomp=yes], [givefd_seccomp_why=$givefd_pkg_why])], [:])
    AS_IF([test "x$givefd_seccomp$with_seccomp" = xnoyes],
      [AC_MSG_ERROR([--with-seccomp: $givefd_seccomp_why (Debian: libseccomp-dev)])])])
  AS_IF([test "x$givefd_seccomp" = xyes],
    [AC_DEFINE([HAVE_SECCOMP], [1], [Define to confine prefetchd with libseccomp])])
  AC_MSG_CHECKING([whether prefetchd confines itself with seccomp])
  AC_MSG_RESULT([$givefd_seccomp])

  dnl What prefetchd does here, for the summary.
  givefd_ra=
  AS_IF([test "x$ac_cv_func_posix_fadvise" = xyes], [givefd_ra="posix_fadvise"])
  AS_IF([test "x$ac_cv_func_readahead" = xyes], [givefd_ra="$givefd_ra${givefd_ra:+, }readahead(2)"])
  AS_IF([test "x$givefd_cv_f_rdadvise" = xyes], [givefd_ra="$givefd_ra${givefd_ra:+, }fcntl(F_RDADVISE)"])
  AS_IF([test "x$ac_cv_have_decl_mincore" = xyes], [givefd_res=mincore],
        [givefd_res="none (no mincore: status shows ? for residency)"])
  AS_IF([test "x$givefd_cv_cachestat" = xyes], [givefd_res="cachestat(2), $givefd_res"])
  AS_IF([test "x$givefd_seccomp" = xyes], [givefd_sandbox=seccomp],
        [givefd_sandbox="none: $givefd_seccomp_why"])
  givefd_prefetch_note="advice via ${givefd_ra:-nothing (reading and mlock only)}; residency $givefd_res; sandbox $givefd_sandbox"

  AC_ARG_WITH([systemdsystemunitdir],
    [AS_HELP_STRING([--with-systemdsystemunitdir=DIR],
      [where the prefetchd units go (default: LIBDIR/systemd/system)])],
    [], [with_systemdsystemunitdir='${prefix}/lib/systemd/system'])
  AC_SUBST([systemdsystemunitdir], [$with_systemdsystemunitdir])

  AC_CONFIG_FILES([src/prefetch/prefetch.pc])
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
