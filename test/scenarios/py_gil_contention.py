"""GIL contention: a few CPU-bound threads and many threads that sleep briefly and want the GIL back.

Three 'crunch-N' threads run pure-Python arithmetic loops (they hold the GIL until the eval
loop's 5 ms drop request); twelve 'tick-N' threads loop on time.sleep(0.0005) plus a little
Python work, so each wakes ~2000 times a second and then waits to re-acquire the GIL.
MainThread joins the first cruncher. All loops are bounded by RUN_SECONDS.
"""

import threading
import time

from scenario_support import enable_faulthandler, ready, record_role

RUN_SECONDS = 120
CRUNCHERS = 3
TICKERS = 12


def crunch(deadline):
    record_role("cpu-bound")
    x = 0
    while time.monotonic() < deadline:
        for i in range(10_000):
            x = (x * 7 + i) % 1_000_003


def tick(deadline):
    record_role("short-sleeper")
    n = 0
    while time.monotonic() < deadline:
        time.sleep(0.0005)
        n += sum(range(50))


def main():
    enable_faulthandler()
    record_role("main")
    deadline = time.monotonic() + RUN_SECONDS
    crunchers = [threading.Thread(target=crunch, args=(deadline,), name=f"crunch-{i}") for i in range(CRUNCHERS)]
    tickers = [threading.Thread(target=tick, args=(deadline,), name=f"tick-{i}", daemon=True) for i in range(TICKERS)]
    for t in crunchers + tickers:
        t.start()
    time.sleep(2.0)  # let the contention settle and ps's lifetime %CPU show it
    ready()
    crunchers[0].join()


if __name__ == "__main__":
    main()
