"""A Python process that dies on SIGSEGV: ctypes.string_at(0) reads address 0.

Run as `python3 -X faulthandler`, so the fatal-error handler prints every thread's stack to
stderr; with `ulimit -c unlimited` the kernel also writes a core. Before the crash two
'worker' threads wait on a threading.Condition and a 'poller' waits in select.select() on a
loopback socket pair; MainThread reads a C string at address 0 (ctypes.string_at(0) → strlen(NULL)).
"""

import ctypes
import select
import socket
import threading
import time

from scenario_support import ready, record_role, wait_until

work_ready = threading.Condition()


def worker():
    record_role("worker")
    with work_ready:
        work_ready.wait()


def poller(sock):
    record_role("poller")
    while True:
        select.select([sock], [], [], 60.0)


def read_record(address):
    return ctypes.string_at(address)  # a NUL-terminated C string: strlen() on address 0


def main():
    record_role("main")
    ours, theirs = socket.socketpair()
    threads = [threading.Thread(target=worker, name=f"worker-{i}", daemon=True) for i in range(2)]
    threads.append(threading.Thread(target=poller, args=(ours,), name="poller", daemon=True))
    for t in threads:
        t.start()
    wait_until(lambda: all(t.native_id for t in threads))
    time.sleep(0.5)
    ready()
    time.sleep(0.5)
    read_record(0)  # SIGSEGV


if __name__ == "__main__":
    main()
