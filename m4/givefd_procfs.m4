# SPDX-License-Identifier: ISC
# GIVEFD_PROCFS
# The procfd backend opens /proc/PID/fd/N and reads /proc/PID/stat and
# /proc/PID/fdinfo/N, so it needs a Linux-style /proc. Checked at configure
# time by looking at /proc/self/fd/0 and /proc/self/fdinfo/0; when cross
# compiling, assumed present for Linux hosts only. Sets givefd_can_procfd.
AC_DEFUN([GIVEFD_PROCFS], [
  AC_REQUIRE([GIVEFD_SANITIZERS])
  AC_REQUIRE([AC_CANONICAL_HOST])
  AC_CACHE_CHECK([for /proc/PID/fd and /proc/PID/fdinfo], [givefd_cv_procfs_fd], [
    AS_IF([test "x$cross_compiling" = xyes],
      [AS_CASE([$host_os], [linux*], [givefd_cv_procfs_fd=yes], [givefd_cv_procfs_fd=no])],
      [test -d /proc/self/fd && test -r /proc/self/fdinfo/0 && test -r /proc/self/stat],
      [givefd_cv_procfs_fd=yes], [givefd_cv_procfs_fd=no])])
  AS_IF([test "x$givefd_cv_procfs_fd" = xyes],
    [AC_DEFINE([HAVE_PROCFS_FD], [1], [Define if /proc/PID/fd and /proc/PID/fdinfo exist])])
  dnl The proof of a procfd offer is a sealed memfd (Linux 3.17).
  AC_CACHE_CHECK([for memfd_create with sealing], [givefd_cv_memfd_seals], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <fcntl.h>
#include <sys/mman.h>
]], [[int fd = memfd_create("x", MFD_CLOEXEC | MFD_ALLOW_SEALING);
return fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW) ||
       fcntl(fd, F_GET_SEALS);]])],
      [givefd_cv_memfd_seals=yes], [givefd_cv_memfd_seals=no])])
  AS_IF([test "x$givefd_cv_procfs_fd$givefd_cv_memfd_seals" = xyesyes],
    [givefd_can_procfd=yes], [givefd_can_procfd=no])

  dnl The helper program starts afresh for every transfer that needs one:
  dnl linked statically, it skips the dynamic loader (libtool: -all-static).
  GIVEFD_CHECK_LDFLAG([-static], [GIVEFD_HELPER_LDFLAGS=-all-static],
                      [GIVEFD_HELPER_LDFLAGS=])
  AC_SUBST([GIVEFD_HELPER_LDFLAGS])

  dnl A helper process that shares the sender's memory costs less than fork.
  AC_CACHE_CHECK([for clone with CLONE_VM and CLONE_VFORK], [givefd_cv_clone_vfork], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <sched.h>
#include <signal.h>
static int f(void *arg) { (void)arg; return 0; }
]], [[static char stack[4096];
return clone(f, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, 0) == -1;]])],
      [givefd_cv_clone_vfork=yes], [givefd_cv_clone_vfork=no])])
  dnl Sanitizer runtimes deadlock in a child that shares their memory.
  AC_ARG_ENABLE([clone-helper],
    [AS_HELP_STRING([--disable-clone-helper],
      [make the pipe backends' helper with fork, never clone(CLONE_VM)
       (default: clone where it exists, fork under -fsanitize)])],
    [], [AS_IF([test "x$givefd_sanitized" = xyes], [enable_clone_helper=no],
               [enable_clone_helper=yes])])
  givefd_helper_note=fork
  AS_IF([test "x$givefd_cv_clone_vfork" = xyes && test "x$enable_clone_helper" != xno],
    [AC_DEFINE([HAVE_CLONE_VFORK], [1], [Define if clone() takes CLONE_VM and CLONE_VFORK])
     givefd_helper_note="clone(CLONE_VM|CLONE_VFORK)"])
])
