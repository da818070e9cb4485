# python_peer.py: Python's socket.send_fds/recv_fds against libgivefd, both
# ways, one descriptor and a batch, across two processes.
import os
import socket
import subprocess
import sys

PEER = sys.argv[1]


def start(mode, sock, arg):
    return subprocess.Popen([PEER, mode, str(sock.fileno()), arg],
                            pass_fds=[sock.fileno()])


def read_all(fd):
    data = b""
    while True:
        chunk = os.read(fd, 512)
        if not chunk:
            os.close(fd)
            return data
        data += chunk


def check(cond, what):
    if not cond:
        sys.exit("python_peer: " + what)


def c_gives_python_takes():
    mine, theirs = socket.socketpair()
    proc = start("give-pipe", theirs, "to C from Python")
    theirs.close()
    msg, fds, flags, _ = socket.recv_fds(mine, 16, 4)
    check(len(fds) == 1 and not flags & socket.MSG_CTRUNC, "one descriptor")
    os.write(fds[0], b"to C from Python")
    os.close(fds[0])
    check(proc.wait() == 0, "C side of give-pipe failed")
    mine.close()


def python_gives_c_takes():
    mine, theirs = socket.socketpair()
    r, w = os.pipe()
    proc = start("take-pipe", theirs, "to Python from C")
    theirs.close()
    socket.send_fds(mine, [b"x"], [w])
    os.close(w)
    check(read_all(r) == b"to Python from C", "text through the pipe")
    check(proc.wait() == 0, "C side of take-pipe failed")
    mine.close()


def batches(count):
    mine, theirs = socket.socketpair()
    proc = start("give-batch", theirs, str(count))
    theirs.close()
    msg, fds, flags, _ = socket.recv_fds(mine, 16, count + 1)
    check(msg == b"batch" and len(fds) == count, "batch from C")
    for fd in fds:
        os.write(fd, b"+")
        os.close(fd)
    check(proc.wait() == 0, "C side of give-batch failed")
    mine.close()

    mine, theirs = socket.socketpair()
    r, w = os.pipe()
    proc = start("take-batch", theirs, str(count))
    theirs.close()
    socket.send_fds(mine, [b"batch"], [w] * count)
    os.close(w)
    check(read_all(r) == b"+" * count, "batch to C")
    check(proc.wait() == 0, "C side of take-batch failed")
    mine.close()


before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
c_gives_python_takes()
python_gives_c_takes()
batches(3)
batches(64)
if before is not None:
    check(len(os.listdir("/proc/self/fd")) == before, "descriptor leaked")
print("python interop: ok")
