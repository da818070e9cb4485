# SPDX-License-Identifier: ISC
# tests/local.mk: make check. Each unit has one cmocka program; they link a
# static copy of the library so a test can wrap a system call to inject a
# fault. Script tests check what only a built tree shows (exported symbols,
# the public header, other languages' peers).
if HAVE_CMOCKA
check_LTLIBRARIES += libgivefd_check.la libtestutil.la
libgivefd_check_la_SOURCES = $(libgivefd_la_SOURCES)
libgivefd_check_la_LIBADD = $(LTLIBOBJS)
libtestutil_la_SOURCES = tests/harness/testutil.c tests/harness/testutil.h \
	tests/harness/rawfd.c tests/harness/rawfd.h
libtestutil_la_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/harness
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LDADD = libgivefd_check.la libtestutil.la libgfdutil.la $(CMOCKA_LIBS)

givefd_tests = \
	tests/givefd/test_transfer \
	tests/givefd/test_errors \
	tests/givefd/test_backend_choice \
	tests/givefd/test_getpeereid
check_PROGRAMS += $(givefd_tests)
TESTS += $(givefd_tests)

tests_givefd_test_transfer_SOURCES = tests/givefd/test_transfer.c
tests_givefd_test_transfer_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_transfer_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_transfer_LDADD = $(TEST_LDADD)

tests_givefd_test_errors_SOURCES = tests/givefd/test_errors.c
tests_givefd_test_errors_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_errors_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_errors_LDADD = $(TEST_LDADD)

tests_givefd_test_backend_choice_SOURCES = tests/givefd/test_backend_choice.c
tests_givefd_test_backend_choice_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_backend_choice_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_backend_choice_LDADD = $(TEST_LDADD)

tests_givefd_test_getpeereid_SOURCES = tests/givefd/test_getpeereid.c
tests_givefd_test_getpeereid_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_getpeereid_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_getpeereid_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/interop/peer
tests_interop_peer_SOURCES = tests/interop/peer.c
tests_interop_peer_LDADD = libgivefd.la
TESTS += tests/interop/interop.test tests/build.test tests/demo.test

if HAVE_LD_WRAP
check_PROGRAMS += tests/givefd/test_ctrunc
TESTS += tests/givefd/test_ctrunc
tests_givefd_test_ctrunc_SOURCES = tests/givefd/test_ctrunc.c
tests_givefd_test_ctrunc_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_ctrunc_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_ctrunc_LDFLAGS = -Wl,--wrap=recvmsg
tests_givefd_test_ctrunc_LDADD = $(TEST_LDADD)

check_LTLIBRARIES += libgivefd_nocloexec.la
libgivefd_nocloexec_la_SOURCES = $(libgivefd_la_SOURCES)
libgivefd_nocloexec_la_CPPFLAGS = -I$(top_srcdir)/tests/givefd/without-cmsg-cloexec $(AM_CPPFLAGS)
libgivefd_nocloexec_la_LIBADD = $(LTLIBOBJS)
EXTRA_DIST += tests/givefd/without-cmsg-cloexec/compat.h
check_PROGRAMS += tests/givefd/test_cloexec_fallback
TESTS += tests/givefd/test_cloexec_fallback
tests_givefd_test_cloexec_fallback_SOURCES = tests/givefd/test_cloexec_fallback.c
tests_givefd_test_cloexec_fallback_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_cloexec_fallback_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_cloexec_fallback_LDFLAGS = -Wl,--wrap=fcntl
tests_givefd_test_cloexec_fallback_LDADD = libgivefd_nocloexec.la libtestutil.la $(CMOCKA_LIBS)
endif
if BACKEND_HANDOFF
givefd_tests_handoff = tests/givefd/test_pipes tests/givefd/test_trust tests/givefd/test_handle \
	tests/fuzz/fuzz_handle tests/givefd/test_receiver
check_PROGRAMS += $(givefd_tests_handoff)
TESTS += $(givefd_tests_handoff)
if BACKEND_PIDFD
check_PROGRAMS += tests/givefd/test_pidfd_missing
TESTS += tests/givefd/test_transfer_pidfd.sh tests/givefd/test_pipes_helper.sh \
	tests/givefd/test_pidfd_missing
tests_givefd_test_pidfd_missing_SOURCES = tests/givefd/test_pidfd_missing.c
tests_givefd_test_pidfd_missing_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_pidfd_missing_CFLAGS = $(TEST_CFLAGS) $(SECCOMP_CFLAGS)
tests_givefd_test_pidfd_missing_LDADD = $(TEST_LDADD) $(SECCOMP_LIBS)
endif
EXTRA_DIST += tests/givefd/test_transfer_pidfd.sh tests/givefd/test_pipes_helper.sh
tests_givefd_test_receiver_SOURCES = tests/givefd/test_receiver.c
tests_givefd_test_receiver_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_receiver_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_receiver_LDADD = $(TEST_LDADD)

tests_givefd_test_pipes_SOURCES = tests/givefd/test_pipes.c
tests_givefd_test_pipes_CPPFLAGS = $(TEST_CPPFLAGS)
tests_givefd_test_pipes_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_pipes_LDADD = $(TEST_LDADD)
tests_givefd_test_trust_SOURCES = tests/givefd/test_trust.c
tests_givefd_test_trust_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/src/lib
tests_givefd_test_trust_CFLAGS = $(TEST_CFLAGS) -pthread
tests_givefd_test_trust_LDADD = $(TEST_LDADD) -lpthread -lutil
tests_givefd_test_handle_SOURCES = tests/givefd/test_handle.c
tests_givefd_test_handle_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/src/lib
tests_givefd_test_handle_CFLAGS = $(TEST_CFLAGS)
tests_givefd_test_handle_LDADD = $(TEST_LDADD)
tests_fuzz_fuzz_handle_SOURCES = tests/fuzz/fuzz_handle.c
tests_fuzz_fuzz_handle_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/lib
tests_fuzz_fuzz_handle_LDADD = libgivefd_check.la
endif
endif
EXTRA_DIST += tests/interop/interop.test tests/interop/python_peer.py \
	tests/interop/perl_peer.pl tests/build.test tests/demo.test
CLEANFILES += demo-output.txt
# Every test program, script or not, runs with a time limit.
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/time-limit
TEST_LOG_COMPILER = $(LOG_COMPILER)
EXTRA_DIST += tests/time-limit
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)'; \
	top_srcdir='$(abs_top_srcdir)'; CC='$(CC)'; CXX='$(CXX)'; \
	GIVEFD_SANITIZED='$(GIVEFD_SANITIZED)'; \
	GIVEFD_HELPER='$(abs_top_builddir)/givefd-helper'; \
	export top_builddir top_srcdir CC CXX GIVEFD_SANITIZED GIVEFD_HELPER;
if !HAVE_CMOCKA
check-local:
	@echo "make check needs cmocka (Debian: libcmocka-dev); configure did not find it" >&2
	@exit 1
endif
