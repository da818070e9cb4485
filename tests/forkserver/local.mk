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
endif
