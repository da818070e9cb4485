/* Stand-in <string.h> for make check-platforms (C99 7.21). */
#ifndef STANDIN_STRING_H
#define STANDIN_STRING_H
#include <stddef.h>
void *memcpy(void *restrict s1, const void *restrict s2, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
int strcmp(const char *s1, const char *s2);
size_t strlen(const char *s);
#endif
