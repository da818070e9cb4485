# SPDX-License-Identifier: ISC
# GIVEFD_BACKENDS
# Decides which descriptor-passing backends are built and which one sends by
# default. Each backend NAME has a shell variable givefd_can_NAME (yes/no) set
# from the probes before this runs, and givefd_why_NAME saying what is
# missing; --with-backends=LIST builds exactly LIST (and fails, naming what
# is missing, if one of them cannot be built here); --with-default-backend
# picks the sending default, otherwise the first built in order of preference.
# Results: AM_CONDITIONAL BACKEND_NAME, GIVEFD_BACKEND_NAME in config.h,
# GIVEFD_DEFAULT_BACKEND, and $givefd_backends / $givefd_default_backend for
# the summary.
AC_DEFUN([GIVEFD_BACKENDS], [
  m4_define([givefd_all_backends], [scm_rights accrights streams pidfd procfd])

  AS_IF([test "x$givefd_cv_msghdr_control" = xyes &&
         test "x$givefd_cv_macro_SCM_RIGHTS" = xyes],
        [givefd_can_scm_rights=yes], [givefd_can_scm_rights=no])
  givefd_why_scm_rights="struct msghdr has no msg_control member or there is no SCM_RIGHTS"
  givefd_can_accrights=$givefd_cv_msghdr_accrights
  givefd_why_accrights="struct msghdr has no msg_accrights member"
  givefd_why_pidfd="needs the pidfd_open and pidfd_getfd system calls and /proc/PID/fd"
  givefd_why_procfd="needs /proc/PID/fd, /proc/PID/fdinfo and memfd_create with sealing"

  AC_ARG_WITH([backends],
    [AS_HELP_STRING([--with-backends=LIST],
      [comma-separated backends to build (default: every one this system supports)])],
    [], [with_backends=auto])
  AC_ARG_WITH([default-backend],
    [AS_HELP_STRING([--with-default-backend=NAME],
      [backend used for sending unless GIVEFD_BACKEND says otherwise])],
    [], [with_default_backend=auto])

  givefd_backends=
  AS_IF([test "x$with_backends" = xauto], [
    m4_foreach_w([b], givefd_all_backends, [
      AS_IF([test "x$givefd_can_]b[" = xyes], [givefd_backends="$givefd_backends b"])])
  ], [
    for givefd_b in `echo "$with_backends" | tr ',' ' '`; do
      eval "givefd_ok=\$givefd_can_$givefd_b"
      AS_CASE([$givefd_ok],
        [yes], [givefd_backends="$givefd_backends $givefd_b"],
        [no], [eval "givefd_why=\$givefd_why_$givefd_b"
               AC_MSG_ERROR([backend $givefd_b cannot be built on this system: $givefd_why])],
        [AC_MSG_ERROR([unknown backend $givefd_b (known: givefd_all_backends)])])
    done
  ])
  givefd_backends=`echo $givefd_backends`
  AS_IF([test -z "$givefd_backends"],
    [AC_MSG_ERROR([no descriptor-passing backend can be built on this system])])

  AS_IF([test "x$with_default_backend" = xauto],
    [givefd_default_backend=`echo $givefd_backends | cut -d' ' -f1`],
    [AS_CASE([" $givefd_backends "],
      [*" $with_default_backend "*], [givefd_default_backend=$with_default_backend],
      [AC_MSG_ERROR([default backend $with_default_backend is not among those built: $givefd_backends])])])
  AC_DEFINE_UNQUOTED([GIVEFD_DEFAULT_BACKEND], ["$givefd_default_backend"],
    [Name of the backend that sends by default])

  m4_foreach_w([b], givefd_all_backends, [
    AS_CASE([" $givefd_backends "], [*" ]b[ "*], [givefd_build_]b[=yes], [givefd_build_]b[=no])
    AM_CONDITIONAL(m4_toupper([BACKEND_]b), [test "x$givefd_build_]b[" = xyes])
    AS_IF([test "x$givefd_build_]b[" = xyes],
      [AC_DEFINE(m4_toupper([GIVEFD_BACKEND_]b), [1], [Define if the ]b[ backend is built])])
  ])

  dnl pidfd carries the descriptors over a private socket pair with the
  dnl SCM_RIGHTS code, built for it even without the scm_rights backend.
  AS_IF([test "x$givefd_build_scm_rights$givefd_build_pidfd" != xnono],
    [givefd_scm_code=yes], [givefd_scm_code=no])
  AM_CONDITIONAL([SCM_RIGHTS_CODE], [test "x$givefd_scm_code" = xyes])

  dnl The receive path reads sockets with the SCM_RIGHTS code when it is
  dnl built (a kernel with both hands over either kind), else msg_accrights.
  AM_CONDITIONAL([ACCRIGHTS_RECV],
    [test "x$givefd_build_accrights" = xyes && test "x$givefd_scm_code" = xno])
  AM_CONDITIONAL([SOCKET_BACKEND], [test "x$givefd_scm_code$givefd_build_accrights" != xnono])

  dnl procfd and pidfd share the handle message and its helper process.
  AM_CONDITIONAL([BACKEND_HANDOFF], [test "x$givefd_build_procfd$givefd_build_pidfd" != xnono])
  AS_IF([test "x$givefd_build_procfd$givefd_build_pidfd" != xnono],
    [AC_DEFINE([GIVEFD_HANDOFF], [1], [Define if a backend sends handle messages])])

  AS_IF([test "x$givefd_cv_flag_MSG_CMSG_CLOEXEC" = xyes],
    [givefd_cloexec_note="atomic (MSG_CMSG_CLOEXEC)"],
    [givefd_cloexec_note="fcntl right after receipt"])
  AS_IF([test "x$givefd_cv_flag_MSG_NOSIGNAL" = xyes], [givefd_sigpipe_note=MSG_NOSIGNAL],
        [givefd_sigpipe_note="SIGPIPE blocked around each send"])
])
