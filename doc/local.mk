# SPDX-License-Identifier: ISC
# doc/local.mk: manual pages.
dist_man_MANS += doc/givefd.3 doc/getfd.3 doc/givefd_send.3 doc/givefd_recv.3 doc/givefd_recv_flags.3 doc/getfd_flags.3 \
	doc/givefd_max_fds.3 doc/givefd_backend.3 doc/givefd_use_backend.3 \
	doc/givefd_receiver.3 doc/givefd_receiver_new.3 doc/givefd_receiver_recv.3 \
	doc/givefd_receiver_pending.3 doc/givefd_receiver_free.3 \
	doc/givefd-backends.7

if HAVE_MANDOC
TESTS += tests/manlint.test
endif
EXTRA_DIST += tests/manlint.test doc/backends-pipes.md doc/handle-message.md
