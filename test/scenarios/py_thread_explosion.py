"""Far more threads than work: 160 idle ThreadPoolExecutor workers.

An RPC front end was given ThreadPoolExecutor(max_workers=512). A burst of 160 slow calls
arrived at once (here: 160 jobs that all wait on one barrier), so the pool grew to 160
threads; the calls finished and the workers stay, idle in work_queue.get(). MainThread waits
for the next connection in accept() on a loopback socket.
"""

import concurrent.futures
import socket
import threading

from scenario_support import enable_faulthandler, ready, record_role

BURST = 160


def slow_call(barrier):
    record_role("pool-worker")
    barrier.wait()


def main():
    enable_faulthandler()
    record_role("main")
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=512, thread_name_prefix="rpc")
    barrier = threading.Barrier(BURST)
    for f in [pool.submit(slow_call, barrier) for _ in range(BURST)]:
        f.result(timeout=60)
    listener = socket.create_server(("127.0.0.1", 0))
    ready()
    conn, _ = listener.accept()  # nobody connects
    conn.close()


if __name__ == "__main__":
    main()
