/* SPDX-License-Identifier: ISC */
/*
 * sockpath.h: where prefetchd listens, and where its clients look for it,
 * when no path is given: /run for the system's daemon, $XDG_RUNTIME_DIR
 * (private to its user) for a user's own.
 */
#ifndef PF_SOCKPATH_H
#define PF_SOCKPATH_H

#include <stddef.h>

#define PF_SOCKET_NAME "prefetchd.sock"

/* Writes the default path into buf: for the daemon (server 1), or for a
 * client (server 0: $PREFETCHD_SOCKET, else the user's daemon if one
 * listens in $XDG_RUNTIME_DIR, else the system's). Returns buf, or NULL
 * and ENAMETOOLONG. */
const char *pf_default_socket(char *buf, size_t len, int server);

#endif /* PF_SOCKPATH_H */
