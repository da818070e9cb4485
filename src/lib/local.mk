# SPDX-License-Identifier: ISC
# src/lib/local.mk: libgivefd.
#
# Library version (-version-info current:revision:age). On a release:
#   interfaces unchanged, code changed   c:r+1:a
#   interfaces added                     c+1:0:a+1
#   interfaces removed or changed        c+1:0:0
# History: 0.1.0 1:0:0; givefd_receiver added 2:0:1
lib_LTLIBRARIES += libgivefd.la
include_HEADERS += include/givefd.h
pkgconfig_DATA += givefd.pc

libgivefd_la_SOURCES = \
	src/lib/api.c \
	src/lib/backend.h \
	src/lib/backends.c \
	src/lib/fdutil.c \
	src/lib/internal.h \
	src/lib/receive.c \
	src/lib/receive.h \
	src/lib/receiver.c \
	src/lib/msghdr_one.h \
	src/lib/sigpipe.c \
	compat/compat.h

if SCM_RIGHTS_CODE
libgivefd_la_SOURCES += \
	src/lib/scm_rights.c \
	src/lib/scm_rights.h \
	src/lib/scm_max_fds.c \
	src/lib/scm_send.c \
	src/lib/sockrecv_scm.c
endif

if BACKEND_ACCRIGHTS
libgivefd_la_SOURCES += src/lib/accrights.c src/lib/accrights_xopen.h
endif
if ACCRIGHTS_RECV
libgivefd_la_SOURCES += src/lib/sockrecv_accrights.c src/lib/accrights_xopen.h
endif
if !SOCKET_BACKEND
libgivefd_la_SOURCES += src/lib/sockrecv_none.c
endif
if BACKEND_STREAMS
libgivefd_la_SOURCES += src/lib/streams.c
endif

# procfd and pidfd share these (tests/emul builds them too).
handoff_cppflags =
handoff_sources = \
	src/lib/handoff_common.c \
	src/lib/handoff_handle.c \
	src/lib/handoff_handle.h \
	src/lib/handoff_helper.c \
	src/lib/handoff_io.c \
	src/lib/handoff_io.h \
	src/lib/handoff_ops.h \
	src/lib/handoff_partial.c \
	src/lib/handoff_partial.h \
	src/lib/handoff_recv.c \
	src/lib/handoff_recv.h \
	src/lib/handoff_send.c \
	src/lib/handoff_send.h \
	src/lib/handoff_trust.c \
	src/lib/handoff_trust.h \
	src/lib/sha256.c \
	src/lib/sha256.h \
	src/util/be.h
if BACKEND_HANDOFF
libgivefd_la_SOURCES += $(handoff_sources)
# The helper program that holds an offer where the receiver may not take
# from the sender (handoff_helper.c); GIVEFD_HELPER names another.
pkglibexec_PROGRAMS = givefd-helper
givefd_helper_SOURCES = src/helper/givefd-helper.c
givefd_helper_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/lib
givefd_helper_LDFLAGS = $(GIVEFD_HELPER_LDFLAGS)
handoff_cppflags += -DGIVEFD_HELPER_PATH='"$(pkglibexecdir)/givefd-helper"'
endif
if BACKEND_PROCFD
libgivefd_la_SOURCES += src/lib/handoff_procfd.c
endif
if BACKEND_PIDFD
libgivefd_la_SOURCES += src/lib/handoff_pidfd.c
endif

libgivefd_la_CPPFLAGS = $(AM_CPPFLAGS) $(handoff_cppflags)
libgivefd_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)
libgivefd_la_LIBADD = $(LTLIBOBJS)
libgivefd_la_LDFLAGS = -version-info 2:0:1 -no-undefined \
	-export-symbols $(srcdir)/src/lib/givefd.sym
EXTRA_libgivefd_la_SOURCES = compat/pipe2.c \
	compat/secure_getenv.c compat/getpeereid.c \
	compat/getentropy.c compat/fpurge.c
EXTRA_DIST += src/lib/givefd.sym
