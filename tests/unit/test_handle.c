/* test_handle.c: the handle message codec, byte by byte. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "testutil.h"
#include "handle.h"

static const unsigned char example[] = {
	0xC7, 'G', 'F', 'H', 1, 2, 0, 0,
	0x00, 0x00, 0x30, 0x39,                 /* sender 12345 */
	0x00, 0x00, 0x30, 0x3A,                 /* helper 12346 */
	0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC,
	0x00, 0x00, 0x00, 0x05,                 /* payload 5 */
	0x00, 0x02, 0x00, 0x00,                 /* 2 descriptors */
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00,
};

/* Direct: no helper, the nonce is the pipe's inode, and the
 * acknowledgement pipe (7) and channel (4) follow the descriptors. */
static const unsigned char direct_example[] = {
	0xC7, 'G', 'F', 'H', 1, 2, 1, 0,
	0x00, 0x00, 0x30, 0x39,                 /* sender 12345 */
	0x00, 0x00, 0x00, 0x00,                 /* no helper */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xE2, 0x40,
	0x00, 0x00, 0x00, 0x00,                 /* payload 0 */
	0x00, 0x03, 0x00, 0x00,                 /* 1 descriptor + 2 */
	0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04,
};

static void fill(struct gfd_handle *h)
{
	memset(h, 0, sizeof *h);
	h->backend = GFD_HANDLE_PIDFD;
	h->sender_pid = 12345;
	h->helper_pid = 12346;
	h->nonce = 0x123456789ABCull;
	h->payload_len = 5;
	h->nfds = 2;
	h->fds[0] = 3;
	h->fds[1] = 256;
}

static void test_encode_layout(void **state)
{
	unsigned char out[GFD_HANDLE_MAX];
	struct gfd_handle h;

	(void)state;
	fill(&h);
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), sizeof example);
	assert_memory_equal(out, example, sizeof example);
	errno = 0;
	assert_int_equal(gfd_handle_encode(&h, out, sizeof example - 1), -1);
	assert_int_equal(errno, EMSGSIZE);
}

static void test_decode_roundtrip(void **state)
{
	struct gfd_handle h, want;

	(void)state;
	fill(&want);
	assert_int_equal(gfd_handle_decode_fixed(example, &h), 0);
	assert_int_equal(gfd_handle_decode_fds(example + GFD_HANDLE_FIXED, &h), 0);
	assert_int_equal(h.backend, want.backend);
	assert_int_equal(h.sender_pid, want.sender_pid);
	assert_int_equal(h.helper_pid, want.helper_pid);
	assert_true(h.nonce == want.nonce);
	assert_int_equal(h.payload_len, want.payload_len);
	assert_int_equal(h.nfds, 2);
	assert_int_equal(h.fds[0], 3);
	assert_int_equal(h.fds[1], 256);
}

static void test_direct_roundtrip(void **state)
{
	unsigned char out[GFD_HANDLE_MAX];
	struct gfd_handle h;

	(void)state;
	assert_int_equal(gfd_handle_decode_fixed(direct_example, &h), 0);
	assert_int_equal(h.flags, GFD_HANDLE_DIRECT);
	assert_int_equal(h.nfds, 1);
	assert_int_equal(gfd_handle_size(h.nfds, h.flags), sizeof direct_example);
	assert_int_equal(gfd_handle_decode_fds(direct_example + GFD_HANDLE_FIXED, &h), 0);
	assert_int_equal(h.fds[0], 5);
	assert_int_equal(h.answer_fd, 7);
	assert_int_equal(h.chan_fd, 4);
	assert_true(h.nonce == 123456);
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), sizeof direct_example);
	assert_memory_equal(out, direct_example, sizeof direct_example);
}

/* A direct handle names no helper, carries a nonce and at least one
 * descriptor besides its two numbers; unknown flags fail. */
static void test_direct_strict(void **state)
{
	static const struct { size_t at; unsigned char value; } bad[] = {
		{ 5, 3 }, { 6, 3 }, { 15, 1 }, { 23, 0 }, { 29, 2 }, { 29, 1 },
	};
	unsigned char msg[sizeof direct_example];
	struct gfd_handle h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(msg, direct_example, sizeof msg);
		msg[bad[i].at] = bad[i].value;
		if (bad[i].at == 23)
			msg[21] = msg[22] = 0;
		errno = 0;
		assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
		assert_int_equal(errno, EPROTO);
	}
}

/* Every byte of the fixed header that must have one value is checked. */
static void test_decode_strict(void **state)
{
	static const struct { size_t at; unsigned char value; } bad[] = {
		{ 0, 0xC6 }, { 3, 'h' }, { 4, 2 }, { 5, 0 }, { 5, 3 }, { 6, 1 },
		{ 6, 2 },
		{ 7, 1 }, { 8, 0x80 }, { 12, 0x80 }, { 24, 0x40 }, { 28, 1 },
		{ 30, 1 }, { 31, 1 },
	};
	unsigned char msg[sizeof example];
	struct gfd_handle h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(msg, example, sizeof msg);
		msg[bad[i].at] = bad[i].value;
		errno = 0;
		assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
		assert_int_equal(errno, EPROTO);
	}
	/* Helper equal to sender; no descriptors but a helper named. */
	memcpy(msg, example, sizeof msg);
	msg[15] = 0x39;
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
	memcpy(msg, example, sizeof msg);
	msg[29] = 0;
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
	/* A descriptor number beyond int. */
	memcpy(msg, example, sizeof msg);
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), 0);
	msg[GFD_HANDLE_FIXED] = 0x80;
	assert_int_equal(gfd_handle_decode_fds(msg + GFD_HANDLE_FIXED, &h), -1);
	assert_int_equal(errno, EPROTO);
}

static void test_magic_prefix(void **state)
{
	(void)state;
	assert_true(gfd_handle_has_magic(example, 1));
	assert_true(gfd_handle_has_magic(example, 40));
	assert_false(gfd_handle_has_magic((const unsigned char *)"\xC7G", 0));
	assert_false(gfd_handle_has_magic((const unsigned char *)"\xC7Gx", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_encode_layout),
		TU_TEST(test_decode_roundtrip),
		TU_TEST(test_decode_strict),
		TU_TEST(test_magic_prefix),
		TU_TEST(test_direct_roundtrip),
		TU_TEST(test_direct_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
