/* SPDX-License-Identifier: ISC */
/*
 * advice.c: see advice.h. Where lseek knows SEEK_DATA, the holes of a
 * sparse file are skipped; elsewhere the range is clipped to the bytes the
 * file has allocated, counted from its start.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advice.h"
#include "prefetch_sys.h"

#define PF_STEP_BYTES ((uint64_t)8 << 20) /* advised per step */
#define PF_STEP_EXTENTS 64                 /* data extents looked at per step */

int pf_advice_start(struct pf_advice *a, const struct pf_file *f,
                    unsigned kind, uint64_t off, uint64_t len, uint64_t max)
{
	struct stat sb;
	uint64_t size;

	if (kind != PF_KIND_FADVISE && kind != PF_KIND_READAHEAD) {
		errno = EINVAL;
		return -1;
	}
	if (f->memfs) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (fstat(f->fd, &sb) == -1)
		return -1;
	size = (uint64_t)sb.st_size;
#ifndef SEEK_DATA
	/* Without hole-seeking, a file's allocated bytes bound what is
	 * worth asking for. */
	if (sb.st_blocks >= 0 && (uint64_t)sb.st_blocks * 512 < size)
		size = (uint64_t)sb.st_blocks * 512;
#endif
	a->kind = kind;
	a->chunk = f->chunk;
	a->done = 0;
	a->pos = off < size ? off : size;
	a->end = (len == 0 || len > size - a->pos) ? size : a->pos + len;
	if (max != 0 && a->end - a->pos > max)
		a->end = a->pos + max;
	a->active = 1;
	return 0;
}

/* The next data extent at or after a->pos, within the range: 1 and
 * [*from, *to), or 0 when there is no more data. */
static int pf_next_data(struct pf_advice *a, int fd, uint64_t *from,
                        uint64_t *to)
{
#ifdef SEEK_DATA
	off_t data = lseek(fd, (off_t)a->pos, SEEK_DATA), hole;

	if (data == -1) {
		if (errno == ENXIO)
			return 0;
		/* The file system cannot tell: take the range as data. */
		data = (off_t)a->pos;
		hole = (off_t)a->end;
	} else {
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole == -1)
			hole = (off_t)a->end;
	}
	if ((uint64_t)data >= a->end)
		return 0;
	*from = (uint64_t)data;
	*to = (uint64_t)hole < a->end ? (uint64_t)hole : a->end;
#else
	(void)fd;
	*from = a->pos;
	*to = a->end;
#endif
	return *to > *from;
}

int pf_advice_step(struct pf_advice *a, int fd)
{
	uint64_t bytes = 0;
	int extents;

	for (extents = 0; extents < PF_STEP_EXTENTS && bytes < PF_STEP_BYTES &&
	     a->pos < a->end; extents++) {
		uint64_t from, to, n;
		int rc;

		if (!pf_next_data(a, fd, &from, &to)) {
			a->pos = a->end;
			break;
		}
		n = to - from;
		if (n > PF_STEP_BYTES - bytes)
			n = PF_STEP_BYTES - bytes;
		rc = a->kind == PF_KIND_FADVISE ?
		     pf_sys_advise(fd, from, n, a->chunk) :
		     pf_sys_readahead(fd, from, n, a->chunk);
		if (rc == -1)
			return -1;
		a->done += n;
		bytes += n;
		a->pos = from + n;
	}
	return a->pos >= a->end;
}
