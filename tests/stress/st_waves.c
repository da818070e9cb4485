/* SPDX-License-Identifier: ISC */
/*
 * st_waves.c: the stress tests' main loop: waves of clients against a
 * daemon, and the check, after each, that the daemon came back to where
 * it started (see stress.h).
 */
#include "config.h"

#include <stdio.h>

#include "stress.h"

static void st_show(const char *name, const char *when, const struct st_usage *u)
{
	printf("  %s: %-14s %3d descriptors, %d children, VmRSS %ld KiB"
	       " (anon %ld, file %ld)\n", name, when, u->fds, u->children,
	       u->rss_kib, u->anon_kib, u->file_kib);
}

int st_run_waves(const struct st_waves *w)
{
	struct st_usage base, u;
	long first = 0;
	int bad = 0, wave;

	if (w->measure(w->arg, NULL, &base) == -1)
		return 1;
	st_show(w->name, "before", &base);
	for (wave = 1; wave <= w->waves; wave++) {
		struct st_pool pool;
		double t0 = st_now();
		char when[32];

		if (st_pool_start(&pool, w->nclients, w->client, w->arg) == -1)
			return bad + 1;
		st_pool_go(&pool);
		bad += st_pool_reap(&pool, w->who);
		if (!st_alive(w->pid)) {
			fprintf(stderr, "%s: the daemon died in wave %d\n", w->name, wave);
			return bad + 1;
		}
		if (w->measure(w->arg, &base, &u) == -1)
			return bad + 1;
		snprintf(when, sizeof when, "wave %d %.1fs", wave, st_now() - t0);
		st_show(w->name, when, &u);
		if (u.fds != base.fds || u.children != base.children) {
			fprintf(stderr, "%s: after wave %d the daemon has %d descriptors"
			        " and %d children, not %d and %d\n", w->name, wave,
			        u.fds, u.children, base.fds, base.children);
			bad++;
		}
#ifdef GIVEFD_SANITIZED
		/* A sanitizer's allocator keeps freed memory in quarantine. */
		if (wave == 1)
			printf("  %s: VmRSS not judged: the sanitizer's allocator"
			       " holds freed memory\n", w->name);
		continue;
#endif
		if (u.rss_kib > base.rss_kib + w->first_kib) {
			fprintf(stderr, "%s: the daemon's VmRSS grew by %ld KiB (allowed:"
			        " %ld)\n", w->name, u.rss_kib - base.rss_kib, w->first_kib);
			bad++;
		}
		/* A leak grows wave after wave; a wave in between may end over
		 * and the next come back (the allocator's fragmentation), so
		 * the last wave is judged against the first. */
		if (wave == 1)
			first = u.rss_kib;
		else if (wave == w->waves && w->later_kib >= 0 &&
		         u.rss_kib > first + w->later_kib) {
			fprintf(stderr, "%s: the daemon's VmRSS after the last wave is"
			        " %ld KiB above that after the first (allowed: %ld)\n",
			        w->name, u.rss_kib - first, w->later_kib);
			bad++;
		}
	}
	return bad;
}
