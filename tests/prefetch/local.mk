# SPDX-License-Identifier: ISC
# tests/prefetch/local.mk: prefetchd's tests. The codec and the sandbox are
# tested as units; the daemon and prefetchctl as the built programs, run by
# the tests against files on a disk (they skip on memory file systems).
if HAVE_CMOCKA
PF_TEST_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/src/prefetch
pftest_sources = tests/prefetch/pftest.c tests/prefetch/pftest.h \
	src/prefetch/client.c $(prefetch_common_sources)

prefetch_tests = \
	tests/prefetch/test_prefetch_protocol \
	tests/prefetch/test_prefetch_sandbox \
	tests/prefetch/test_prefetchd \
	tests/prefetch/test_prefetch_stall \
	tests/prefetch/test_prefetch_modes \
	tests/prefetch/test_prefetch_range \
	tests/prefetch/test_prefetch_progress \
	tests/prefetch/test_prefetch_pipes \
	tests/prefetch/test_prefetch_trace \
	tests/prefetch/test_prefetch_replay \
	tests/prefetch/test_prefetch_order \
	tests/fuzz/fuzz_prefetch_trace \
	tests/prefetch/test_prefetch_trust \
	tests/prefetch/test_prefetch_limits \
	tests/prefetch/test_prefetch_warm \
	tests/fuzz/fuzz_prefetch_protocol
check_PROGRAMS += $(prefetch_tests)
TESTS += $(prefetch_tests)

tests_prefetch_test_prefetch_protocol_SOURCES = \
	tests/prefetch/test_prefetch_protocol.c \
	src/prefetch/size.c src/prefetch/size.h $(prefetch_protocol_sources)
tests_prefetch_test_prefetch_protocol_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_protocol_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_protocol_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_sandbox_SOURCES = \
	tests/prefetch/test_prefetch_sandbox.c src/prefetch/sandbox.c
tests_prefetch_test_prefetch_sandbox_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_sandbox_CFLAGS = $(TEST_CFLAGS) $(SECCOMP_CFLAGS)
tests_prefetch_test_prefetch_sandbox_LDADD = $(TEST_LDADD) $(SECCOMP_LIBS)

tests_prefetch_test_prefetchd_SOURCES = \
	tests/prefetch/test_prefetchd.c $(pftest_sources)
tests_prefetch_test_prefetchd_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetchd_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetchd_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_warm_SOURCES = \
	tests/prefetch/test_prefetch_warm.c $(pftest_sources)
tests_prefetch_test_prefetch_warm_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_warm_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_warm_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_stall_SOURCES = \
	tests/prefetch/test_prefetch_stall.c $(pftest_sources)
tests_prefetch_test_prefetch_stall_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_stall_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_stall_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_modes_SOURCES = \
	tests/prefetch/test_prefetch_modes.c $(pftest_sources)
tests_prefetch_test_prefetch_modes_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_modes_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_modes_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_range_SOURCES = \
	tests/prefetch/test_prefetch_range.c $(pftest_sources)
tests_prefetch_test_prefetch_range_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_range_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_range_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_progress_SOURCES = \
	tests/prefetch/test_prefetch_progress.c $(pftest_sources)
tests_prefetch_test_prefetch_progress_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_progress_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_progress_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_pipes_SOURCES = \
	tests/prefetch/test_prefetch_pipes.c $(pftest_sources)
tests_prefetch_test_prefetch_pipes_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_pipes_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_pipes_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_trust_SOURCES = \
	tests/prefetch/test_prefetch_trust.c $(pftest_sources)
tests_prefetch_test_prefetch_trust_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_trust_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_trust_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_limits_SOURCES = \
	tests/prefetch/test_prefetch_limits.c $(pftest_sources)
tests_prefetch_test_prefetch_limits_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_limits_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_limits_LDADD = $(TEST_LDADD)

tests_fuzz_fuzz_prefetch_protocol_SOURCES = \
	tests/fuzz/fuzz_prefetch_protocol.c $(prefetch_protocol_sources)
tests_fuzz_fuzz_prefetch_protocol_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_fuzz_fuzz_prefetch_protocol_LDADD = libgfdutil.la
tests_prefetch_test_prefetch_trace_SOURCES = \
	tests/prefetch/test_prefetch_trace.c $(pftest_sources) \
	$(prefetch_trace_sources)
tests_prefetch_test_prefetch_trace_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_trace_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_trace_LDADD = $(TEST_LDADD)

tests_prefetch_test_prefetch_replay_SOURCES = \
	tests/prefetch/test_prefetch_replay.c $(pftest_sources) \
	$(prefetch_trace_sources)
tests_prefetch_test_prefetch_replay_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_replay_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_replay_LDADD = $(TEST_LDADD)

# trace_order.c and what it uses, with compat's memfd_create where missing.
tests_prefetch_test_prefetch_order_SOURCES = \
	tests/prefetch/test_prefetch_order.c $(pftest_sources) \
	$(prefetch_trace_sources) src/prefetch/trace_run.h \
	src/prefetch/trace_order.c src/prefetch/trace_place.c \
	src/prefetch/trace_anon.c
tests_prefetch_test_prefetch_order_CPPFLAGS = $(PF_TEST_CPPFLAGS)
tests_prefetch_test_prefetch_order_CFLAGS = $(TEST_CFLAGS)
tests_prefetch_test_prefetch_order_LDADD = $(TEST_LDADD) $(LIBOBJS)

tests_fuzz_fuzz_prefetch_trace_SOURCES = \
	tests/fuzz/fuzz_prefetch_trace.c $(prefetch_trace_sources)
tests_fuzz_fuzz_prefetch_trace_CPPFLAGS = $(PF_TEST_CPPFLAGS)
# (make check builds prefetchd and prefetchctl first, as part of all.)
endif

# make bench: warming from cold against vmtouch and cat, and the round trip
# of one request.
bench_scripts += tests/bench/prefetch_warm.sh tests/bench/prefetch_record.sh
bench_programs += tests/bench/bench_prefetch_rtt
tests_bench_bench_prefetch_rtt_SOURCES = tests/bench/bench_prefetch_rtt.c
tests_bench_bench_prefetch_rtt_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/prefetch
tests_bench_bench_prefetch_rtt_LDADD = libprefetch.la
