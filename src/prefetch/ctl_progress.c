/* SPDX-License-Identifier: ISC */
/*
 * ctl_progress.c: warm's progress line on standard error, for the whole
 * set of files however many batches it takes: the bytes and files in, of
 * totals counted before the first request, and the bytes in per second
 * since warm started (pages that were cached already count).
 * Drawn on a terminal only, and at most ten times a second: a redraw at
 * every poll would cost more than warming small files does. A process
 * draws one such line, so its state is this file's; a message said while
 * it is drawn first ends the line (ctl_progress_break).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

#define CTL_BAR 24
#define CTL_REDRAW 0.1                    /* seconds between redraws */
#define CTL_BAR_BYTES ((uint64_t)64 << 20) /* or fewer files than this: */
#define CTL_BAR_FILES 8                   /* a bar for large or many files */

static struct {
	int on, open;
	size_t width;                   /* of the line last drawn */
	uint64_t files, bytes;          /* the totals */
	uint64_t done_files, done_bytes; /* of the batches finished */
	uint64_t cur_files, cur_bytes;  /* of the batch being waited for */
	double start, drawn;
} pg;

void ctl_progress_begin(int argc, char **argv, const struct ctl_range *range)
{
	long pgsz = sysconf(_SC_PAGESIZE);
	uint64_t page = pgsz > 0 ? (uint64_t)pgsz : 4096;
	int i;

	memset(&pg, 0, sizeof pg);
	if (!isatty(STDERR_FILENO))
		return;
	for (i = 0; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
			pg.bytes += ctl_range_bytes(range, (uint64_t)st.st_size, page);
	}
	pg.files = (uint64_t)argc;
	pg.on = argc >= CTL_BAR_FILES || pg.bytes >= CTL_BAR_BYTES;
	pg.start = pg.drawn = ctl_now();
}

static void ctl_progress_draw(double now)
{
	uint64_t bytes = pg.done_bytes + pg.cur_bytes;
	uint64_t files = pg.done_files + pg.cur_files;
	double part = pg.bytes > 0 ? (double)bytes / (double)pg.bytes : 1.0;
	double rate = now > pg.start ? (double)bytes / (now - pg.start) : 0.0;
	char bar[CTL_BAR + 1], line[256], have[32], total[32], speed[32];
	int filled, n;

	if (part > 1.0)
		part = 1.0;
	filled = (int)(part * CTL_BAR);
	memset(bar, '#', (size_t)filled);
	memset(bar + filled, ' ', (size_t)(CTL_BAR - filled));
	bar[CTL_BAR] = '\0';
	n = snprintf(line, sizeof line, "warming [%s] %5.1f%%  %s/%s  %llu/%llu "
	             "files  %s/s", bar, 100.0 * part,
	             ctl_human(bytes, have, sizeof have),
	             ctl_human(pg.bytes, total, sizeof total),
	             (unsigned long long)files, (unsigned long long)pg.files,
	             ctl_human((uint64_t)rate, speed, sizeof speed));
	if (n < 0)
		return;
	/* Spaces over what a longer line before left. */
	fprintf(stderr, "\r%s%*s", line,
	        pg.width > (size_t)n ? (int)(pg.width - (size_t)n) : 0, "");
	pg.width = (size_t)n;
	pg.open = 1;
	pg.drawn = now;
}

void ctl_progress_update(uint64_t bytes, uint64_t files)
{
	double now;

	if (!pg.on)
		return;
	pg.cur_bytes = bytes;
	pg.cur_files = files;
	now = ctl_now();
	if (now - pg.drawn >= CTL_REDRAW)
		ctl_progress_draw(now);
}

void ctl_progress_batch_done(void)
{
	pg.done_bytes += pg.cur_bytes;
	pg.done_files += pg.cur_files;
	pg.cur_bytes = pg.cur_files = 0;
}

void ctl_progress_break(void)
{
	if (pg.open)
		fputc('\n', stderr);
	pg.open = 0;
	pg.width = 0;
}

void ctl_progress_end(void)
{
	if (!pg.on)
		return;
	ctl_progress_draw(ctl_now());
	ctl_progress_break();
	pg.on = 0;
}
