"""A healthy multiprocessing.Pool with idle workers.

A front end accepts connections on a loopback socket (MainThread in accept()) and hands work
to multiprocessing.Pool(3) (fork). The pool has done its warm-up map and is now idle: in the
parent, Pool's three handler threads wait (_handle_workers in a timed wait on sentinels,
_handle_tasks in taskqueue.get(), _handle_results in a pipe read); each worker process waits
in inqueue.get() (one reads the pipe, the others wait for the queue's read lock).
Each worker registers faulthandler on SIGUSR1 to its own file (pool initializer).
"""

import multiprocessing
import os
import socket

from scenario_support import enable_faulthandler, ready, record_process, record_role

WORKERS = 3


def init_worker():
    n = multiprocessing.current_process()._identity[0]
    enable_faulthandler(f"faulthandler-worker{n}.txt")
    record_process(os.getpid(), "pool-process", multiprocessing.current_process().name)


def square(x):
    return x * x


def main():
    enable_faulthandler("faulthandler-parent.txt")
    record_role("main")
    pool = multiprocessing.Pool(WORKERS, initializer=init_worker)
    assert pool.map(square, range(30)) == [x * x for x in range(30)]
    record_role("handle-workers", pool._worker_handler)
    record_role("handle-tasks", pool._task_handler)
    record_role("handle-results", pool._result_handler)
    listener = socket.create_server(("127.0.0.1", 0))
    ready()
    conn, _ = listener.accept()  # nobody connects
    conn.close()
    pool.terminate()


if __name__ == "__main__":
    main()
