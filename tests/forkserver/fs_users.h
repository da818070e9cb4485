/* SPDX-License-Identifier: ISC */
/*
 * fs_users.h: a second user for the tests that need one (a server or a
 * client of another uid). Needs root; the user is removed at exit.
 */
#ifndef FS_USERS_H
#define FS_USERS_H

#include <sys/types.h>

struct fs_user {
	char name[32];
	uid_t uid;
	gid_t gid;
};

/* The test program's temporary user, created on first use. Returns NULL
 * (and says why on stderr) when not root or useradd fails. */
const struct fs_user *fs_other_user(void);

/* Runs fn(arg) in a child process as user u, which exits 0 when fn
 * returned 0: its pid, or -1. */
pid_t fs_start_as_user(const struct fs_user *u, int (*fn)(void *arg),
                       void *arg);

/* The same, waiting for it: its raw wait status, or -1. */
int fs_as_user(const struct fs_user *u, int (*fn)(void *arg), void *arg);

#endif
