# fdpass_loop.py: Python's socket.send_fds/recv_fds doing the benchmark's
# loop (one descriptor out, one in, closed). Prints CPU seconds per transfer.
import os
import socket
import sys
import time

count = int(sys.argv[1])
a, b = socket.socketpair()
fd = a.fileno()
start = time.process_time()
for _ in range(count):
    socket.send_fds(a, [b"\0"], [fd])
    _, fds, _, _ = socket.recv_fds(b, 1, 1)
    os.close(fds[0])
print((time.process_time() - start) / count)
