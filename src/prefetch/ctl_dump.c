/* SPDX-License-Identifier: ISC */
/*
 * ctl_dump.c: prefetchctl dump, as text or JSON.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

struct ctl_dump {
	int json;
	int sessions;   /* sessions printed so far */
	int files;      /* files printed in the current session */
};

void ctl_json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int ctl_on_session(const struct prefetch_session_info *si, void *arg)
{
	struct ctl_dump *d = arg;

	if (d->json) {
		printf("%s\n    {\"id\": %lu, \"persistent\": %s, \"description\": ",
		       d->sessions > 0 ? "]}," : "",
		       (unsigned long)si->sid, si->persistent ? "true" : "false");
		ctl_json_string(si->description);
		printf(", \"files\": [");
	} else {
		printf("session %lu%s (%zu files): %s\n", (unsigned long)si->sid,
		       si->persistent ? " persistent" : "", si->nfiles,
		       si->description);
	}
	d->sessions++;
	d->files = 0;
	return 0;
}

static int ctl_on_file(const struct prefetch_file_info *fi, void *arg)
{
	struct ctl_dump *d = arg;
	const char *name = *fi->name != '\0' ? fi->name : "(descriptor)";

	if (d->json) {
		printf("%s{\"id\": %lu, \"size\": %llu, \"locked\": %llu, "
		       "\"name\": ", d->files > 0 ? ", " : "", (unsigned long)fi->fid,
		       (unsigned long long)fi->size, (unsigned long long)fi->locked);
		ctl_json_string(name);
		putchar('}');
	} else {
		printf("  file %lu: %llu bytes, %llu locked: %s\n",
		       (unsigned long)fi->fid, (unsigned long long)fi->size,
		       (unsigned long long)fi->locked, name);
	}
	d->files++;
	return 0;
}

int ctl_dump(const struct ctl *ctl, int argc, char **argv)
{
	struct ctl_dump d = { 0, 0, 0 };
	struct prefetch_stats st;
	prefetch_t *p;
	int rc;

	if (argc == 1 && strcmp(argv[0], "--json") == 0) {
		d.json = 1;
	} else if (argc != 0) {
		fprintf(stderr, "prefetchctl: dump takes only --json\n");
		return 2;
	}
	p = ctl_connect(ctl);
	if (p == NULL)
		return 3;
	if (d.json)
		printf("{\"sessions\": [");
	rc = prefetch_dump(p, PREFETCH_ALL_SESSIONS, ctl_on_session, ctl_on_file,
	                   &d, &st);
	if (rc == -1) {
		fprintf(stderr, "prefetchctl: dump: %s\n", strerror(errno));
		prefetch_close(p);
		return 1;
	}
	if (d.json) {
		if (d.sessions > 0)
			printf("]}");
		printf("\n  ],\n  \"locked\": %llu, \"budget\": %llu, "
		       "\"connections\": %u, \"session_count\": %u, "
		       "\"file_count\": %u, \"truncated\": %s\n}\n",
		       (unsigned long long)st.locked, (unsigned long long)st.budget,
		       st.connections, st.sessions, st.files,
		       st.truncated ? "true" : "false");
	} else {
		printf("%u sessions, %u files, %llu of %llu bytes locked, "
		       "%u connections%s\n", st.sessions, st.files,
		       (unsigned long long)st.locked, (unsigned long long)st.budget,
		       st.connections, st.truncated ? " (list truncated)" : "");
	}
	prefetch_close(p);
	return 0;
}
