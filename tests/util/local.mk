# SPDX-License-Identifier: ISC
# tests/util/local.mk: the shared helpers of src/util, one cmocka program
# per helper that has logic of its own.
if HAVE_CMOCKA
util_tests = tests/util/test_parseint tests/util/test_unixsock \
	tests/util/test_wirebuf
check_PROGRAMS += $(util_tests)
TESTS += $(util_tests)

tests_util_test_wirebuf_SOURCES = tests/util/test_wirebuf.c
tests_util_test_wirebuf_CPPFLAGS = $(TEST_CPPFLAGS)
tests_util_test_wirebuf_CFLAGS = $(TEST_CFLAGS)
tests_util_test_wirebuf_LDADD = $(TEST_LDADD)

tests_util_test_unixsock_SOURCES = tests/util/test_unixsock.c
tests_util_test_unixsock_CPPFLAGS = $(TEST_CPPFLAGS)
tests_util_test_unixsock_CFLAGS = $(TEST_CFLAGS)
tests_util_test_unixsock_LDADD = $(TEST_LDADD)

tests_util_test_parseint_SOURCES = tests/util/test_parseint.c
tests_util_test_parseint_CPPFLAGS = $(TEST_CPPFLAGS)
tests_util_test_parseint_CFLAGS = $(TEST_CFLAGS)
tests_util_test_parseint_LDADD = $(TEST_LDADD)
endif
