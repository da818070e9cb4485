# SPDX-License-Identifier: ISC
# tests/emul/local.mk: the accrights and streams backends run on Linux
# through a translation layer (tests/emul/emul.h). A second copy of the
# library is built with them in place of scm_rights; test_emul drives it.
if HAVE_CMOCKA
check_LTLIBRARIES += libemul_backends.la libgivefd_emul.la
libemul_backends_la_SOURCES = src/lib/accrights.c src/lib/sockrecv_accrights.c \
	src/lib/accrights_xopen.h \
	src/lib/streams.c \
	tests/emul/emul.h tests/emul/include/sys/socket.h \
	tests/emul/include/sys/stropts.h tests/emul/include/stropts.h
libemul_backends_la_CPPFLAGS = -I$(top_srcdir)/tests/emul/include $(AM_CPPFLAGS)

libgivefd_emul_la_SOURCES = src/lib/api.c src/lib/fdutil.c \
	src/lib/receive.c src/lib/sigpipe.c tests/emul/table.c tests/emul/emul.c
if BACKEND_HANDOFF
libgivefd_emul_la_SOURCES += $(handoff_sources)
endif
if BACKEND_PROCFD
libgivefd_emul_la_SOURCES += src/lib/handoff_procfd.c
endif
if BACKEND_PIDFD
libgivefd_emul_la_SOURCES += src/lib/handoff_pidfd.c src/lib/scm_send.c \
	src/lib/scm_max_fds.c
endif
libgivefd_emul_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/lib \
	-DGIVEFD_BACKEND_STREAMS=1
libgivefd_emul_la_LIBADD = libemul_backends.la $(LTLIBOBJS)

check_PROGRAMS += tests/emul/test_emul
TESTS += tests/emul/test_emul
tests_emul_test_emul_SOURCES = tests/emul/test_emul.c
tests_emul_test_emul_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/tests/emul
tests_emul_test_emul_CFLAGS = $(TEST_CFLAGS)
tests_emul_test_emul_LDADD = libgivefd_emul.la libtestutil.la $(CMOCKA_LIBS)
endif
