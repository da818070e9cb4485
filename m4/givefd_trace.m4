# SPDX-License-Identifier: ISC
# GIVEFD_TRACE
# What prefetchctl record and replay can use here: fanotify to learn which
# files a command opens, the FIEMAP ioctl to replay in on-disk order, and
# dlsym for record's preload fallback (PREFETCH_DL_LIBS). Without fanotify,
# record preloads its reporter instead; without FIEMAP, replay keeps the
# trace's own order. Record's page source, the kernel's filemap
# tracepoints, needs tracefs (statfs and TRACEFS_MAGIC to find it) and the
# device numbers as the kernel prints them (major, minor); without them
# trace_tracefs.c is a stub and record uses mincore.
AC_DEFUN([GIVEFD_TRACE], [
  AC_CHECK_HEADERS([sys/fanotify.h linux/fiemap.h linux/fs.h])
  AC_CHECK_FUNCS([fanotify_init fanotify_mark])
  AC_CACHE_CHECK([for tracefs and the filemap tracepoints' device numbers],
    [givefd_cv_tracefs_filemap], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <sys/types.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>]], [[struct statfs sf;
dev_t d = 0;
if (statfs("/sys/kernel/tracing", &sf) == -1)
	return 1;
return sf.f_type == TRACEFS_MAGIC && major(d) == 0 && minor(d) == 0;]])],
      [givefd_cv_tracefs_filemap=yes], [givefd_cv_tracefs_filemap=no])])
  AS_IF([test "x$givefd_cv_tracefs_filemap" = xyes],
    [AC_DEFINE([HAVE_TRACEFS_FILEMAP], [1],
      [Define if record can read the filemap tracepoints through tracefs])])
  givefd_trace_save_LIBS=$LIBS
  LIBS=
  AC_SEARCH_LIBS([dlsym], [dl])
  PREFETCH_DL_LIBS=$LIBS
  LIBS=$givefd_trace_save_LIBS
  AC_SUBST([PREFETCH_DL_LIBS])
])
