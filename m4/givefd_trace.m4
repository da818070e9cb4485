# GIVEFD_TRACE
# What prefetchctl record and replay can use here: fanotify to learn which
# files a command opens, and the FIEMAP ioctl to replay in on-disk order.
# Without them, record says it is not supported here and replay keeps the
# trace's own order.
AC_DEFUN([GIVEFD_TRACE], [
  AC_CHECK_HEADERS([sys/fanotify.h linux/fiemap.h linux/fs.h])
  AC_CHECK_FUNCS([fanotify_init fanotify_mark])
])
