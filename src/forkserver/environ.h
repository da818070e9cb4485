/* SPDX-License-Identifier: ISC */
/*
 * environ.h: the environment between forkserver serve and the fork server
 * in its target: the settings forkserver_start() reads, and the variables
 * serve changes for the target alone, which the server gives back to the
 * caller's values before any child exists. Private to libforkserver and
 * the forkserver command (each builds environ.c in).
 */
#ifndef FS_ENVIRON_H
#define FS_ENVIRON_H

#define FS_MAX_CONNS 64         /* connections a listening server keeps */
#define FS_MAX_CHILDREN 4096    /* the most FORKSERVER_MAX_CHILDREN allows */

enum fs_setting {
	FS_SET_FD,              /* the control socket, connected or listening */
	FS_SET_ALIVE,           /* with a listening one: its end is ours */
	FS_SET_MAX_CHILDREN,    /* children running at once */
	FS_SET_FRAME_MS,        /* for a frame's descriptors, once begun */
	FS_SET_HANDSHAKE_MS,    /* for a new connection's WANT */
	FS_SET_USER_CONNS,      /* connections of one user at once */
	FS_SET_FIRST_READ,      /* the pid that starts it at its first read */
	FS_SET_LOOP,            /* 1: children may loop (forkserver_loop) */
	FS_SET_GC_FREEZE,       /* 1: gc.freeze() a Python at its first read */
	FS_NSETTINGS
};

struct fs_setting_def {
	const char *name;
	long min, max, dflt;    /* dflt -1: none */
};

extern const struct fs_setting_def fs_settings[FS_NSETTINGS];

/*
 * Reads every setting into v (its default when unset or empty) and takes
 * them all out of the environment. Returns 0, or -1 and errno EINVAL with
 * the first bad one's name in *bad.
 */
int fs_settings_take(long v[FS_NSETTINGS], const char **bad);

/* Sets a setting for the target (forkserver serve). 0, or -1 and errno. */
int fs_setting_put(enum fs_setting s, long v);

/*
 * Sets name to value for the target alone (forkserver serve), noting the
 * caller's value, or that it had none, for fs_env_give_back. Only the
 * variables of the table in environ.c: -1 and EINVAL for any other.
 */
int fs_env_lend(const char *name, const char *value);

/* In the target: puts back what serve lent, and takes out the notes. */
void fs_env_give_back(void);

#endif /* FS_ENVIRON_H */
