/* SPDX-License-Identifier: ISC */
/* Stand-in <pthread.h> for make check-platforms (POSIX 2008): what the
 * compiled files use. */
#ifndef STANDIN_PTHREAD_H
#define STANDIN_PTHREAD_H
#include <signal.h>
#include <time.h>
typedef struct { int done; } pthread_once_t;
#define PTHREAD_ONCE_INIT { 0 }
int pthread_once(pthread_once_t *once_control, void (*init_routine)(void));
typedef unsigned long pthread_t;
typedef struct { long opaque[8]; } pthread_attr_t;
typedef struct { long opaque[8]; } pthread_mutex_t;
typedef struct { long opaque[8]; } pthread_mutexattr_t;
typedef struct { long opaque[8]; } pthread_cond_t;
typedef struct { long opaque[8]; } pthread_condattr_t;
#define PTHREAD_MUTEX_INITIALIZER { { 0 } }
#define PTHREAD_COND_INITIALIZER { { 0 } }
int pthread_create(pthread_t *restrict thread, const pthread_attr_t *restrict attr,
                   void *(*start_routine)(void *), void *restrict arg);
int pthread_join(pthread_t thread, void **value_ptr);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_mutex_init(pthread_mutex_t *restrict mutex,
                       const pthread_mutexattr_t *restrict attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
int pthread_cond_init(pthread_cond_t *restrict cond,
                      const pthread_condattr_t *restrict attr);
int pthread_cond_destroy(pthread_cond_t *cond);
int pthread_cond_wait(pthread_cond_t *restrict cond,
                      pthread_mutex_t *restrict mutex);
int pthread_cond_timedwait(pthread_cond_t *restrict cond,
                           pthread_mutex_t *restrict mutex,
                           const struct timespec *restrict abstime);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);
int pthread_atfork(void (*prepare)(void), void (*parent)(void),
                   void (*child)(void));
#endif
