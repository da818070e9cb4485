/* SPDX-License-Identifier: ISC */
/*
 * preload.c: starts the fork server from a constructor, as early as the
 * dynamic loader runs it, when this module is preloaded (LD_PRELOAD) or
 * linked in; with forkserver serve --first-read, at the target's first
 * read of its standard input instead (firstread.c). Does nothing unless
 * the environment names a control channel (forkserver_start returns 1 at
 * once).
 */
#include "config.h"

#include "firstread.h"
#include "forkserver.h"

static void forkserver_early(void) __attribute__((constructor));

static void forkserver_early(void)
{
	if (fs_first_read_arm())
		return;
	(void)forkserver_start();
}
