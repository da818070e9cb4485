/* SPDX-License-Identifier: ISC */
/*
 * st_proc.c: a process's resources as Linux's /proc shows them, for the
 * stress tests' before-and-after comparison; this process's own
 * descriptors; a daemon that ends with the test.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

#include "stress.h"

static int st_count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Children of every thread of pid: /proc/PID/task/TID/children. */
static int st_count_children(pid_t pid)
{
	char path[128];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char file[512];
		long child;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof file, "%s/%s/children", path, e->d_name);
		f = fopen(file, "r");
		if (f == NULL)
			continue; /* the thread ended meanwhile */
		while (fscanf(f, "%ld", &child) == 1)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static void st_rss(pid_t pid, struct st_usage *u)
{
	char path[64], line[256];
	FILE *f;

	u->rss_kib = u->anon_kib = u->file_kib = -1;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %ld", &u->rss_kib) == 1)
			continue;
		if (sscanf(line, "RssAnon: %ld", &u->anon_kib) == 1)
			continue;
		sscanf(line, "RssFile: %ld", &u->file_kib);
	}
	fclose(f);
}

int st_usage(pid_t pid, struct st_usage *u)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
	u->fds = st_count_entries(path);
	u->children = st_count_children(pid);
	st_rss(pid, u);
	return u->fds < 0 || u->children < 0 || u->rss_kib < 0 ? -1 : 0;
}

int st_alive(pid_t pid)
{
	char path[64], line[256];
	int alive = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		char state;

		if (sscanf(line, "State: %c", &state) == 1) {
			alive = state != 'Z' && state != 'X';
			break;
		}
	}
	fclose(f);
	return alive;
}

int st_settle(pid_t pid, const struct st_usage *base, double seconds,
              struct st_usage *now)
{
	double deadline = st_now() + seconds;

	for (;;) {
		if (st_usage(pid, now) == -1)
			return -1;
		if (now->fds == base->fds && now->children == base->children)
			return 0;
		if (st_now() > deadline)
			return -1;
		st_sleep_ms(20);
	}
}

void st_die_with_parent(void)
{
#ifdef HAVE_PR_SET_PDEATHSIG
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
}

int st_own_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}
