/* SPDX-License-Identifier: ISC */
/* Stand-in <dirent.h> for the platform checks (POSIX 2008). */
#ifndef STANDIN_DIRENT_H
#define STANDIN_DIRENT_H
#include <sys/types.h>
typedef struct standin_dir DIR;
struct dirent {
	ino_t d_ino;
	char d_name[256];
};
DIR *opendir(const char *dirname);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dirp);
int closedir(DIR *dirp);
int dirfd(DIR *dirp);
#endif
