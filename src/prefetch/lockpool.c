/* SPDX-License-Identifier: ISC */
/*
 * lockpool.c: see lockpool.h. One mutex guards the two lists; the workers
 * wait on a condition variable and tell the loop through a pipe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "compat.h"
#include "lockpool.h"
#include "prefetch_sys.h"

#define PF_MAX_WORKERS 8

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_started = PTHREAD_COND_INITIALIZER;
static unsigned started;
static struct pf_lock_job *queued, *finished;
static pthread_t workers[PF_MAX_WORKERS];
static unsigned nworkers;
static int stopping;
static int notify_pipe[2] = { -1, -1 };

static void pf_push(struct pf_lock_job **list, struct pf_lock_job *job)
{
	struct pf_lock_job **p = list;

	while (*p != NULL)
		p = &(*p)->next;
	job->next = NULL;
	*p = job;
}

static void *pf_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool_lock);
	started++;
	pthread_cond_broadcast(&pool_started);
	for (;;) {
		struct pf_lock_job *job;
		char c = 1;

		while (queued == NULL && !stopping)
			pthread_cond_wait(&pool_wake, &pool_lock);
		if (stopping)
			break;
		job = queued;
		queued = job->next;
		pthread_mutex_unlock(&pool_lock);

		job->addr = pf_sys_map_locked(job->fd, job->start, job->span,
		                              job->use_mlock);
		job->err = job->addr == NULL ? errno : 0;
		close(job->fd);
		job->fd = -1;

		pthread_mutex_lock(&pool_lock);
		pf_push(&finished, job);
		if (write(notify_pipe[1], &c, 1) == -1) {
			/* The pipe is full: the loop has wakings enough. */
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return NULL;
}

int pf_lockpool_start(unsigned n, int *notify)
{
	if (n > PF_MAX_WORKERS)
		n = PF_MAX_WORKERS;
	if (pipe2(notify_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	stopping = 0;
	for (nworkers = 0; nworkers < n; nworkers++) {
		int rc = pthread_create(&workers[nworkers], NULL, pf_worker, NULL);

		if (rc != 0) {
			pf_lockpool_stop();
			errno = rc;
			return -1;
		}
	}
	/* A thread sets itself up (rseq, robust futexes) once it runs: let
	 * them all get that far before a seccomp filter can come. */
	pthread_mutex_lock(&pool_lock);
	while (started < nworkers)
		pthread_cond_wait(&pool_started, &pool_lock);
	pthread_mutex_unlock(&pool_lock);
	*notify = notify_pipe[0];
	return 0;
}

int pf_lockpool_running(void)
{
	return nworkers > 0;
}

void pf_lockpool_submit(struct pf_lock_job *job)
{
	pthread_mutex_lock(&pool_lock);
	pf_push(&queued, job);
	pthread_cond_signal(&pool_wake);
	pthread_mutex_unlock(&pool_lock);
}

struct pf_lock_job *pf_lockpool_take(void)
{
	struct pf_lock_job *list;
	char drain[64];

	while (read(notify_pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&pool_lock);
	list = finished;
	finished = NULL;
	pthread_mutex_unlock(&pool_lock);
	return list;
}

struct pf_lock_job *pf_lockpool_stop(void)
{
	struct pf_lock_job *list, *job;
	unsigned i;

	pthread_mutex_lock(&pool_lock);
	stopping = 1;
	pthread_cond_broadcast(&pool_wake);
	pthread_mutex_unlock(&pool_lock);
	for (i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
	nworkers = 0;
	started = 0;
	list = finished;
	finished = NULL;
	while ((job = queued) != NULL) {
		queued = job->next;
		close(job->fd);
		job->fd = -1;
		job->addr = NULL;
		job->err = ECANCELED;
		pf_push(&list, job);
	}
	if (notify_pipe[0] != -1) {
		close(notify_pipe[0]);
		close(notify_pipe[1]);
		notify_pipe[0] = notify_pipe[1] = -1;
	}
	return list;
}

int pf_lockpool_wakeup_fd(void)
{
	return notify_pipe[1];
}
