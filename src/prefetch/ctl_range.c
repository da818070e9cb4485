/* SPDX-License-Identifier: ISC */
/*
 * ctl_range.c: --range OFFSET:LENGTH, the byte range of each file that
 * warm, lock, status and evict work on, and its residency measured here.
 * A range stands for the whole pages it touches, clipped to the file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "prefetch_sys.h"
#include "size.h"

static int ctl_range_bad(const char *arg, const char *why)
{
	fprintf(stderr, "prefetchctl: --range '%s': %s (OFFSET:LENGTH or "
	        "OFFSET:, sizes in bytes or with K, M, G)\n", arg, why);
	return -1;
}

int ctl_range_parse(const char *arg, struct ctl_range *r)
{
	const char *colon = strchr(arg, ':');
	char off[64];
	size_t n;

	if (colon == NULL)
		return ctl_range_bad(arg, "no ':'");
	n = (size_t)(colon - arg);
	if (n == 0 || n >= sizeof off)
		return ctl_range_bad(arg, "bad offset");
	memcpy(off, arg, n);
	off[n] = '\0';
	if (pf_parse_size(off, &r->off) == -1)
		return ctl_range_bad(arg, errno == ERANGE ? "offset too large" :
		                     "bad offset");
	r->len = 0;
	if (colon[1] != '\0') {
		if (pf_parse_size(colon + 1, &r->len) == -1)
			return ctl_range_bad(arg, errno == ERANGE ? "length too large" :
			                     "bad length");
		if (r->len == 0)
			return ctl_range_bad(arg, "empty (omit LENGTH for the rest "
			                     "of the file)");
		if (r->len > UINT64_MAX - r->off)
			return ctl_range_bad(arg, "past the largest offset");
	}
	r->set = 1;
	return 0;
}

int ctl_range_option(int *argc, char ***argv, struct ctl_range *r)
{
	if (*argc < 1 || strcmp((*argv)[0], "--range") != 0)
		return 0;
	if (*argc < 2) {
		fprintf(stderr, "prefetchctl: --range needs OFFSET:LENGTH\n");
		return -1;
	}
	if (ctl_range_parse((*argv)[1], r) == -1)
		return -1;
	*argc -= 2;
	*argv += 2;
	return 1;
}

void ctl_range_pages(const struct ctl_range *r, uint64_t size, uint64_t page,
                     uint64_t *first, uint64_t *count)
{
	uint64_t end = size;

	*first = *count = 0;
	if (r->off >= size)
		return;
	if (r->len != 0 && r->len < size - r->off)
		end = r->off + r->len;
	*first = r->off / page;
	*count = (end + page - 1) / page - *first;
}

uint64_t ctl_range_bytes(const struct ctl_range *r, uint64_t size,
                         uint64_t page)
{
	uint64_t first, count, end;

	ctl_range_pages(r, size, page, &first, &count);
	end = (first + count) * page;
	if (end > size)
		end = size;
	return count == 0 ? 0 : end - first * page;
}

int ctl_range_residency(int fd, const struct ctl_range *r,
                        struct prefetch_residency *out)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = pg > 0 ? (uint64_t)pg : 4096, first, count;
	struct stat st;

	memset(out, 0, sizeof *out);
	if (fstat(fd, &st) == -1)
		return -1;
	ctl_range_pages(r, (uint64_t)st.st_size, page, &first, &count);
	out->size = ctl_range_bytes(r, (uint64_t)st.st_size, page);
	out->pages = count;
	if (pf_sys_residency_pages(fd, first, count, &out->resident,
	                           &out->method) == -1)
		return -1;
	out->trusted = pf_sys_residency_trusted(fd, out->method, &out->resident);
	return 0;
}
