/*
 * preload.c: starts the fork server from a constructor, as early as the
 * dynamic loader runs it, when this module is preloaded (LD_PRELOAD) or
 * linked in. Does nothing unless the environment names a control channel
 * (forkserver_start returns 1 at once).
 */
#include "config.h"

#include "forkserver.h"

static void forkserver_early(void) __attribute__((constructor));

static void forkserver_early(void)
{
	(void)forkserver_start();
}
