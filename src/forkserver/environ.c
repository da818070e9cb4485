/* SPDX-License-Identifier: ISC */
/*
 * environ.c: the settings forkserver serve passes to the fork server in
 * its target, and the variables it lends the target alone (environ.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "environ.h"
#include "parseint.h"

const struct fs_setting_def fs_settings[FS_NSETTINGS] = {
	[FS_SET_FD] = { "FORKSERVER_FD", 0, INT_MAX, -1 },
	[FS_SET_ALIVE] = { "FORKSERVER_ALIVE", 0, INT_MAX, -1 },
	[FS_SET_MAX_CHILDREN] = { "FORKSERVER_MAX_CHILDREN", 1, FS_MAX_CHILDREN, 16 },
	[FS_SET_FRAME_MS] = { "FORKSERVER_FRAME_MS", 1, INT_MAX, 2000 },
	[FS_SET_HANDSHAKE_MS] = { "FORKSERVER_HANDSHAKE_MS", 1, INT_MAX, 5000 },
	[FS_SET_USER_CONNS] = { "FORKSERVER_USER_CONNECTIONS", 1, FS_MAX_CONNS,
	                        16 },
	[FS_SET_FIRST_READ] = { "FORKSERVER_FIRST_READ", 1, INT_MAX, -1 },
	[FS_SET_LOOP] = { "FORKSERVER_LOOP", 0, 1, 0 },
	[FS_SET_GC_FREEZE] = { "FORKSERVER_GC_FREEZE", 0, 1, 1 },
};

/*
 * The variables serve changes for the target alone. The caller's value
 * travels in orig; unset says the caller had none. (LD_BIND_NOW is only
 * ever set when the caller had none; FORKSERVER_UNSET_BIND_NOW is also
 * documented for controllers that start a target themselves.)
 */
static const struct {
	const char *name, *orig, *unset;
} lent[] = {
	{ "LD_PRELOAD", "FORKSERVER_ORIG_LD_PRELOAD", "FORKSERVER_UNSET_PRELOAD" },
	{ "LD_BIND_NOW", "FORKSERVER_ORIG_LD_BIND_NOW", "FORKSERVER_UNSET_BIND_NOW" },
};

#define NLENT (sizeof lent / sizeof lent[0])

int fs_settings_take(long v[FS_NSETTINGS], const char **bad)
{
	int s, err = 0;

	*bad = NULL;
	for (s = 0; s < FS_NSETTINGS; s++) {
		const struct fs_setting_def *d = &fs_settings[s];
		const char *text = getenv(d->name);

		v[s] = d->dflt;
		if (text == NULL || *text == '\0')
			continue;
		if (util_parse_long(text, d->min, d->max, &v[s]) == -1) {
			if (*bad == NULL)
				*bad = d->name;
			err = EINVAL;
		}
		(void)unsetenv(d->name);
	}
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int fs_setting_put(enum fs_setting s, long v)
{
	char text[24];

	snprintf(text, sizeof text, "%ld", v);
	return setenv(fs_settings[s].name, text, 1);
}

int fs_env_lend(const char *name, const char *value)
{
	const char *old = getenv(name);
	size_t i;

	for (i = 0; i < NLENT && strcmp(lent[i].name, name) != 0; i++)
		;
	if (i == NLENT) {
		errno = EINVAL;
		return -1;
	}
	if ((old != NULL ? setenv(lent[i].orig, old, 1)
	                 : setenv(lent[i].unset, "1", 1)) == -1)
		return -1;
	return setenv(name, value, 1);
}

void fs_env_give_back(void)
{
	size_t i;

	for (i = 0; i < NLENT; i++) {
		const char *orig = getenv(lent[i].orig);

		if (orig != NULL)
			(void)setenv(lent[i].name, orig, 1);
		else if (getenv(lent[i].unset) != NULL)
			(void)unsetenv(lent[i].name);
		(void)unsetenv(lent[i].orig);
		(void)unsetenv(lent[i].unset);
	}
}
