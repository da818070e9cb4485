/* SPDX-License-Identifier: ISC */
/*
 * api.c: the public entry points. Checks arguments, picks the sending
 * backend, and hands receives to receive.c.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "givefd.h"
#include "compat.h"
#include "internal.h"
#include "backend.h"
#include "receive.h"

#ifndef SSIZE_MAX
#define SSIZE_MAX ((ssize_t)(SIZE_MAX / 2))
#endif

/* NULL after GIVEFD_BACKEND named a backend that is not built in: sends
 * then fail with ENOTSUP rather than quietly using another one. */
static const struct gfd_backend *sender;
static pthread_once_t sender_once = PTHREAD_ONCE_INIT;
/* givefd_use_backend may run while other threads send. */
static pthread_mutex_t sender_lock = PTHREAD_MUTEX_INITIALIZER;

static void choose_sender(void)
{
	/* A set-user-ID program does not let its caller choose. */
	const char *name = secure_getenv("GIVEFD_BACKEND");

	if (name == NULL || *name == '\0')
		name = GIVEFD_DEFAULT_BACKEND;
	sender = gfd_backend_find(name);
}

static const struct gfd_backend *current_sender(void)
{
	const struct gfd_backend *chosen;
	int saved = errno;

	pthread_once(&sender_once, choose_sender);
	pthread_mutex_lock(&sender_lock);
	chosen = sender;
	pthread_mutex_unlock(&sender_lock);
	errno = saved;
	if (chosen == NULL)
		errno = ENOTSUP;
	return chosen;
}

GFD_PUBLIC int givefd_use_backend(const char *name)
{
	const struct gfd_backend *backend;

	if (name == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_once(&sender_once, choose_sender);
	backend = gfd_backend_find(name);
	if (backend == NULL) {
		errno = ENOTSUP;
		return -1;
	}
	pthread_mutex_lock(&sender_lock);
	sender = backend;
	pthread_mutex_unlock(&sender_lock);
	return 0;
}

GFD_PUBLIC const char *givefd_backend(void)
{
	const struct gfd_backend *backend = current_sender();

	return backend != NULL ? backend->name : NULL;
}

GFD_PUBLIC size_t givefd_max_fds(void)
{
	const struct gfd_backend *backend = current_sender();

	return backend != NULL ? backend->max_fds() : 0;
}

GFD_PUBLIC ssize_t givefd_send(int chan, const int *fds, size_t nfds,
                               const void *buf, size_t len)
{
	const struct gfd_backend *backend;
	size_t i;

	/* A message carries at least one descriptor or one byte: a stream
	 * could not deliver an empty one. */
	if ((fds == NULL && nfds > 0) || (buf == NULL && len > 0) ||
	    len > (size_t)SSIZE_MAX || (nfds == 0 && len == 0)) {
		errno = EINVAL;
		return -1;
	}
	if (chan < 0) {
		errno = EBADF;
		return -1;
	}
	backend = current_sender();
	if (backend == NULL)
		return -1;
	/* The count first: fds may be shorter than a wrong nfds. */
	if (nfds > backend->max_fds()) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < nfds; i++) {
		if (fds[i] < 0) {
			errno = EBADF;
			return -1;
		}
	}
	return backend->send(chan, fds, nfds, buf, len);
}

GFD_PUBLIC int givefd(int chan, int fd)
{
	return givefd_send(chan, &fd, 1, NULL, 0) == -1 ? -1 : 0;
}

int gfd_message_set(struct gfd_message *m, int chan, int *fds,
                    const size_t *nfds, void *buf, size_t len, int flags)
{
	if (nfds == NULL || (fds == NULL && *nfds > 0) ||
	    (buf == NULL && len > 0) || len > (size_t)SSIZE_MAX ||
	    (flags & ~GIVEFD_TRUST_WRITERS) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (chan < 0) {
		errno = EBADF;
		return -1;
	}
	m->chan = chan;
	m->flags = flags;
	m->fds = fds;
	m->room = *nfds;
	m->nfds = 0;
	m->buf = buf;
	m->len = len;
	return 0;
}

GFD_PUBLIC ssize_t givefd_recv_flags(int chan, int *fds, size_t *nfds,
                                     void *buf, size_t len, int flags)
{
	struct gfd_message m;
	ssize_t n;

	if (gfd_message_set(&m, chan, fds, nfds, buf, len, flags) == -1)
		return -1;
	n = gfd_receive(&m);
	if (n != -1)
		*nfds = m.nfds;
	return n;
}

GFD_PUBLIC ssize_t givefd_recv(int chan, int *fds, size_t *nfds,
                               void *buf, size_t len)
{
	return givefd_recv_flags(chan, fds, nfds, buf, len, 0);
}

GFD_PUBLIC int getfd_flags(int chan, int flags)
{
	size_t nfds = 1;
	int fd;

	if (givefd_recv_flags(chan, &fd, &nfds, NULL, 0, flags) == -1)
		return -1;
	if (nfds == 0) {
		errno = ENOMSG;
		return -1;
	}
	return fd;
}

GFD_PUBLIC int getfd(int chan)
{
	return getfd_flags(chan, 0);
}
