# SPDX-License-Identifier: ISC
# GIVEFD_PIDFD
# The pidfd backend takes descriptors out of a helper process with the
# pidfd_open and pidfd_getfd system calls (Linux 5.6). Configure only checks
# that the system call numbers are known; a kernel without them answers
# ENOSYS at run time. Sets givefd_can_pidfd and HAVE_PIDFD_SYSCALLS.
AC_DEFUN([GIVEFD_PIDFD], [
  AC_CACHE_CHECK([for the pidfd_open and pidfd_getfd system calls],
    [givefd_cv_pidfd_syscalls], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/syscall.h>
#include <unistd.h>
]], [[long a = SYS_pidfd_open, b = SYS_pidfd_getfd, c = SYS_pidfd_send_signal;
return (int)(a + b + c) == 0;]])],
      [givefd_cv_pidfd_syscalls=yes], [givefd_cv_pidfd_syscalls=no])])
  AS_IF([test "x$givefd_cv_pidfd_syscalls" = xyes],
    [AC_DEFINE([HAVE_PIDFD_SYSCALLS], [1],
      [Define if <sys/syscall.h> numbers pidfd_open, pidfd_getfd and pidfd_send_signal])])
  AS_IF([test "x$givefd_cv_pidfd_syscalls" = xyes &&
         test "x$givefd_cv_procfs_fd" = xyes],
    [givefd_can_pidfd=yes], [givefd_can_pidfd=no])
])
