"""A parent waiting for a child process that never exits.

MainThread starts `sleep 3600` with subprocess.Popen and calls wait() on it (waitpid). A
'progress' thread logs every 5 s (time.sleep). The child is a plain coreutils sleep.
"""

import subprocess
import threading
import time

from scenario_support import enable_faulthandler, ready, record_process, record_role


def progress():
    record_role("progress")
    while True:
        time.sleep(5)


def main():
    enable_faulthandler()
    record_role("main")
    threading.Thread(target=progress, name="progress", daemon=True).start()
    child = subprocess.Popen(["sleep", "3600"])
    record_process(child.pid, "child", "sleep")
    time.sleep(0.3)
    ready()
    child.wait()


if __name__ == "__main__":
    main()
