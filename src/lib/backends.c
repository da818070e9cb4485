/* SPDX-License-Identifier: ISC */
/* backends.c: the table of backends this build includes. */
#include "config.h"

#include <string.h>

#include "internal.h"
#include "backend.h"

const struct gfd_backend *const gfd_backends[] = {
#ifdef GIVEFD_BACKEND_SCM_RIGHTS
	&gfd_backend_scm_rights,
#endif
#ifdef GIVEFD_BACKEND_ACCRIGHTS
	&gfd_backend_accrights,
#endif
#ifdef GIVEFD_BACKEND_STREAMS
	&gfd_backend_streams,
#endif
#ifdef GIVEFD_BACKEND_PIDFD
	&gfd_backend_pidfd,
#endif
#ifdef GIVEFD_BACKEND_PROCFD
	&gfd_backend_procfd,
#endif
	NULL
};

const struct gfd_backend *gfd_backend_find(const char *name)
{
	size_t i;

	for (i = 0; gfd_backends[i] != NULL; i++)
		if (strcmp(gfd_backends[i]->name, name) == 0)
			return gfd_backends[i];
	return NULL;
}
