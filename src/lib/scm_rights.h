/* scm_rights.h: what scm_rights.c shares with scm_max_fds.c. */
#ifndef GFD_SCM_RIGHTS_H
#define GFD_SCM_RIGHTS_H

#include <stddef.h>

/* The most descriptors this system accepts in one SCM_RIGHTS message. */
size_t gfd_scm_max_fds(void);

#endif
