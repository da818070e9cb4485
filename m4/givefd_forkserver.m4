# GIVEFD_FORKSERVER
# What the fork server can use here: prctl(PR_SET_PDEATHSIG), so that its
# children die with it even when it is killed outright; and a linker that
# binds every symbol at load (-z now), so that libforkserver's calls made
# only in children are not looked up again in every child
# (FORKSERVER_BIND_NOW_LDFLAGS, empty where it cannot).
AC_DEFUN([GIVEFD_FORKSERVER], [
  AC_CACHE_CHECK([for prctl with PR_SET_PDEATHSIG], [givefd_cv_pdeathsig], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <sys/prctl.h>
#include <signal.h>]], [[return prctl(PR_SET_PDEATHSIG, SIGKILL) == -1;]])],
      [givefd_cv_pdeathsig=yes], [givefd_cv_pdeathsig=no])])
  AS_IF([test "x$givefd_cv_pdeathsig" = xyes],
    [AC_DEFINE([HAVE_PR_SET_PDEATHSIG], [1],
      [Define if prctl(PR_SET_PDEATHSIG) kills a child when its parent dies])])
  GIVEFD_CHECK_LDFLAG([-Wl,-z,now],
    [FORKSERVER_BIND_NOW_LDFLAGS=-Wl,-z,now], [FORKSERVER_BIND_NOW_LDFLAGS=])
  AC_SUBST([FORKSERVER_BIND_NOW_LDFLAGS])
])
