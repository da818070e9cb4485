/* SPDX-License-Identifier: ISC */
/* test_handle.c: the handle message codec (version 2), byte by byte. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "testutil.h"
#include "handoff_handle.h"
#include "sha256.h"

/* procfd: the descriptor numbers follow the fixed part. */
static const unsigned char procfd_example[] = {
	0xC7, 'G', 'F', 'H', 2, 1, 0, 0,
	0x00, 0x00, 0x30, 0x39,                 /* sender 12345 */
	0x00, 0x00, 0x30, 0x3A,                 /* holder 12346 */
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,  /* secret */
	0x00, 0x00, 0x00, 0x05,                 /* payload 5 */
	0x00, 0x02, 0x00, 0x00,                 /* 2 descriptors */
	0x00, 0x00, 0x00, 0x00,                 /* proof 0 */
	0x00, 0x00, 0x00, 0x01,                 /* answer 1 */
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00,
};

/* pidfd: the descriptors wait on the answer socket, which is the proof. */
static const unsigned char pidfd_example[] = {
	0xC7, 'G', 'F', 'H', 2, 2, 0, 0,
	0x00, 0x00, 0x30, 0x39,                 /* sender 12345 */
	0x00, 0x00, 0x30, 0x39,                 /* holder: the sender */
	16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
	0x00, 0x00, 0x00, 0x00,                 /* payload 0 */
	0x00, 0x03, 0x00, 0x00,                 /* 3 descriptors */
	0x00, 0x00, 0x00, 0x07,                 /* proof 7 */
	0x00, 0x00, 0x00, 0x07,                 /* answer 7 */
};

static void fill(struct gfd_handle *h)
{
	size_t i;

	memset(h, 0, sizeof *h);
	h->backend = GFD_HANDLE_PROCFD;
	h->sender_pid = 12345;
	h->holder_pid = 12346;
	for (i = 0; i < GFD_SECRET_LEN; i++)
		h->secret[i] = (unsigned char)(i + 1);
	h->payload_len = 5;
	h->nfds = 2;
	h->proof_fd = 0;
	h->answer_fd = 1;
	h->fds[0] = 3;
	h->fds[1] = 256;
}

static void test_encode_layout(void **state)
{
	unsigned char out[GFD_HANDLE_MAX];
	struct gfd_handle h;

	(void)state;
	fill(&h);
	assert_int_equal(gfd_handle_size(&h), sizeof procfd_example);
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), sizeof procfd_example);
	assert_memory_equal(out, procfd_example, sizeof procfd_example);
	errno = 0;
	assert_int_equal(gfd_handle_encode(&h, out, sizeof procfd_example - 1), -1);
	assert_int_equal(errno, EMSGSIZE);
}

static void test_decode_roundtrip(void **state)
{
	struct gfd_handle h, want;

	(void)state;
	fill(&want);
	assert_int_equal(gfd_handle_decode_fixed(procfd_example, &h), 0);
	assert_int_equal(gfd_handle_decode_fds(procfd_example + GFD_HANDLE_FIXED, &h), 0);
	assert_int_equal(h.backend, want.backend);
	assert_int_equal(h.sender_pid, want.sender_pid);
	assert_int_equal(h.holder_pid, want.holder_pid);
	assert_memory_equal(h.secret, want.secret, GFD_SECRET_LEN);
	assert_int_equal(h.payload_len, want.payload_len);
	assert_int_equal(h.nfds, 2);
	assert_int_equal(h.proof_fd, 0);
	assert_int_equal(h.answer_fd, 1);
	assert_int_equal(h.fds[0], 3);
	assert_int_equal(h.fds[1], 256);
}

static void test_pidfd_roundtrip(void **state)
{
	unsigned char out[GFD_HANDLE_MAX];
	struct gfd_handle h;

	(void)state;
	assert_int_equal(gfd_handle_decode_fixed(pidfd_example, &h), 0);
	assert_int_equal(h.nfds, 3);
	assert_int_equal(gfd_handle_size(&h), sizeof pidfd_example);
	assert_int_equal(gfd_handle_decode_fds(pidfd_example + GFD_HANDLE_FIXED, &h), 0);
	assert_int_equal(h.proof_fd, 7);
	assert_int_equal(h.answer_fd, 7);
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), sizeof pidfd_example);
	assert_memory_equal(out, pidfd_example, sizeof pidfd_example);
}

