/* SPDX-License-Identifier: ISC */
/*
 * ctl_record.c: prefetchctl record [--cold] [-v] -o TRACE -- COMMAND...
 * runs the command, records the file ranges it brought into the page
 * cache (trace_record.c) and writes them as a trace. Exits 0 when the
 * trace was written and the command succeeded, 1 when the command failed
 * (the trace is written all the same), 2 on usage, 5 when recording is
 * not possible here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_trace.h"
#include "trace_run.h"

int ctl_record(int argc, char **argv)
{
	struct rec_opts o;
	struct pf_trace t;
	const char *out = NULL;
	uint64_t pages = 0, bytes = 0;
	uint32_t i;
	int status = 0;

	memset(&o, 0, sizeof o);
	o.ra_kb = -1;
	while (argc > 0 && argv[0][0] == '-') {
		if ((strcmp(argv[0], "-o") == 0 || strcmp(argv[0], "--output") == 0) &&
		    argc > 1) {
			out = argv[1];
			argc--, argv++;
		} else if (strcmp(argv[0], "--readahead-kb") == 0 && argc > 1) {
			char *end;

			o.ra_kb = strtol(argv[1], &end, 10);
			if (*end != '\0' || end == argv[1] || o.ra_kb < 0) {
				fprintf(stderr, "prefetchctl: record: bad --readahead-kb\n");
				return 2;
			}
			argc--, argv++;
		} else if (strcmp(argv[0], "--preload") == 0) {
			o.preload = 1;
		} else if (strcmp(argv[0], "--cold") == 0) {
			o.cold = 1;
		} else if (strcmp(argv[0], "-v") == 0 || strcmp(argv[0], "--verbose") == 0) {
			o.verbose = 1;
		} else if (strcmp(argv[0], "--") == 0) {
			argc--, argv++;
			break;
		} else {
			fprintf(stderr, "prefetchctl: record: unknown option '%s'\n", argv[0]);
			return 2;
		}
		argc--, argv++;
	}
	if (out == NULL || argc == 0) {
		fprintf(stderr, "usage: prefetchctl record [--cold] [--readahead-kb KB] [--preload] [-v] -o TRACE -- "
		        "COMMAND [ARGS...]\n");
		return 2;
	}
	pf_trace_init(&t, (uint32_t)sysconf(_SC_PAGESIZE));
	if (trace_record(argv, &o, &t, &status) == -1) {
		int err = errno;

		pf_trace_free(&t);
		return err == ENOTSUP || err == EPERM || err == EINVAL ? 5 : 1;
	}
	if (pf_trace_save(out, &t) == -1) {
		fprintf(stderr, "prefetchctl: record: %s: %s\n", out, strerror(errno));
		pf_trace_free(&t);
		return 1;
	}
	for (i = 0; i < t.nfiles; i++) {
		pages += pf_trace_range_pages(&t.files[i]);
		bytes += t.files[i].size;
	}
	fprintf(stderr, "prefetchctl: record: %u files, %llu pages (%.1f MiB) of "
	        "%.1f MiB recorded in %s\n", t.nfiles, (unsigned long long)pages,
	        (double)pages * t.page_size / 1048576.0, (double)bytes / 1048576.0, out);
	pf_trace_free(&t);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "prefetchctl: record: %s exited with status %d\n",
		        argv[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "prefetchctl: record: %s killed by signal %d\n",
		        argv[0], WTERMSIG(status));
	return 1;
}
