/* Stand-in <pthread.h> for make check-platforms (POSIX 2008): what the
 * compiled files use. */
#ifndef STANDIN_PTHREAD_H
#define STANDIN_PTHREAD_H
#include <signal.h>
typedef struct { int done; } pthread_once_t;
#define PTHREAD_ONCE_INIT { 0 }
int pthread_once(pthread_once_t *once_control, void (*init_routine)(void));
#endif
