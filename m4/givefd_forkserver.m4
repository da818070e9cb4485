# SPDX-License-Identifier: ISC
# GIVEFD_FORKSERVER
# What the fork server can use here: prctl(PR_SET_PDEATHSIG) (Linux) or
# procctl(PROC_PDEATHSIG_CTL) (FreeBSD), so that its children die with it
# even when it is killed outright (elsewhere they outlive a server killed
# with SIGKILL); the preload module, which needs shared libraries and
# LD_PRELOAD; and a linker that
# binds every symbol at load (-z now), so that libforkserver's calls made
# only in children are not looked up again in every child
# (FORKSERVER_BIND_NOW_LDFLAGS, empty where it cannot); and madvise's
# MADV_DONTFORK (HAVE_DECL_MADV_DONTFORK).
AC_DEFUN([GIVEFD_FORKSERVER], [
  AC_CACHE_CHECK([for prctl with PR_SET_PDEATHSIG], [givefd_cv_pdeathsig], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <sys/prctl.h>
#include <signal.h>]], [[return prctl(PR_SET_PDEATHSIG, SIGKILL) == -1;]])],
      [givefd_cv_pdeathsig=yes], [givefd_cv_pdeathsig=no])])
  AS_IF([test "x$givefd_cv_pdeathsig" = xyes],
    [AC_DEFINE([HAVE_PR_SET_PDEATHSIG], [1],
      [Define if prctl(PR_SET_PDEATHSIG) kills a child when its parent dies])])
  AC_CACHE_CHECK([for procctl with PROC_PDEATHSIG_CTL], [givefd_cv_procctl_pdeathsig], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <sys/types.h>
#include <sys/procctl.h>
#include <signal.h>]], [[int sig = SIGKILL;
return procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig) == -1;]])],
      [givefd_cv_procctl_pdeathsig=yes], [givefd_cv_procctl_pdeathsig=no])])
  AS_IF([test "x$givefd_cv_procctl_pdeathsig" = xyes],
    [AC_DEFINE([HAVE_PROC_PDEATHSIG_CTL], [1],
      [Define if procctl(PROC_PDEATHSIG_CTL) kills a child when its parent dies])])
  AS_IF([test "x$givefd_cv_pdeathsig" = xyes], [givefd_pdeath="prctl(PR_SET_PDEATHSIG)"],
        [test "x$givefd_cv_procctl_pdeathsig" = xyes], [givefd_pdeath="procctl(PROC_PDEATHSIG_CTL)"],
        [givefd_pdeath="none (children outlive a server killed outright)"])
  dnl The preload module is a shared object put in front of the target.
  dnl macOS's loader reads DYLD_INSERT_LIBRARIES, never LD_PRELOAD, which
  dnl is what forkserver serve sets: nothing a compile probe can see.
  AS_IF([test "x$enable_shared" = xyes],
    [AS_CASE([$host_os],
      [darwin*], [givefd_preload="forkserver-preload built, but early start does not work on macOS (its loader ignores LD_PRELOAD): late start only"],
      [givefd_preload="forkserver-preload (early start)"])],
    [givefd_preload="no preload module (--disable-shared): late start with libforkserver only"])
  AM_CONDITIONAL([FORKSERVER_PRELOAD], [test "x$enable_shared" = xyes])
  dnl Preload modules of any part are shared objects.
  AM_CONDITIONAL([SHARED_MODULES], [test "x$enable_shared" = xyes])
  AS_IF([test "x$enable_shared" = xyes],
    [AC_DEFINE([FORKSERVER_PRELOAD_BUILT], [1],
      [Define if the fork server's preload module is built (shared libraries)])])
  AC_SUBST([FORKSERVER_PRELOAD_BUILT], [$enable_shared])
  givefd_forkserver_note="$givefd_preload; parent-death signal $givefd_pdeath"
  AS_IF([test "x$enable_shared$enable_static" = xyesyes], [givefd_libs_note="shared and static"],
    [test "x$enable_shared" = xyes], [givefd_libs_note="shared only"],
    [givefd_libs_note="static only (--disable-shared): the fork server's preload module and the tests that need it are left out"])
  dnl Memory a fork leaves out of the child: the server's table of its
  dnl children, which it writes right after each fork.
  AC_CHECK_DECLS([MADV_DONTFORK], [], [], [[#include <sys/mman.h>]])
  GIVEFD_CHECK_LDFLAG([-Wl,-z,now],
    [FORKSERVER_BIND_NOW_LDFLAGS=-Wl,-z,now], [FORKSERVER_BIND_NOW_LDFLAGS=])
  AC_SUBST([FORKSERVER_BIND_NOW_LDFLAGS])
])
