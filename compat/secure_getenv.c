/* SPDX-License-Identifier: ISC */
/* secure_getenv.c: getenv that ignores the environment of a set-user-ID or
 * set-group-ID process, where libc lacks secure_getenv. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "compat.h"

char *secure_getenv(const char *name)
{
	if (getuid() != geteuid() || getgid() != getegid())
		return NULL;
	return getenv(name);
}
