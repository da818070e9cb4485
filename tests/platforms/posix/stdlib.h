/* SPDX-License-Identifier: ISC */
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
void *calloc(size_t nelem, size_t elsize);
void *realloc(void *ptr, size_t size);
int setenv(const char *envname, const char *envval, int overwrite);
int unsetenv(const char *name);
int putenv(char *string);
double atof(const char *str);
int atoi(const char *str);
long atol(const char *str);
double strtod(const char *restrict nptr, char **restrict endptr);
unsigned long strtoul(const char *restrict str, char **restrict endptr, int base);
long long strtoll(const char *restrict str, char **restrict endptr, int base);
unsigned long long strtoull(const char *restrict str, char **restrict endptr,
                            int base);
void qsort(void *base, size_t nel, size_t width,
           int (*compar)(const void *, const void *));
char *realpath(const char *restrict file_name, char *restrict resolved_name);
int mkstemp(char *template);
char *mkdtemp(char *template);
void abort(void);
void exit(int status);
#endif
