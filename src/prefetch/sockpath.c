/* SPDX-License-Identifier: ISC */
/*
 * sockpath.c: see sockpath.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefetch.h"
#include "sockpath.h"

static const char *pf_put_path(char *buf, size_t len, const char *dir,
                               const char *name)
{
	int n = dir != NULL ? snprintf(buf, len, "%s/%s", dir, name) :
	        snprintf(buf, len, "%s", name);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return buf;
}

const char *pf_default_socket(char *buf, size_t len, int server)
{
	const char *env = server ? NULL : getenv("PREFETCHD_SOCKET");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (env != NULL && *env != '\0')
		return pf_put_path(buf, len, NULL, env);
	if (geteuid() != 0 && runtime != NULL && *runtime == '/') {
		if (pf_put_path(buf, len, runtime, PF_SOCKET_NAME) == NULL)
			return NULL;
		if (server || (stat(buf, &st) == 0 && S_ISSOCK(st.st_mode)))
			return buf;
	}
	return pf_put_path(buf, len, NULL, PREFETCH_DEFAULT_SOCKET);
}
