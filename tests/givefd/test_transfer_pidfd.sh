#!/bin/sh
# SPDX-License-Identifier: ISC
# test_transfer_pidfd.sh: the transfer tests again, sent with the pidfd
# backend. Skips (77) where the kernel has no pidfd_getfd or forbids taking
# descriptors from a child (ptrace scope), as the demo shows.
b="${top_builddir:-.}"
if ! "$b/givefd-demo" 2>&1 | grep -q '^pidfd  *stream  *ok'; then
	echo "the pidfd backend does not work on this kernel; skipped"
	exit 77
fi
GIVEFD_BACKEND=pidfd exec "$b/tests/givefd/test_transfer"
