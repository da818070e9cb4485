/* SPDX-License-Identifier: ISC */
/*
 * openpath.h: opening a path a client named, with no effect unless it
 * names a regular file.
 */
#ifndef PF_OPENPATH_H
#define PF_OPENPATH_H

/* Opens path read-only if it is a regular file: the descriptor, or -1 and
 * errno (EINVAL when it is anything else). A fifo, device or terminal is
 * never opened, and nothing opened here becomes a controlling terminal. */
int pf_open_regular(const char *path);

#endif /* PF_OPENPATH_H */