/* Every byte of the fixed header that must have one value is checked. */
static void test_decode_strict(void **state)
{
	static const struct { size_t at; unsigned char value; } bad[] = {
		{ 0, 0xC6 }, { 3, 'h' }, { 4, 1 }, { 4, 3 }, { 5, 0 }, { 5, 3 },
		{ 6, 1 }, { 7, 1 }, { 8, 0x80 }, { 12, 0x80 }, { 32, 0x40 },
		{ 36, 1 }, { 38, 1 }, { 39, 1 }, { 40, 0x80 }, { 44, 0x80 },
	};
	unsigned char msg[sizeof procfd_example];
	struct gfd_handle h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(msg, procfd_example, sizeof msg);
		msg[bad[i].at] = bad[i].value;
		errno = 0;
		assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
		assert_int_equal(errno, EPROTO);
	}
	/* Descriptors with no holder, or an all-zero secret. */
	memcpy(msg, procfd_example, sizeof msg);
	memset(msg + 12, 0, 4);
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
	memcpy(msg, procfd_example, sizeof msg);
	memset(msg + 16, 0, GFD_SECRET_LEN);
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
	/* No descriptors, yet a holder named. */
	memcpy(msg, procfd_example, sizeof msg);
	msg[37] = 0;
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), -1);
	/* A descriptor number beyond int. */
	memcpy(msg, procfd_example, sizeof msg);
	assert_int_equal(gfd_handle_decode_fixed(msg, &h), 0);
	msg[GFD_HANDLE_FIXED] = 0x80;
	assert_int_equal(gfd_handle_decode_fds(msg + GFD_HANDLE_FIXED, &h), -1);
	assert_int_equal(errno, EPROTO);
}

/* A message with payload only: everything else zero. */
static void test_payload_only(void **state)
{
	unsigned char out[GFD_HANDLE_MAX];
	struct gfd_handle h, back;

	(void)state;
	memset(&h, 0, sizeof h);
	h.backend = GFD_HANDLE_PIDFD;
	h.sender_pid = 99;
	h.payload_len = 3;
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), GFD_HANDLE_FIXED);
	assert_int_equal(gfd_handle_decode_fixed(out, &back), 0);
	assert_int_equal(back.nfds, 0);
	h.holder_pid = 99;
	assert_int_equal(gfd_handle_encode(&h, out, sizeof out), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_magic_prefix(void **state)
{
	(void)state;
	assert_true(gfd_handle_has_magic(procfd_example, 1));
	assert_true(gfd_handle_has_magic(procfd_example, 40));
	assert_false(gfd_handle_has_magic((const unsigned char *)"\xC7G", 0));
	assert_false(gfd_handle_has_magic((const unsigned char *)"\xC7Gx", 3));
}

static void hex(const unsigned char *d, char out[2 * GFD_SHA256_LEN + 1])
{
	size_t i;

	for (i = 0; i < GFD_SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* The proofs' hash against the standard's examples, and a message split
 * across parts and blocks. */
static void test_sha256_vectors(void **state)
{
	static const char *const msgs[] = {
		"", "abc",
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	};
	static const char *const want[] = {
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	};
	static char thousand[1000];
	unsigned char d[GFD_SHA256_LEN];
	char text[2 * GFD_SHA256_LEN + 1];
	const void *parts[3];
	size_t lens[3], i;

	(void)state;
	for (i = 0; i < 3; i++) {
		parts[0] = msgs[i];
		lens[0] = strlen(msgs[i]);
		gfd_sha256(parts, lens, 1, d);
		hex(d, text);
		assert_string_equal(text, want[i]);
	}
	memset(thousand, 'a', sizeof thousand);
	parts[0] = thousand;
	lens[0] = 1;
	parts[1] = thousand;
	lens[1] = 63;
	parts[2] = thousand;
	lens[2] = sizeof thousand - 64;
	gfd_sha256(parts, lens, 3, d);
	hex(d, text);
	assert_string_equal(text,
	    "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST(test_encode_layout),
		TU_TEST(test_decode_roundtrip),
		TU_TEST(test_pidfd_roundtrip),
		TU_TEST(test_decode_strict),
		TU_TEST(test_payload_only),
		TU_TEST(test_magic_prefix),
		TU_TEST(test_sha256_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
