# SPDX-License-Identifier: ISC
# GIVEFD_TRACE
# What prefetchctl record and replay can use here: fanotify to learn which
# files a command opens, the FIEMAP ioctl to replay in on-disk order, and
# dlsym for record's preload fallback (PREFETCH_DL_LIBS). Without fanotify,
# record preloads its reporter instead; without FIEMAP, replay keeps the
# trace's own order.
AC_DEFUN([GIVEFD_TRACE], [
  AC_CHECK_HEADERS([sys/fanotify.h linux/fiemap.h linux/fs.h])
  AC_CHECK_FUNCS([fanotify_init fanotify_mark])
  givefd_trace_save_LIBS=$LIBS
  LIBS=
  AC_SEARCH_LIBS([dlsym], [dl])
  PREFETCH_DL_LIBS=$LIBS
  LIBS=$givefd_trace_save_LIBS
  AC_SUBST([PREFETCH_DL_LIBS])
])
