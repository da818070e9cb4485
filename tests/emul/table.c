/* SPDX-License-Identifier: ISC */
/* table.c: the backend table of the emulation library (tests/emul): the
 * accrights and streams backends in place of scm_rights. */
#include "config.h"

#include <string.h>

#include "internal.h"
#include "backend.h"

const struct gfd_backend *const gfd_backends[] = {
	&gfd_backend_accrights,
	&gfd_backend_streams,
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
