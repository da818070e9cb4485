/* SPDX-License-Identifier: ISC */
/*
 * test_wirebuf.c: the shared writer and reader (src/util/wirebuf.h). Exact
 * big-endian bytes; a put that does not fit or a get past the end sets the
 * error, which sticks: later calls change nothing and read zeros.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "wirebuf.h"

static void test_bytes_round_trip(void **state)
{
	static const uint8_t want[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0xaa, 0xbb, 0xcc,
	};
	struct wire_writer w;
	struct wire_reader r;
	uint8_t buf[sizeof want];

	(void)state;
	wire_writer_init(&w, buf, sizeof buf);
	wire_put8(&w, 0x01);
	wire_put16(&w, 0x0203);
	wire_put32(&w, 0x04050607);
	wire_put64(&w, 0x08090a0b0c0d0e0fULL);
	wire_put(&w, 0xaabbcc, 3);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, sizeof want);
	assert_memory_equal(buf, want, sizeof want);

	wire_reader_init(&r, buf, sizeof buf);
	assert_int_equal(wire_get8(&r), 0x01);
	assert_int_equal(wire_get16(&r), 0x0203);
	assert_int_equal(wire_get32(&r), 0x04050607);
	assert_true(wire_get64(&r) == 0x08090a0b0c0d0e0fULL);
	assert_true(wire_get(&r, 3) == 0xaabbcc);
	assert_int_equal(wire_reader_done(&r), 0);
}

static void test_writer_error_sticks(void **state)
{
	struct wire_writer w;
	uint8_t buf[8];

	(void)state;
	memset(buf, 0x55, sizeof buf);
	wire_writer_init(&w, buf, 5);
	wire_put32(&w, 0x01020304);
	wire_put16(&w, 0xffff);            /* one byte short: nothing written */
	assert_int_equal(w.err, EMSGSIZE);
	assert_int_equal(w.len, 4);
	wire_put8(&w, 0x77);               /* would fit, but the error sticks */
	assert_null(wire_room(&w, 0));
	assert_int_equal(w.err, EMSGSIZE);
	assert_int_equal(w.len, 4);
	assert_int_equal(buf[4], 0x55);
}

static void test_reader_error_sticks(void **state)
{
	static const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	struct wire_reader r;

	(void)state;
	wire_reader_init(&r, in, sizeof in);
	assert_int_equal(wire_get32(&r), 0x01020304);
	assert_int_equal(wire_get16(&r), 0);   /* past the end */
	assert_int_equal(r.err, EBADMSG);
	assert_int_equal(r.pos, 4);
	assert_int_equal(wire_get8(&r), 0);    /* would fit, but sticks */
	assert_null(wire_take(&r, 0));
	assert_int_equal(r.pos, 4);
	errno = 0;
	assert_int_equal(wire_reader_done(&r), -1);
	assert_int_equal(errno, EBADMSG);
}

static void test_reader_done_wants_every_byte(void **state)
{
	static const uint8_t in[] = { 0x01, 0x02, 0x03 };
	struct wire_reader r;

	(void)state;
	wire_reader_init(&r, in, sizeof in);
	assert_int_equal(wire_get16(&r), 0x0102);
	errno = 0;
	assert_int_equal(wire_reader_done(&r), -1);   /* one byte left over */
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(r.err, 0);
	assert_int_equal(wire_get8(&r), 0x03);
	assert_int_equal(wire_reader_done(&r), 0);
}

static void test_str16(void **state)
{
	static const uint8_t want[] = { 0, 3, 'a', 'b', 'c', 0, 0 };
	static char big[0x10000];
	struct wire_writer w;
	struct wire_reader r;
	const uint8_t *s;
	uint8_t buf[sizeof want];
	uint16_t n;

	(void)state;
	wire_writer_init(&w, buf, sizeof buf);
	wire_put_str16(&w, "abc", 3);
	wire_put_str16(&w, "", 0);
	assert_int_equal(w.err, 0);
	assert_memory_equal(buf, want, sizeof want);
	wire_put_str16(&w, "x", 1);                /* no room */
	assert_int_equal(w.err, EMSGSIZE);
	wire_writer_init(&w, buf, sizeof buf);
	wire_put_str16(&w, big, sizeof big);       /* count does not fit 16 bits */
	assert_int_equal(w.err, EINVAL);
	assert_int_equal(w.len, 0);

	wire_reader_init(&r, want, sizeof want);
	s = wire_get_str16(&r, &n);
	assert_non_null(s);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "abc", 3);
	assert_non_null(wire_get_str16(&r, &n));
	assert_int_equal(n, 0);
	assert_int_equal(wire_reader_done(&r), 0);
	wire_reader_init(&r, want, 4);             /* says 3, holds 2 */
	assert_null(wire_get_str16(&r, &n));
	assert_int_equal(r.err, EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_bytes_round_trip),
		TU_TEST(test_writer_error_sticks),
		TU_TEST(test_reader_error_sticks),
		TU_TEST(test_reader_done_wants_every_byte),
		TU_TEST(test_str16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
