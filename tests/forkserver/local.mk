# SPDX-License-Identifier: ISC
# tests/forkserver/local.mk: the fork server's tests. The codec as a unit
# and a fuzz target; the server, client and command with real target
# programs the tests build, over real sockets.
if HAVE_CMOCKA
FS_TEST_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/src/forkserver

forkserver_tests = \
	tests/forkserver/test_forkserver_protocol \
	tests/fuzz/fuzz_forkserver_protocol
check_PROGRAMS += $(forkserver_tests)
TESTS += $(forkserver_tests)

tests_forkserver_test_forkserver_protocol_SOURCES = \
	tests/forkserver/test_forkserver_protocol.c $(forkserver_protocol_sources)
tests_forkserver_test_forkserver_protocol_CPPFLAGS = $(FS_TEST_CPPFLAGS)
tests_forkserver_test_forkserver_protocol_CFLAGS = $(TEST_CFLAGS)
tests_forkserver_test_forkserver_protocol_LDADD = $(TEST_LDADD)

tests_fuzz_fuzz_forkserver_protocol_SOURCES = \
	tests/fuzz/fuzz_forkserver_protocol.c $(forkserver_protocol_sources)
tests_fuzz_fuzz_forkserver_protocol_CPPFLAGS = $(FS_TEST_CPPFLAGS)
tests_fuzz_fuzz_forkserver_protocol_LDADD = libgfdutil.la

# The targets: one starts late, linked with libforkserver; the other is
# plain and gets the server from the preload module.
check_PROGRAMS += tests/forkserver/fs_target_late tests/forkserver/fs_target_plain
tests_forkserver_fs_target_late_SOURCES = tests/forkserver/fs_target.c
tests_forkserver_fs_target_late_CPPFLAGS = $(AM_CPPFLAGS) -DFS_LATE_START
tests_forkserver_fs_target_late_LDADD = libforkserver.la
tests_forkserver_fs_target_plain_SOURCES = tests/forkserver/fs_target.c
# A plain target that initialises, then reads its standard input
# (forkserver serve --first-read), and its Python counterpart.
check_PROGRAMS += tests/forkserver/fs_firstread
# A persistent target: forkserver_loop.
check_PROGRAMS += tests/forkserver/fs_persist
tests_forkserver_fs_persist_SOURCES = tests/forkserver/fs_persist.c
tests_forkserver_fs_persist_LDADD = libforkserver.la
tests_forkserver_fs_firstread_SOURCES = tests/forkserver/fs_firstread.c
EXTRA_DIST += tests/forkserver/fs_firstread.py

forkserver_e2e = tests/forkserver/test_forkserver
check_PROGRAMS += $(forkserver_e2e)
TESTS += $(forkserver_e2e)
tests_forkserver_test_forkserver_SOURCES = tests/forkserver/test_forkserver.c \
	tests/forkserver/fs_users.c tests/forkserver/fs_users.h \
	$(forkserver_protocol_sources)
tests_forkserver_test_forkserver_CPPFLAGS = $(FS_TEST_CPPFLAGS)
tests_forkserver_test_forkserver_CFLAGS = $(TEST_CFLAGS) $(SECCOMP_CFLAGS)
tests_forkserver_test_forkserver_LDADD = libforkserver.la libgivefd.la libtestutil.la libgfdutil.la \
	$(CMOCKA_LIBS) $(SECCOMP_LIBS)
TESTS += tests/forkserver/forkserver.test
if BACKEND_HANDOFF
TESTS += tests/forkserver/test_forkserver_handoff.sh
endif
endif
EXTRA_DIST += tests/forkserver/test_forkserver_handoff.sh
TESTS += tests/forkserver/build_forkserver.test tests/forkserver/child_ubsan.test
EXTRA_DIST += tests/forkserver/forkserver.test tests/forkserver/build_forkserver.test \
	tests/forkserver/child_ubsan.test

# make bench: runs per second against fork+exec, posix_spawn and a bare
# fork, with generated targets (compiled by the benchmark with $(CC)).
bench_programs += tests/bench/bench_forkserver
tests_bench_bench_forkserver_SOURCES = tests/bench/bench_forkserver.c \
	tests/bench/benchrate.c tests/bench/benchrate.h
tests_bench_bench_forkserver_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_CC='"$(CC)"' -DBENCH_BUILDDIR='"$(abs_top_builddir)"'
tests_bench_bench_forkserver_LDADD = libforkserver.la
# --first-read and persistent runs against running the target afresh.
bench_programs += tests/bench/bench_firstread
tests_bench_bench_firstread_SOURCES = tests/bench/bench_firstread.c \
	tests/bench/benchrate.c tests/bench/benchrate.h
tests_bench_bench_firstread_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_CC='"$(CC)"' -DBENCH_BUILDDIR='"$(abs_top_builddir)"'
tests_bench_bench_firstread_LDADD = libforkserver.la
