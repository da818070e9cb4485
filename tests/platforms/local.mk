# SPDX-License-Identifier: ISC
# tests/platforms/local.mk: make check-platforms compiles the backends and
# compat files for systems this one is not (illumos, SVR4, FreeBSD, OpenBSD,
# NetBSD, macOS) against the stand-in headers here, with clang for each
# system's target where clang is installed; make check runs it too.
TESTS += tests/platforms/check-platforms.test
EXTRA_DIST += \
	tests/platforms/bsd/stdio.h \
	tests/platforms/bsd/sys/socket.h \
	tests/platforms/bsd/sys/un.h \
	tests/platforms/check-platforms.test \
	tests/platforms/freebsd/config.h \
	tests/platforms/freebsd/config.site \
	tests/platforms/freebsd/fcntl.h \
	tests/platforms/freebsd/path \
	tests/platforms/freebsd/stdlib.h \
	tests/platforms/freebsd/sys/mman.h \
	tests/platforms/freebsd/sys/procctl.h \
	tests/platforms/freebsd/sys/socket.h \
	tests/platforms/freebsd/sys/ucred.h \
	tests/platforms/freebsd/sys/un.h \
	tests/platforms/freebsd/target \
	tests/platforms/freebsd/units \
	tests/platforms/macos/config.h \
	tests/platforms/macos/config.site \
	tests/platforms/macos/fcntl.h \
	tests/platforms/macos/path \
	tests/platforms/macos/sys/mman.h \
	tests/platforms/macos/sys/socket.h \
	tests/platforms/macos/sys/ucred.h \
	tests/platforms/macos/sys/un.h \
	tests/platforms/macos/target \
	tests/platforms/macos/unistd.h \
	tests/platforms/macos/units \
	tests/platforms/netbsd/config.h \
	tests/platforms/netbsd/config.site \
	tests/platforms/netbsd/fcntl.h \
	tests/platforms/netbsd/path \
	tests/platforms/netbsd/sys/mman.h \
	tests/platforms/netbsd/sys/socket.h \
	tests/platforms/netbsd/target \
	tests/platforms/netbsd/unistd.h \
	tests/platforms/netbsd/units \
	tests/platforms/openbsd/config.h \
	tests/platforms/openbsd/config.site \
	tests/platforms/openbsd/path \
	tests/platforms/openbsd/sys/socket.h \
	tests/platforms/openbsd/target \
	tests/platforms/openbsd/units \
	tests/platforms/posix/ctype.h \
	tests/platforms/posix/dirent.h \
	tests/platforms/posix/errno.h \
	tests/platforms/posix/fcntl.h \
	tests/platforms/posix/getopt.h \
	tests/platforms/posix/grp.h \
	tests/platforms/posix/poll.h \
	tests/platforms/posix/pthread.h \
	tests/platforms/posix/pwd.h \
	tests/platforms/posix/signal.h \
	tests/platforms/posix/stddef.h \
	tests/platforms/posix/stdio.h \
	tests/platforms/posix/stdlib.h \
	tests/platforms/posix/string.h \
	tests/platforms/posix/sys/mman.h \
	tests/platforms/posix/sys/resource.h \
	tests/platforms/posix/sys/stat.h \
	tests/platforms/posix/sys/time.h \
	tests/platforms/posix/sys/types.h \
	tests/platforms/posix/sys/uio.h \
	tests/platforms/posix/sys/un.h \
	tests/platforms/posix/sys/wait.h \
	tests/platforms/posix/syslog.h \
	tests/platforms/posix/time.h \
	tests/platforms/posix/unistd.h \
	tests/platforms/solaris-accrights/config.h \
	tests/platforms/solaris-accrights/path \
	tests/platforms/solaris-accrights/target \
	tests/platforms/solaris-accrights/units \
	tests/platforms/solaris/cflags \
	tests/platforms/solaris/config.h \
	tests/platforms/solaris/config.site \
	tests/platforms/solaris/fcntl.h \
	tests/platforms/solaris/path \
	tests/platforms/solaris/stdio_ext.h \
	tests/platforms/solaris/stropts.h \
	tests/platforms/solaris/sys/feature_tests.h \
	tests/platforms/solaris/sys/mman.h \
	tests/platforms/solaris/sys/socket.h \
	tests/platforms/solaris/sys/uio.h \
	tests/platforms/solaris/target \
	tests/platforms/solaris/ucred.h \
	tests/platforms/solaris/units \
	tests/platforms/svr4/config.h \
	tests/platforms/svr4/path \
	tests/platforms/svr4/sys/socket.h \
	tests/platforms/svr4/sys/stropts.h \
	tests/platforms/svr4/units

check-platforms:
	top_srcdir='$(abs_top_srcdir)' CC='$(CC)' \
	  $(SHELL) $(srcdir)/tests/platforms/check-platforms.test
.PHONY: check-platforms
