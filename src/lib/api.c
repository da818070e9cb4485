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
	int saved = errno;

	pthread_once(&sender_once, choose_sender);
	errno = saved;
	if (sender == NULL)
		errno = ENOTSUP;
	return sender;
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
	sender = backend;
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

	if ((fds == NULL && nfds > 0) || (buf == NULL && len > 0) ||
	    len > (size_t)SSIZE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (chan < 0) {
		errno = EBADF;
		return -1;
	}
	for (i = 0; i < nfds; i++) {
		if (fds[i] < 0) {
			errno = EBADF;
			return -1;
		}
	}
	backend = current_sender();
	if (backend == NULL)
		return -1;
	if (nfds > backend->max_fds()) {
		errno = E2BIG;
		return -1;
	}
	return backend->send(chan, fds, nfds, buf, len);
}

GFD_PUBLIC int givefd(int chan, int fd)
{
	return givefd_send(chan, &fd, 1, NULL, 0) == -1 ? -1 : 0;
}

GFD_PUBLIC ssize_t givefd_recv(int chan, int *fds, size_t *nfds,
                               void *buf, size_t len)
{
	if (nfds == NULL || (fds == NULL && *nfds > 0) ||
	    (buf == NULL && len > 0) || len > (size_t)SSIZE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (chan < 0) {
		errno = EBADF;
		return -1;
	}
	return gfd_receive(chan, fds, nfds, buf, len);
}

GFD_PUBLIC int getfd(int chan)
{
	size_t nfds = 1;
	int fd;

	if (givefd_recv(chan, &fd, &nfds, NULL, 0) == -1)
		return -1;
	if (nfds == 0) {
		errno = ENOMSG;
		return -1;
	}
	return fd;
}
