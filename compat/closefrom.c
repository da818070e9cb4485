/* closefrom.c: close every descriptor from lowfd up, where libc lacks it. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "compat.h"

static int close_listed(int lowfd)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int dirfd_num;

	if (dir == NULL)
		dir = opendir("/dev/fd");
	if (dir == NULL)
		return -1;
	dirfd_num = dirfd(dir);
	while ((entry = readdir(dir)) != NULL) {
		char *end;
		long fd = strtol(entry->d_name, &end, 10);

		if (*end == '\0' && end != entry->d_name && fd >= lowfd &&
		    fd != dirfd_num)
			close((int)fd);
	}
	closedir(dir);
	return 0;
}

void closefrom(int lowfd)
{
	long maxfd;
	int fd;

	if (close_listed(lowfd) == 0)
		return;
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (fd = lowfd; fd < maxfd; fd++)
		close(fd);
}
