/* SPDX-License-Identifier: ISC */
/* seedio.c: see seedio.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "seedio.h"

static const char *seed_dir;
static const char *seed_prog = "seeds";
static unsigned seed_written, seed_refused, seed_failed;

int seed_begin(int argc, char **argv)
{
	if (argc > 0)
		seed_prog = argv[0];
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", seed_prog);
		return -1;
	}
	seed_dir = argv[1];
	if (mkdir(seed_dir, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "%s: %s: %s\n", seed_prog, seed_dir, strerror(errno));
		return -1;
	}
	return 0;
}

void seed_put(const char *name, const void *buf, long len)
{
	char path[4096];
	FILE *f;

	if (len < 0) {
		fprintf(stderr, "%s: warning: the encoder refused seed %s\n",
		        seed_prog, name);
		seed_refused++;
		return;
	}
	snprintf(path, sizeof path, "%s/%s", seed_dir, name);
	f = fopen(path, "wb");
	if (f != NULL && fwrite(buf, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		f = NULL;
	}
	if (f == NULL || fclose(f) != 0) {
		fprintf(stderr, "%s: %s: %s\n", seed_prog, path, strerror(errno));
		seed_failed++;
		return;
	}
	seed_written++;
}

int seed_end(void)
{
	printf("%s: %u seeds in %s (%u refused)\n", seed_prog, seed_written,
	       seed_dir, seed_refused);
	return seed_failed == 0 && seed_written > 0 ? 0 : 1;
}
