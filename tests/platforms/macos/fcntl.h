/* SPDX-License-Identifier: ISC */
/* Stand-in <fcntl.h>: macOS has no posix_fadvise; fcntl(F_RDADVISE) with
 * a struct radvisory asks for readahead (xnu bsd/sys/fcntl.h). */
#ifndef STANDIN_MACOS_FCNTL_H
#define STANDIN_MACOS_FCNTL_H
#include_next <fcntl.h>
#define F_RDADVISE 44
struct radvisory {
	off_t ra_offset;
	int ra_count;
};
#endif
