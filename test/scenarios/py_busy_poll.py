"""A thread busy-spinning on a zero-timeout poll while the rest of the process idles.

'poller' waits for data on one end of a loopback socket pair with select.poll().poll(0): the
call returns at once (nothing is ever written), so the loop spins at ~100 % of a CPU. A
'worker' waits for jobs in queue.Queue.get() (never any), and MainThread joins 'poller'.
The spin is bounded (SPIN_SECONDS) so the program ends by itself even if nobody kills it.
"""

import queue
import select
import socket
import threading
import time

from scenario_support import enable_faulthandler, ready, record_role

SPIN_SECONDS = 120
jobs = queue.Queue()


def wait_for_reply(sock):
    record_role("poller")
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    deadline = time.monotonic() + SPIN_SECONDS
    spins = 0
    while time.monotonic() < deadline:
        if poller.poll(0):  # zero timeout: returns [] at once, every time
            return sock.recv(1024)
        spins += 1
    return spins


def worker():
    record_role("worker")
    while True:
        job = jobs.get()
        if job is None:
            return


def main():
    enable_faulthandler()
    record_role("main")
    ours, theirs = socket.socketpair()  # AF_UNIX pair: loopback only
    threading.Thread(target=worker, name="worker", daemon=True).start()
    spinner = threading.Thread(target=wait_for_reply, args=(ours,), name="poller")
    spinner.start()
    time.sleep(2.0)  # long enough for ps's lifetime %CPU to show the spin
    ready()
    spinner.join()
    theirs.close()


if __name__ == "__main__":
    main()
