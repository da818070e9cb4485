/* SPDX-License-Identifier: ISC */
/*
 * prefetch_sys.h: the system calls behind each readahead kind and the
 * residency measurement, each falling back or failing with ENOTSUP where
 * configure found the call missing.
 */
#ifndef PF_SYS_H
#define PF_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 1 when the file lives on a memory filesystem that ignores advice. */
int pf_sys_memfs(int fd);

/* The largest range one advice call reads on the file's device. */
size_t pf_sys_ra_chunk(dev_t dev);

/* WILLNEED advice or readahead(2) over [off, off+len), in chunks. */
int pf_sys_advise(int fd, uint64_t off, uint64_t len, size_t chunk);
int pf_sys_readahead(int fd, uint64_t off, uint64_t len, size_t chunk);

/* A read-only shared mapping of [off, off+len) (off page-aligned), locked:
 * by MAP_LOCKED|MAP_POPULATE (lock_now 0) or mlock(2) (lock_now 1). */
void *pf_sys_map_locked(int fd, uint64_t off, size_t len, int use_mlock);

/* Pages and resident pages of [0, size); *method gets PF_METHOD_*. */
int pf_sys_residency(int fd, uint64_t size, uint64_t *pages,
                     uint64_t *resident, int *method);

/* Resident pages of the file's pages [first, first+count), which the
 * caller keeps within the file; *method as above. */
int pf_sys_residency_pages(int fd, uint64_t first, uint64_t count,
                           uint64_t *resident, int *method);

/* 1 if mincore reports the truth for this file (this process may write
 * it), 0 if it would claim every page resident. */
int pf_sys_mincore_trusted(int fd);

/* Whether a measurement of fd here by method is true: 1, or 0 with
 * *resident set to 0 (mincore for a file this process may not write). */
int pf_sys_residency_trusted(int fd, int method, uint64_t *resident);

#endif /* PF_SYS_H */
