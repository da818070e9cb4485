# SPDX-License-Identifier: ISC
# src/forkserver/local.mk: libforkserver (the fork server inside a target,
# and the client API), the preload module that starts it early, the
# forkserver command and their documents.
#
# libforkserver version (-version-info current:revision:age), rules as in
# src/lib/local.mk. History: 0.1.0 0:0:0; forkserver_last_error added 1:0:1
lib_LTLIBRARIES += libforkserver.la
include_HEADERS += include/forkserver.h
pkgconfig_DATA += src/forkserver/forkserver.pc

forkserver_protocol_sources = src/forkserver/protocol.c src/forkserver/protocol.h
forkserver_server_sources = \
	src/forkserver/centipede.c \
	src/forkserver/child.c \
	src/forkserver/conn.c \
	src/forkserver/conn.h \
	src/forkserver/environ.c \
	src/forkserver/environ.h \
	src/forkserver/kids.c \
	src/forkserver/kids.h \
	src/forkserver/loop.c \
	src/forkserver/loop.h \
	src/forkserver/pidfd.c \
	src/forkserver/unshared.c \
	src/forkserver/server.c \
	src/forkserver/server.h \
	src/forkserver/threads.c

libforkserver_la_SOURCES = \
	include/forkserver.h \
	src/forkserver/client.c \
	$(forkserver_server_sources) \
	$(forkserver_protocol_sources)
# $(LTLIBOBJS): getpeereid where libc lacks it (not exported).
# libgivefd_private: libforkserver carries a copy of libgivefd's code, and
# exports none of its symbols. The target then maps one shared library
# fewer, which every child the server forks copies, faults in and tears
# down again: about 3% of a run (issue 17). Its state is caches only
# (measured limits, probes), which a copy may measure twice.
noinst_LTLIBRARIES += libgivefd_private.la
libgivefd_private_la_SOURCES = $(libgivefd_la_SOURCES)
libgivefd_private_la_CPPFLAGS = $(libgivefd_la_CPPFLAGS)
libgivefd_private_la_CFLAGS = $(libgivefd_la_CFLAGS)
libforkserver_la_LIBADD = libgivefd_private.la libgfdutil.la $(LTLIBOBJS)
libforkserver_la_LDFLAGS = -version-info 2:0:2 -no-undefined \
	-export-symbols $(srcdir)/src/forkserver/forkserver.sym \
	$(FORKSERVER_BIND_NOW_LDFLAGS)

# Started from its constructor when preloaded; uses libforkserver. A
# static-only build has no shared object to preload.
if FORKSERVER_PRELOAD
pkglib_LTLIBRARIES = forkserver-preload.la
endif
forkserver_preload_la_SOURCES = src/forkserver/preload.c \
	src/forkserver/firstread.c src/forkserver/firstread.h \
	src/forkserver/python_freeze.c src/forkserver/threads.c \
	src/forkserver/environ.c src/forkserver/environ.h
forkserver_preload_la_LIBADD = libforkserver.la libgfdutil.la $(DLSYM_LIBS)
forkserver_preload_la_LDFLAGS = -module -shared -avoid-version -no-undefined \
	$(FORKSERVER_BIND_NOW_LDFLAGS)

bin_PROGRAMS += forkserver
forkserver_SOURCES = src/forkserver/forkserver.c src/forkserver/cmd.h \
	src/forkserver/cmd_run.c src/forkserver/cmd_serve.c \
	src/forkserver/cmd_util.c src/forkserver/cmd_target.c \
	src/forkserver/environ.c \
	src/forkserver/environ.h
forkserver_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFORKSERVER_PRELOAD_PATH='"$(pkglibdir)/forkserver-preload.so"'
forkserver_LDADD = libforkserver.la libgfdutil.la

src/forkserver/forkserver.pc: $(srcdir)/src/forkserver/forkserver.pc.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src/forkserver && sed \
	  -e 's|@prefix[@]|$(prefix)|g' -e 's|@exec_prefix[@]|$(exec_prefix)|g' \
	  -e 's|@libdir[@]|$(libdir)|g' -e 's|@includedir[@]|$(includedir)|g' \
	  -e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
	  $(srcdir)/src/forkserver/forkserver.pc.in > $@
CLEANFILES += src/forkserver/forkserver.pc
EXTRA_DIST += src/forkserver/forkserver.pc.in src/forkserver/forkserver.sym \
	doc/forkserver-protocol.md doc/forkserver-python.md doc/forkserver_ctypes.py
dist_man_MANS += doc/forkserver.1 doc/libforkserver.3 \
	doc/forkserver_args.3 doc/forkserver_close.3 doc/forkserver_connect.3 \
	doc/forkserver_fdopen.3 doc/forkserver_kill.3 doc/forkserver_last_error.3 \
	doc/forkserver_loop.3 doc/forkserver_max_children.3 doc/forkserver_run.3 \
	doc/forkserver_run_args.3 doc/forkserver_run_env.3 doc/forkserver_signal.3 \
	doc/forkserver_start.3 doc/forkserver_wait.3
