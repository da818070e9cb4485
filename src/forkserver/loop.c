/* SPDX-License-Identifier: ISC */
/*
 * loop.c: forkserver_loop(), a child that serves several runs. Between
 * two runs it gives back the last run's descriptors and variables, says
 * it is done on its loop socket, and takes the next run's descriptors,
 * directory, variables and arguments from the server, which hands it a
 * RUN instead of forking.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <givefd.h>
#include "compat.h"
#include "forkserver.h"
#include "loop.h"
#include "protocol.h"
#include "server.h"

static struct {
	int fd;                         /* the loop socket; -1: none */
	uint32_t targets[FSP_MAX_FDS];  /* the current run's */
	size_t n;
	unsigned runs;                  /* runs begun in this process */
	char *name[FSP_MAX_ENV];        /* the variables the run set */
	char *was[FSP_MAX_ENV];         /* and their values before, or NULL */
	size_t nenv;
} L = { -1, { 0 }, 0, 0, { NULL }, { NULL }, 0 };

/* Notes the variables run sets, and what they were, for put_back. */
static void note_env(const struct fsp_run *run)
{
	uint32_t i;

	for (i = 0; i < run->nenv && L.nenv < FSP_MAX_ENV; i++) {
		const char *eq = memchr(run->env[i], '=', run->envlen[i]);
		size_t len = eq != NULL ? (size_t)(eq - run->env[i]) : 0;
		char *name = malloc(len + 1);
		const char *old;

		if (name == NULL)
			return;
		memcpy(name, run->env[i], len);
		name[len] = '\0';
		old = getenv(name);
		L.name[L.nenv] = name;
		L.was[L.nenv] = old != NULL ? strdup(old) : NULL;
		L.nenv++;
	}
}

/* The environment as it was before the last run, latest first. */
static void put_back(void)
{
	while (L.nenv > 0) {
		size_t i = --L.nenv;

		if (L.was[i] != NULL)
			(void)setenv(L.name[i], L.was[i], 1);
		else
			(void)unsetenv(L.name[i]);
		free(L.name[i]);
		free(L.was[i]);
	}
}

void fs_loop_header(unsigned char *p, unsigned version, unsigned flags,
                    size_t len)
{
	uint32_t v[3];
	size_t i, j;

	v[0] = version;
	v[1] = flags;
	v[2] = (uint32_t)len;
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			p[4 * i + j] = (unsigned char)(v[i] >> (8 * (3 - j)));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void keep_targets(const uint32_t *targets, size_t n)
{
	memcpy(L.targets, targets, n * sizeof *targets);
	L.n = n;
}

int fs_loop_begin(int fd, const struct fsp_run *run)
{
	uint32_t top = 2;
	size_t i;
	int moved;

	for (i = 0; i < run->ntargets; i++)
		if (run->targets[i] > top)
			top = run->targets[i];
	moved = fcntl(fd, F_DUPFD_CLOEXEC, (int)top + 1);
	if (moved == -1)
		moved = fcntl(fd, F_DUPFD_CLOEXEC, 3); /* placing may move it */
	(void)close(fd);
	if (moved == -1)
		return -1;
	L.fd = moved;
	L.runs = 1;
	keep_targets(run->targets, run->ntargets);
	note_env(run);
	return 0;
}

/* The last run's descriptors go: the standard ones become /dev/null (so
 * that they stay valid), the others are closed; its client sees the end
 * of what it gave. /dev/null is opened only for a run that took one of
 * the standard descriptors. */
static void give_back(void)
{
	int null = -1;
	size_t i;

	for (i = 0; i < L.n; i++)
		if (L.targets[i] <= 2 && null == -1)
			null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; i < L.n; i++) {
		if (L.targets[i] <= 2 && null != -1)
			(void)dup2(null, (int)L.targets[i]);
		else if ((int)L.targets[i] != L.fd)
			(void)close((int)L.targets[i]);
	}
	if (null != -1)
		(void)close(null);
	L.n = 0;
}

static void say(int what, int err, long failed)
{
	struct fs_loop_word w;

	memset(&w, 0, sizeof w);
	w.what = what;
	w.err = err;
	w.failed = failed;
	(void)send(L.fd, &w, sizeof w, MSG_NOSIGNAL);
}

/* Takes the next run: 1, or 0 when the server is gone. A run whose
 * set-up fails is reported, and the process exits. */
static int next_run(void)
{
	static unsigned char msg[FS_LOOP_HDR + FSP_MAX_BODY];
	static struct fsp_run run;
	int fds[FSP_MAX_FDS];
	size_t nfds = FSP_MAX_FDS;
	ssize_t got;
	long failed = -1;
	int err = 0;

	do
		got = givefd_recv(L.fd, fds, &nfds, msg, sizeof msg);
	while (got == -1 && errno == EINTR);
	if (got < FS_LOOP_HDR)
		return 0;
	if (get32(msg + 8) != (uint32_t)got - FS_LOOP_HDR ||
	    fsp_run_decode(msg + FS_LOOP_HDR, (size_t)got - FS_LOOP_HDR,
	                   get32(msg), &run) == -1 || FSP_RUN_NFDS(&run) != nfds) {
		say(FS_LOOP_SET, EBADMSG, -1);
		_exit(127);
	}
	note_env(&run);
	if (fs_child_cwd((run.runflags & FSP_RUNF_CWD) != 0 ?
	                 fds[run.ntargets] : -1) == -1)
		err = errno, failed = FS_FAILED_CWD;
	/* A target may take the loop socket's number: it moves. */
	else if (fs_child_place(fds, run.targets, run.ntargets, &L.fd,
	                        &failed) == -1)
		err = errno;
	else if (fs_child_env(&run) == -1)
		err = errno, failed = FS_FAILED_ENV;
	if (err != 0) {
		say(FS_LOOP_SET, err, failed);
		_exit(127);
	}
	keep_targets(run.targets, run.ntargets);
	fs_child_args(&run);
	L.runs++;
	say(FS_LOOP_SET, 0, -1);
	return 1;
}

int forkserver_loop(unsigned max)
{
	if (fs_child_first_run())
		return 1;               /* the run this child was forked for */
	if (L.fd == -1 || max == 0 || L.runs >= max)
		return 0;               /* no server, or enough: exit ends it */
	fflush(NULL);
	give_back();
	put_back();
	(void)fpurge(stdin);
	clearerr(stdin);
	clearerr(stdout);
	say(FS_LOOP_DONE, 0, -1);
	if (!next_run()) {
		(void)close(L.fd);
		L.fd = -1;
		return 0;
	}
	return 1;
}
