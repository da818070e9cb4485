/* SPDX-License-Identifier: ISC */
/* Stand-in <stdio.h> for the platform checks (C99 7.19, POSIX 2008): what
 * the library and the daemons' clients use. */
#ifndef STANDIN_STDIO_H
#define STANDIN_STDIO_H
#include <stddef.h>
#include <stdarg.h>
typedef struct standin_file FILE;
extern FILE *stdin, *stdout, *stderr;
#define EOF (-1)
#define BUFSIZ 1024
int printf(const char *restrict format, ...);
int fprintf(FILE *restrict stream, const char *restrict format, ...);
int snprintf(char *restrict s, size_t n, const char *restrict format, ...);
int vsnprintf(char *restrict s, size_t n, const char *restrict format,
              va_list ap);
int vfprintf(FILE *restrict stream, const char *restrict format, va_list ap);
int sscanf(const char *restrict s, const char *restrict format, ...);
int fputs(const char *restrict s, FILE *restrict stream);
int fputc(int c, FILE *stream);
int putchar(int c);
int puts(const char *s);
char *fgets(char *restrict s, int n, FILE *restrict stream);
int fgetc(FILE *stream);
FILE *fopen(const char *restrict path, const char *restrict mode);
FILE *fdopen(int fildes, const char *mode);
int fclose(FILE *stream);
int fflush(FILE *stream);
size_t fread(void *restrict ptr, size_t size, size_t n, FILE *restrict stream);
size_t fwrite(const void *restrict ptr, size_t size, size_t n,
              FILE *restrict stream);
int ferror(FILE *stream);
void clearerr(FILE *stream);
int fileno(FILE *stream);
void perror(const char *s);
int rename(const char *old, const char *new);
/* POSIX 2008; ssize_t as <sys/types.h> gives it. */
long getdelim(char **restrict line, size_t *restrict n, int delim, FILE *restrict f);
long getline(char **restrict line, size_t *restrict n, FILE *restrict f);
int setvbuf(FILE *restrict stream, char *restrict buf, int type, size_t size);
#define _IONBF 2
#define _IOLBF 1
#endif
