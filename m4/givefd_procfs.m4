# GIVEFD_PROCFS
# The procfd backend opens /proc/PID/fd/N and reads /proc/PID/stat and
# /proc/PID/fdinfo/N, so it needs a Linux-style /proc. Checked at configure
# time by looking at /proc/self/fd/0 and /proc/self/fdinfo/0; when cross
# compiling, assumed present for Linux hosts only. Sets givefd_can_procfd.
AC_DEFUN([GIVEFD_PROCFS], [
  AC_REQUIRE([AC_CANONICAL_HOST])
  AC_CACHE_CHECK([for /proc/PID/fd and /proc/PID/fdinfo], [givefd_cv_procfs_fd], [
    AS_IF([test "x$cross_compiling" = xyes],
      [AS_CASE([$host_os], [linux*], [givefd_cv_procfs_fd=yes], [givefd_cv_procfs_fd=no])],
      [test -d /proc/self/fd && test -r /proc/self/fdinfo/0 && test -r /proc/self/stat],
      [givefd_cv_procfs_fd=yes], [givefd_cv_procfs_fd=no])])
  AS_IF([test "x$givefd_cv_procfs_fd" = xyes],
    [AC_DEFINE([HAVE_PROCFS_FD], [1], [Define if /proc/PID/fd and /proc/PID/fdinfo exist])])
  givefd_can_procfd=$givefd_cv_procfs_fd
])
