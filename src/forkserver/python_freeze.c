/* SPDX-License-Identifier: ISC */
/*
 * python_freeze.c: at the first-read fork point of a CPython interpreter
 * (firstread.c), gc.freeze(). The objects made before the fork point are
 * then left out of every collection in the children, the one their
 * interpreter's shutdown runs included: a collection writes to every
 * object it looks at, so each child would copy, page by page, the
 * server's whole heap. The interpreter is reached through the symbols it
 * exports to its extension modules; a program without them is left alone.
 */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "firstread.h"

typedef struct py_object py_object;     /* PyObject, opaque here */

struct python {
	int (*is_initialized)(void);
	int (*is_finalizing)(void);
	int (*gil_ensure)(void);        /* returns a PyGILState_STATE */
	void (*gil_release)(int);
	py_object *(*import)(const char *);
	py_object *(*call_method)(py_object *, const char *, const char *, ...);
	void (*dec_ref)(py_object *);
	void (*clear_error)(void);
};

/* Sets *fn to the process's definition of name: 0, or -1 if it has none. */
static int find(void *fn, const char *name)
{
	void *p = dlsym(RTLD_DEFAULT, name);

	if (p == NULL)
		return -1;
	memcpy(fn, &p, sizeof p);
	return 0;
}

static int find_python(struct python *py)
{
	memset(py, 0, sizeof *py);
	/* Renamed from _Py_IsFinalizing in CPython 3.13. */
	if (find(&py->is_finalizing, "Py_IsFinalizing") == -1 &&
	    find(&py->is_finalizing, "_Py_IsFinalizing") == -1)
		return -1;
	return find(&py->is_initialized, "Py_IsInitialized") |
	       find(&py->gil_ensure, "PyGILState_Ensure") |
	       find(&py->gil_release, "PyGILState_Release") |
	       find(&py->import, "PyImport_ImportModule") |
	       find(&py->call_method, "PyObject_CallMethod") |
	       find(&py->dec_ref, "Py_DecRef") |
	       find(&py->clear_error, "PyErr_Clear");
}

int fs_python_freeze(void)
{
	struct python py;
	py_object *gc, *none = NULL;
	int gil;

	if (find_python(&py) == -1 || !py.is_initialized() || py.is_finalizing())
		return 0;
	/* The read that brought us here may have let the interpreter's lock
	 * go, as CPython does around blocking calls, or may hold it. */
	gil = py.gil_ensure();
	gc = py.import("gc");
	if (gc != NULL)
		none = py.call_method(gc, "freeze", NULL);
	if (none != NULL)
		py.dec_ref(none);
	if (gc != NULL)
		py.dec_ref(gc);
	if (none == NULL)
		py.clear_error();       /* no gc.freeze before 3.7 */
	py.gil_release(gil);
	return none != NULL;
}
