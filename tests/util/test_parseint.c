/* SPDX-License-Identifier: ISC */
/*
 * test_parseint.c: util_parse_long (src/util/parseint.h). The whole string
 * is one decimal number within the bounds, or it is refused with EINVAL
 * and the output is left as it was.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>

#include "parseint.h"
#include "testutil.h"

static void test_takes_numbers_within_bounds(void **state)
{
	long v = 0;

	(void)state;
	assert_int_equal(util_parse_long("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(util_parse_long("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(util_parse_long("-3", -5, 5, &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(util_parse_long("2147483647", 0, INT_MAX, &v), 0);
	assert_int_equal(v, INT_MAX);
}

static void test_refuses_the_rest(void **state)
{
	static const char *const bad[] = {
		"", "x", "5x", "5 ", "11", "-1", "99999999999999999999999",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long v = 42;

		errno = 0;
		assert_int_equal(util_parse_long(bad[i], 0, 10, &v), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(v, 42);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_takes_numbers_within_bounds),
		TU_TEST(test_refuses_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
