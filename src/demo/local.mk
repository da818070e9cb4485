# SPDX-License-Identifier: ISC
# src/demo/local.mk: givefd-demo, the README's first command.
bin_PROGRAMS += givefd-demo
givefd_demo_SOURCES = src/demo/givefd-demo.c
givefd_demo_LDADD = libgivefd.la
