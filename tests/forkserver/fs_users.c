/* SPDX-License-Identifier: ISC */
/*
 * fs_users.c: a temporary user made with useradd, removed with userdel
 * when the test program exits.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs_users.h"

static struct fs_user user;
static pid_t maker;                     /* the process that made it */

/* Runs a command; 0 when it exited 0. */
static int command(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == -1)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void remove_user(void)
{
	char *const del[] = { "userdel", user.name, NULL };

	if (maker != 0 && getpid() == maker)
		(void)command(del);
}

const struct fs_user *fs_other_user(void)
{
	char *const add[] = { "useradd", "--no-create-home", "--shell",
	                      "/bin/false", user.name, NULL };
	struct passwd *pw;

	if (maker != 0)
		return &user;
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: making a second user needs root\n");
		return NULL;
	}
	snprintf(user.name, sizeof user.name, "fstest%ld", (long)getpid());
	if (command(add) == -1 || (pw = getpwnam(user.name)) == NULL) {
		fprintf(stderr, "skipped: useradd %s failed\n", user.name);
		return NULL;
	}
	user.uid = pw->pw_uid;
	user.gid = pw->pw_gid;
	maker = getpid();
	atexit(remove_user);
	return &user;
}

pid_t fs_start_as_user(const struct fs_user *u, int (*fn)(void *arg),
                       void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) == -1 || setgid(u->gid) == -1 ||
		    setuid(u->uid) == -1)
			_exit(126);
		_exit(fn(arg) == 0 ? 0 : 1);
	}
	return pid;
}

int fs_as_user(const struct fs_user *u, int (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid = fs_start_as_user(u, fn, arg);

	if (pid == -1)
		return -1;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return status;
}
