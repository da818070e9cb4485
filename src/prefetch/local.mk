# SPDX-License-Identifier: ISC
# src/prefetch/local.mk: prefetchd (the page-cache prefetch daemon), its
# client library libprefetch, prefetchctl, their man pages and systemd units.
#
# libprefetch version (-version-info current:revision:age), rules as in
# src/lib/local.mk. History: 0.1.0 0:0:0
lib_LTLIBRARIES += libprefetch.la
include_HEADERS += include/prefetch.h
pkgconfig_DATA += src/prefetch/prefetch.pc

prefetch_protocol_sources = src/prefetch/protocol.c src/prefetch/protocol.h

# What the client library and the daemon share besides the codec.
prefetch_common_sources = \
	src/prefetch/prefetch_sys.c \
	src/prefetch/prefetch_sys.h \
	src/prefetch/sockpath.c \
	src/prefetch/sockpath.h \
	$(prefetch_protocol_sources)

libprefetch_la_SOURCES = \
	src/prefetch/client.c \
	include/prefetch.h \
	$(prefetch_common_sources)
# compat's getpeereid, where libc lacks it, for checking the server.
libprefetch_la_LIBADD = libgivefd.la libgfdutil.la $(LTLIBOBJS)
libprefetch_la_LDFLAGS = -version-info 0:0:0 -no-undefined \
	-export-symbols-regex '^prefetch_'

sbin_PROGRAMS += prefetchd
prefetchd_daemon_sources = \
	src/prefetch/advice.c \
	src/prefetch/advice.h \
	src/prefetch/handler.c \
	src/prefetch/handler.h \
	src/prefetch/lockpool.c \
	src/prefetch/lockpool.h \
	src/prefetch/log.c \
	src/prefetch/log.h \
	src/prefetch/loop.c \
	src/prefetch/loop.h \
	src/prefetch/openpath.c \
	src/prefetch/openpath.h \
	src/prefetch/quota.c \
	src/prefetch/quota.h \
	src/prefetch/replay.c \
	src/prefetch/replay.h \
	src/prefetch/sandbox.c \
	src/prefetch/sandbox.h \
	src/prefetch/session.c \
	src/prefetch/session.h \
	src/prefetch/size.c \
	src/prefetch/size.h \
	src/prefetch/warm.c \
	src/prefetch/warm.h \
	$(prefetch_trace_sources) \
	$(prefetch_common_sources)
prefetchd_SOURCES = src/prefetch/prefetchd.c $(prefetchd_daemon_sources)
prefetchd_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
# compat's getpeereid, where libc lacks it, for knowing each client's uid.
prefetchd_LDADD = libgivefd.la libgfdutil.la $(SECCOMP_LIBS) $(LIBOBJS)

bin_PROGRAMS += prefetchctl
prefetchctl_SOURCES = \
	src/prefetch/prefetchctl.c \
	src/prefetch/ctl.h \
	src/prefetch/ctl_dump.c \
	src/prefetch/ctl_evict.c \
	src/prefetch/ctl_files.c \
	src/prefetch/ctl_progress.c \
	src/prefetch/ctl_range.c \
	src/prefetch/ctl_status.c \
	src/prefetch/ctl_waiter.c \
	src/prefetch/ctl_warm.c \
	src/prefetch/prefetch_sys.c \
	src/prefetch/prefetch_sys.h \
	src/prefetch/size.c \
	src/prefetch/size.h \
	src/prefetch/sockpath.c \
	src/prefetch/sockpath.h \
	$(prefetch_trace_ctl_sources)
# (Own flags: sockpath.c and prefetch_sys.c are in libprefetch too, built
# by libtool; the library exports neither.)
prefetchctl_CFLAGS = $(AM_CFLAGS)
# compat's memfd_create, where libc lacks it, for replay's reordered trace.
prefetchctl_LDADD = libprefetch.la libgfdutil.la $(LIBOBJS)
# record, replay and trace show (doc/prefetch-trace.md)
prefetch_trace_sources = src/prefetch/trace.c src/prefetch/trace.h
prefetch_trace_ctl_sources = $(prefetch_trace_sources) \
	src/prefetch/ctl_trace.h src/prefetch/ctl_record.c \
	src/prefetch/ctl_replay.c src/prefetch/ctl_trace.c \
	src/prefetch/trace_run.h src/prefetch/trace_record.c \
	src/prefetch/trace_replay.c src/prefetch/trace_resident.c \
	src/prefetch/trace_ra.c src/prefetch/trace_record_preload.c \
	src/prefetch/trace_place.c src/prefetch/trace_order.c \
	src/prefetch/trace_anon.c
prefetchctl_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPREFETCH_RECORD_PRELOAD='"$(prefetchlibdir)/prefetch-record-preload.so"'
# record's unprivileged fallback, preloaded into the command recorded (a
# shared module: not in a static-only build, where record says it has none).
prefetchlibdir = $(pkglibdir)
if SHARED_MODULES
prefetchlib_LTLIBRARIES = prefetch-record-preload.la
endif
prefetch_record_preload_la_SOURCES = src/prefetch/record_preload.c
prefetch_record_preload_la_LIBADD = $(PREFETCH_DL_LIBS)
prefetch_record_preload_la_LDFLAGS = -module -shared -avoid-version -no-undefined
EXTRA_DIST += doc/prefetch-trace.md

dist_man_MANS += doc/prefetchd.8 doc/prefetchctl.1 doc/prefetch.3 \
	doc/prefetch_connect.3 doc/prefetch_connect_trusting.3 \
	doc/prefetch_attach.3 doc/prefetch_close.3 \
	doc/prefetch_session_create.3 doc/prefetch_session_destroy.3 doc/prefetch_register_path.3 \
	doc/prefetch_register_fd.3 doc/prefetch_register_fd_named.3 doc/prefetch_unregister.3 doc/prefetch_unregister_fd.3 \
	doc/prefetch_readahead.3 doc/prefetch_residency.3 doc/prefetch_residency_fd.3 \
	doc/prefetch_dump.3 doc/prefetch_exit.3 doc/prefetch_version.3 \
	doc/prefetch_kind_name.3 doc/prefetch_kind_parse.3 \
	doc/prefetch_replay.3 doc/prefetch_warm_fds.3
EXTRA_DIST += doc/prefetch-protocol.md

systemdsystemunit_DATA = src/prefetch/prefetchd.service
dist_systemdsystemunit_DATA = src/prefetch/prefetchd.socket
src/prefetch/prefetchd.service: $(srcdir)/src/prefetch/prefetchd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src/prefetch && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' $(srcdir)/src/prefetch/prefetchd.service.in > $@
CLEANFILES += src/prefetch/prefetchd.service
EXTRA_DIST += src/prefetch/prefetchd.service.in
