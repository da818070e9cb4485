/* Stand-in <stdlib.h> for the platform checks (C99 7.20, POSIX 2008): what
 * the library uses. */
#ifndef STANDIN_STDLIB_H
#define STANDIN_STDLIB_H
#include <stddef.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
char *getenv(const char *name);
long strtol(const char *restrict str, char **restrict endptr, int base);
void *malloc(size_t size);
void free(void *ptr);
void abort(void);
void exit(int status);
#endif
