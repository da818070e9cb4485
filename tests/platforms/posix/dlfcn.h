/* SPDX-License-Identifier: ISC */
/* Stand-in <dlfcn.h> for make check-platforms: POSIX 2008, and the
 * RTLD_NEXT and RTLD_DEFAULT handles that FreeBSD, NetBSD, OpenBSD, macOS
 * and illumos all define as (void *)-1 and (void *)-2. */
#ifndef STANDIN_DLFCN_H
#define STANDIN_DLFCN_H
#define RTLD_LAZY 1
#define RTLD_NOW 2
#define RTLD_NEXT ((void *)-1)
#define RTLD_DEFAULT ((void *)-2)
void *dlopen(const char *file, int mode);
void *dlsym(void *restrict handle, const char *restrict name);
int dlclose(void *handle);
char *dlerror(void);
#endif
