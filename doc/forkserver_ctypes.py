#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# forkserver_ctypes.py: a Python program that starts a fork server late,
# through ctypes, once its imports are done (doc/forkserver-python.md).
# Each run reads one JSON object on standard input and answers on standard
# output. Outside a fork server it runs once, as a plain program.
#
#   forkserver serve -s "$sock" --no-preload -- python3 forkserver_ctypes.py &
#   echo '{"n": 2}' | forkserver run -s "$sock" -e GREETING=hi
import ctypes
import ctypes.util
import os
import sys

# The expensive part, done once in the server.
import decimal          # noqa: F401  (stand-ins for a real program's imports)
import email.parser     # noqa: F401
import json


def load_forkserver():
    """libforkserver: $FORKSERVER_LIB, else the installed one; None when
    there is none and no fork server was asked for (FORKSERVER_FD)."""
    name = (os.environ.get("FORKSERVER_LIB")
            or ctypes.util.find_library("forkserver")
            or "libforkserver.so.0")
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        if "FORKSERVER_FD" in os.environ:
            raise
        return None
    lib.forkserver_start.restype = ctypes.c_int
    lib.forkserver_args.restype = ctypes.POINTER(ctypes.c_char_p)
    lib.forkserver_args.argtypes = [ctypes.POINTER(ctypes.c_int)]
    return lib


def start(lib):
    """Forks here: True in each child, False when no server was asked for."""
    if lib is None:
        return False
    # What Python buffered is not flushed by the C library at the fork:
    # flush it, or every child writes it again.
    sys.stdout.flush()
    sys.stderr.flush()
    r = lib.forkserver_start()
    if r == -1:
        err = ctypes.get_errno()
        raise OSError(err, "forkserver_start: " + os.strerror(err))
    if r == 1:
        return False
    # os.environ is a copy taken at start-up: take in the variables this
    # run brought (forkserver run -e NAME=VALUE).
    environ = ctypes.POINTER(ctypes.c_char_p).in_dll(ctypes.CDLL(None),
                                                     "environ")
    i = 0
    while environ[i] is not None:
        name, _, value = environ[i].partition(b"=")
        if os.environb.get(name) != value:
            os.environb[name] = value
        i += 1
    return True


def run_args(lib):
    """The arguments this run brought (forkserver run -- ARGS...)."""
    argc = ctypes.c_int(0)
    argv = lib.forkserver_args(ctypes.byref(argc))
    return [argv[i].decode() for i in range(argc.value)]


def main():
    lib = load_forkserver()
    child = start(lib)
    args = run_args(lib) if child else sys.argv[1:]
    request = json.load(sys.stdin)
    answer = {"n": request.get("n", 0) * 2, "args": args,
              "greeting": os.environ.get("GREETING"), "cwd": os.getcwd()}
    print(json.dumps(answer))
    code = request.get("code", 0)
    if child:
        # End a child with os._exit once its output is out: sys.exit()
        # would run the interpreter's shutdown, which frees every object
        # and so copies most of the memory it shares with the server.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
