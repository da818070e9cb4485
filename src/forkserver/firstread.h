/* SPDX-License-Identifier: ISC */
/*
 * firstread.h: forkserver serve --first-read (firstread.c), in the
 * preload module: the fork server starts at the target's first read of
 * its standard input.
 */
#ifndef FS_FIRSTREAD_H
#define FS_FIRSTREAD_H

/* Arms the first-read start when FORKSERVER_FIRST_READ names this
 * process. Returns 1 when the variable is set (the server must not start
 * now, in this process or any other), 0 when not. */
int fs_first_read_arm(void);

/* In a CPython interpreter, gc.freeze() (python_freeze.c): 1 when done,
 * 0 when this process is not one, or it could not be done. The caller must
 * be the process's only thread. */
int fs_python_freeze(void);

#endif /* FS_FIRSTREAD_H */
