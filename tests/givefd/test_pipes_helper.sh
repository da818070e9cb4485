#!/bin/sh
# SPDX-License-Identifier: ISC
# test_pipes_helper.sh: the pipe backends' tests again with pidfd made to
# park descriptors in a helper process (GIVEFD_HANDOFF_HELPER=1), the way it
# sends where Yama restricts ptrace or the sender is not dumpable.
GIVEFD_HANDOFF_HELPER=1 exec "${top_builddir:-.}/tests/givefd/test_pipes"
