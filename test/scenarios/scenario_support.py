"""What every scenario program shares: where its side files go, who plays which role, READY,
faulthandler on SIGUSR1 and a hand-written stack dump.

The capture driver (capture.sh) sets SCENARIO_OUT to a scratch folder. Each scenario writes
there:
  roles.tsv        one line per designed thread: pid, native thread id (LWP), role, name
  faulthandler.txt what faulthandler prints on SIGUSR1 (all threads)
and prints READY on stdout once it has reached the state it was written for.
"""

import faulthandler
import os
import signal
import sys
import threading
import time
import traceback

OUT = os.environ.get("SCENARIO_OUT", os.getcwd())

# Keeps faulthandler's file open for the life of the process (faulthandler keeps only the fd).
_faulthandler_files = []


def record_role(role, thread=None):
    """Notes that `thread` (default: the calling one) plays `role`; the capture turns this into expect.json."""
    thread = thread or threading.current_thread()
    line = f"{os.getpid()}\t{thread.native_id}\t{role}\t{thread.name}\n"
    with open(os.path.join(OUT, "roles.tsv"), "a") as f:
        f.write(line)


def record_process(pid, role, name):
    """Notes a single-threaded child process (its only thread's LWP is its pid)."""
    with open(os.path.join(OUT, "roles.tsv"), "a") as f:
        f.write(f"{pid}\t{pid}\t{role}\t{name}\n")


def enable_faulthandler(filename="faulthandler.txt"):
    """`kill -USR1 <pid>` makes faulthandler write every thread's Python stack to OUT/filename."""
    f = open(os.path.join(OUT, filename), "w")
    _faulthandler_files.append(f)
    faulthandler.register(signal.SIGUSR1, file=f, all_threads=True)


def ready():
    print("READY", os.getpid(), flush=True)


def wait_until(predicate, seconds=10.0, step=0.02):
    """Polls `predicate` for at most `seconds`; True when it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def kernel_wait_channel(native_id):
    """The kernel function a thread of this process sleeps in (/proc/self/task/<tid>/wchan)."""
    try:
        with open(f"/proc/self/task/{native_id}/wchan") as f:
            return f.read().strip()
    except OSError:
        return ""


def dump_stacks(path, header="Thread {ident:#x} ({name})"):
    """The usual hand-written dump helper: sys._current_frames() + traceback.format_stack."""
    names = {t.ident: t.name for t in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        parts.append(header.format(ident=ident, name=names.get(ident, "?")) + "\n")
        parts.extend(traceback.format_stack(frame))
        parts.append("\n")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join(parts))
    os.replace(tmp, path)
