/* SPDX-License-Identifier: ISC */
/*
 * quota.c: see quota.h. Few uids talk to one daemon, so a list will do.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "quota.h"

#define PF_RESERVED_FDS 32  /* the daemon's own: listener, log, workers */

void pf_limits_default(struct pf_limits *lim, unsigned long nofile)
{
	unsigned long usable = nofile > 2 * PF_RESERVED_FDS ?
	                       nofile - PF_RESERVED_FDS : PF_RESERVED_FDS;

	if (usable > 1ul << 20)
		usable = 1ul << 20;
	lim->files = (unsigned)(usable / 4);
	lim->conns = (unsigned)(usable / 16 < 4 ? 4 : usable / 16 > 256 ? 256 :
	                        usable / 16);
	lim->sessions = 256;
	lim->pending = (unsigned)(usable / 8 < 256 ? 256 : usable / 8);
}

struct pf_usage *pf_usage_get(struct pf_usage **list, uid_t uid)
{
	struct pf_usage *u;

	for (u = *list; u != NULL; u = u->next)
		if (u->uid == uid)
			return u;
	u = calloc(1, sizeof *u);
	if (u == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	u->uid = uid;
	u->next = *list;
	*list = u;
	return u;
}

void pf_usage_trim(struct pf_usage **list)
{
	while (*list != NULL) {
		struct pf_usage *u = *list;

		if (u->conns == 0 && u->sessions == 0 && u->files == 0) {
			*list = u->next;
			free(u);
		} else {
			list = &u->next;
		}
	}
}

void pf_usage_free(struct pf_usage **list)
{
	while (*list != NULL) {
		struct pf_usage *u = *list;

		*list = u->next;
		free(u);
	}
}
