/* SPDX-License-Identifier: ISC */
/* unixsock.h: bind and connect Unix stream sockets by path. */
#ifndef GFD_UNIXSOCK_H
#define GFD_UNIXSOCK_H

/* A stream socket bound at path, the file mode 0600 whatever the umask,
 * not yet listening (the caller may change the mode first), close-on-exec
 * when cloexec is not 0. A socket file already at path is replaced only
 * when nobody accepts connections on it (one left by a server that is
 * gone); a live socket, or a file that is not a socket, is left alone and
 * the call fails with EADDRINUSE. Returns the descriptor, which the caller
 * owns, or -1 and errno (ENAMETOOLONG: path does not fit sun_path). */
int util_bind_unix(const char *path, int cloexec);

/* A close-on-exec stream socket connected to path: the descriptor, the
 * caller's, or -1 and errno (connect(2)'s, or ENAMETOOLONG). */
int util_connect_unix(const char *path);

#endif
