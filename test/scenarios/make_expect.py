"""Writes a captured case into test/fixtures/<case>/: the captured files, expect.json and PROVENANCE.md.

Called by capture.sh as: make_expect.py CASE WORK_DIR DEST_DIR STAGE_DIR. WORK_DIR holds
  cap/          the captured files
  files.tsv     file, format, tool, captured_at, command (one row per captured file)
  out/roles.tsv pid, lwp, role, name for every thread the scenario designed
  pid           the scenario's main process
  versions.txt  tool versions
Only facts known by construction go into expect.json: the states each designed role can be in
(several when timing decides), the thread count of the main process, the diagnosis the scenario
is, and the codes that cannot be true of it. Every LWP is checked against the captured text.
"""

import json
import os
import re
import shutil
import sys

ALL_CODES = [
    "gil_contention", "deadlock", "busy_spin", "high_cpu_thread", "queue_feeder_join", "all_threads_blocked",
    "event_loop_blocked", "thread_explosion", "context_switch_storm", "lock_contention", "crash",
]

# role: (accepted states, why). Several states only where timing decides what a snapshot shows.
CASES = {
    "py-lock-order-deadlock": {
        "program": "py_lock_order_deadlock.py",
        "description": "Two Python threads take two threading.Lock objects in opposite order: 'transfer' holds accounts_lock and "
        "wants ledger_lock, 'audit' holds ledger_lock and wants accounts_lock (a Barrier makes both hold their first lock "
        "first, so the deadlock is certain). MainThread joins 'transfer'. READY once both threads sleep on a futex "
        "(/proc/self/task/<tid>/wchan).",
        "problem": "Lock-order deadlock between {transfer} ('transfer', holds accounts_lock, waits for ledger_lock) and {audit} "
        "('audit', holds ledger_lock, waits for accounts_lock); MainThread ({main}) waits forever in Thread.join().",
        "roles": {
            "main": (["lock_wait"], "Thread.join() on 'transfer': acquires the thread's tstate lock (sem_wait)"),
            "transfer": (["lock_wait"], "holds accounts_lock, blocked in Lock.acquire() of ledger_lock"),
            "audit": (["lock_wait"], "holds ledger_lock, blocked in Lock.acquire() of accounts_lock"),
        },
        "expect": ["deadlock"],
        "forbid": ["crash", "busy_spin", "gil_contention", "event_loop_blocked", "thread_explosion"],
        "notes": ["gdb-session.txt is one whole gdb session (info threads, bt, py-bt in one file), as a user pastes it.",
                  "all_threads_blocked is acceptable here (every thread is blocked) and neither expected nor forbidden."],
    },
    "c-mutex-cycle-3": {
        "program": "c_mutex_cycle.c",
        "description": "C program (gcc -g -O0 -pthread): three threads named with pthread_setname_np form a cycle of pthread "
        "mutexes: 'ingest' holds queue_mutex and wants index_mutex, 'index' holds index_mutex and wants store_mutex, 'flush' "
        "holds store_mutex and wants queue_mutex (a pthread barrier closes the cycle every time). main is in pthread_join on "
        "'ingest'. Attached with gdb, then gcore'd and the core read with gdb.",
        "problem": "Three-way deadlock on pthread mutexes: {ingest} ('ingest') → index_mutex held by {index} ('index') → "
        "store_mutex held by {flush} ('flush') → queue_mutex held by 'ingest'; main ({main}) blocked in pthread_join.",
        "roles": {
            "main": (["lock_wait"], "pthread_join() on 'ingest' (a futex wait on the thread's tid)"),
            "ingest": (["lock_wait"], "holds queue_mutex, blocked in pthread_mutex_lock(index_mutex)"),
            "index": (["lock_wait"], "holds index_mutex, blocked in pthread_mutex_lock(store_mutex)"),
            "flush": (["lock_wait"], "holds store_mutex, blocked in pthread_mutex_lock(queue_mutex)"),
        },
        "expect": ["deadlock"],
        "forbid": ["crash", "busy_spin", "gil_contention", "event_loop_blocked", "thread_explosion"],
        "notes": ["gdb-core-bt.txt comes from a core written by gcore from the live, deadlocked process: nothing crashed."],
    },
    "py-busy-poll-spin": {
        "program": "py_busy_poll.py",
        "description": "'poller' loops on select.poll().poll(0) waiting for data on an AF_UNIX socketpair that never gets any: "
        "each call returns [] at once, so the thread spins at ~100 % of a CPU. 'worker' waits in queue.Queue.get() for jobs "
        "that never come; MainThread joins 'poller'. Two CPUs; captured 2 s after the spin started.",
        "problem": "Busy spin: thread {poller} burns a whole CPU calling poll() with a zero timeout in a loop (wait_for_reply); "
        "the other threads are idle.",
        "roles": {
            "main": (["lock_wait"], "Thread.join() on 'poller'"),
            "worker": (["lock_wait"], "queue.Queue.get() with no jobs (Condition.wait, idle)"),
            "poller": (["running", "io_wait"], "spinning: caught either in the poll() syscall (timeout 0) or in the Python loop around it"),
        },
        "expect": ["busy_spin"],
        "forbid": ["deadlock", "crash", "all_threads_blocked", "gil_contention", "thread_explosion"],
    },
    "py-asyncio-blocked-sleep": {
        "program": "py_asyncio_blocked.py sleep",
        "description": "asyncio event loop (MainThread) with a loopback TCP server, a heartbeat task (asyncio.sleep(0.1) loop) "
        "and a coroutine export_report() that calls time.sleep(600) — a blocking call inside a coroutine. A 'loop-watchdog' "
        "thread sees the heartbeat stall for > 1 s and writes a hand-written stack dump (traceback-dump.txt), then sleeps in "
        "0.2 s steps.",
        "problem": "Event loop blocked: the loop thread {loop} sits in time.sleep() inside coroutine export_report(), so no other "
        "task (heartbeat, server) can run.",
        "roles": {
            "loop": (["sleep"], "time.sleep(600) called by the coroutine export_report on the event loop thread"),
            "watchdog": (["sleep", "running"], "time.sleep(0.2) loop; running in traceback-dump.txt, which it wrote itself"),
        },
        "expect": ["event_loop_blocked"],
        "forbid": ["deadlock", "crash", "busy_spin", "gil_contention", "thread_explosion"],
    },
    "py-asyncio-blocked-cpu": {
        "program": "py_asyncio_blocked.py cpu",
        "description": "As py-asyncio-blocked-sleep, but export_report() runs a pure-Python checksum loop for minutes on the event "
        "loop thread instead of sleeping. A 'loop-watchdog' thread writes a hand-written stack dump (traceback-dump.txt) once the "
        "heartbeat has stalled > 1 s.",
        "problem": "Event loop blocked by CPU work: the loop thread {loop} runs checksum() (pure Python) inside coroutine "
        "export_report() and never yields; heartbeat and server tasks starve.",
        "roles": {
            "loop": (["running", "gil_wait"], "pure-Python loop; may be caught handing the GIL to the watchdog for a moment"),
            "watchdog": (["sleep", "running", "gil_wait"], "time.sleep(0.2) loop; must take the GIL from the busy loop thread after each sleep"),
        },
        "expect": ["event_loop_blocked"],
        "forbid": ["deadlock", "crash", "all_threads_blocked", "gil_contention", "thread_explosion"],
    },
    "py-asyncio-blocked-cpu-busy-host": {
        "program": "py_asyncio_blocked.py cpu",
        "description": "py-asyncio-blocked-cpu on a busy host: capture.sh first starts one busy-looping bash process per CPU "
        "(`bash -c 'while :; do :; done'`, killed at the end), so the event loop thread, stuck in its pure-Python checksum loop, "
        "gets only part of a CPU: it is always runnable, and pidstat's %wait shows the time it waited for a CPU. A 'loop-watchdog' "
        "thread writes a hand-written stack dump (traceback-dump.txt) once the heartbeat has stalled > 1 s.",
        "problem": "Event loop blocked by CPU work: the loop thread {loop} runs checksum() (pure Python) inside coroutine "
        "export_report() and never yields; other processes on the host take part of its CPU, so its %CPU is well below 100 %.",
        "roles": {
            "loop": (["running", "gil_wait"], "pure-Python loop (runnable all the time, on CPU when the host lets it)"),
            "watchdog": (["sleep", "running", "gil_wait"], "time.sleep(0.2) loop; must take the GIL from the busy loop thread after each sleep"),
        },
        "expect": ["event_loop_blocked"],
        "forbid": ["deadlock", "crash", "all_threads_blocked", "gil_contention", "thread_explosion"],
        "notes": ["The %CPU of the loop thread is low because of the noise processes, not because it waits: the same stack "
                  "(checksum ← export_report ← Task) is in traceback-dump.txt, gdb and faulthandler, taken seconds apart."],
    },
    "py-idle-asyncio-service": {
        "program": "py_idle_service.py",
        "description": "A healthy idle service: MainThread runs an asyncio loop (loopback TCP server, a housekeeping task sleeping "
        "30 s) and waits in epoll_wait; a ThreadPoolExecutor (thread_name_prefix 'blocking-io') was warmed by four concurrent "
        "jobs and has four idle workers in work_queue.get(); a threading.Timer ('cache-expiry', 3600 s) waits on its Event.",
        "problem": "Nothing is wrong: an idle service waiting for work.",
        "roles": {
            "loop": (["io_wait"], "asyncio loop idle in selectors.select → epoll_wait (a 30 s timer pending)"),
            "pool-worker": (["lock_wait"], "idle ThreadPoolExecutor worker in work_queue.get() (SimpleQueue, sem_wait)"),
            "timer": (["lock_wait"], "threading.Timer: self.finished.wait(3600), a timed Event/Condition wait"),
        },
        "expect": [],
        "forbid": ALL_CODES,
        "noCritical": True,
    },
    "py-thread-explosion-160": {
        "program": "py_thread_explosion.py",
        "description": "ThreadPoolExecutor(max_workers=512, thread_name_prefix='rpc') grown to 160 threads by a burst of 160 "
        "concurrent jobs (all waiting on one Barrier); the jobs finished and the 160 workers stay idle in work_queue.get(). "
        "MainThread waits in socket.accept() on a loopback listener. Only thread listings are captured (gdb info threads, "
        "faulthandler, ps): full gdb backtraces of 161 threads would be ~1 MB.",
        "problem": "Thread explosion: 161 threads, of which 160 are idle ThreadPoolExecutor workers (an unbounded pool kept "
        "after a burst); MainThread {main} waits for connections.",
        "roles": {
            "main": (["io_wait"], "socket.accept() on a loopback listener"),
            "pool-worker": (["lock_wait"], "idle ThreadPoolExecutor worker in work_queue.get()"),
        },
        "expect": ["thread_explosion"],
        "forbid": ["deadlock", "crash", "busy_spin", "gil_contention", "all_threads_blocked"],
        "notes": ["faulthandler prints at most 100 threads and then '...' (MAX_NTHREADS in CPython's Python/traceback.c): "
                  "faulthandler.txt lists 100 of the 161 threads; gdb-info-threads.txt and ps-L.txt list all of them."],
    },
    "py-popen-child-wait": {
        "program": "py_popen_wait.py",
        "description": "MainThread starts `sleep 3600` with subprocess.Popen and calls wait() (waitpid); a 'progress' thread "
        "sleeps 5 s per loop. The child is coreutils sleep (no debug info), captured with gdb too.",
        "problem": "The parent's MainThread {main} waits for a child process ({child}, `sleep 3600`) that does not exit.",
        "roles": {
            "main": (["child_wait"], "Popen.wait() → os.waitpid()"),
            "progress": (["sleep"], "time.sleep(5) loop"),
            "child": (["sleep"], "the child process: coreutils sleep in clock_nanosleep"),
        },
        "expect": [],
        "forbid": ["deadlock", "crash", "busy_spin", "gil_contention", "thread_explosion"],
    },
    "py-segfault-ctypes": {
        "program": "py_segfault_ctypes.py",
        "description": "python3 -X faulthandler; two 'worker-N' threads wait on a threading.Condition, a 'poller' waits in "
        "select.select() on a socketpair, and MainThread calls ctypes.string_at(0) (read_record; strlen on address 0) → SIGSEGV. faulthandler's "
        "fatal-error report is the process's stderr; the kernel wrote a core (ulimit -c unlimited), read with gdb.",
        "problem": "Crash: SIGSEGV in MainThread {main}, ctypes.string_at(0) reading address 0 from read_record(); other threads idle.",
        "roles": {
            "main": (["running"], "the crashing thread (was executing when SIGSEGV hit)"),
            "worker": (["lock_wait"], "threading.Condition.wait() with no timeout"),
            "poller": (["io_wait"], "select.select([sock], [], [], 60.0) on an idle socket"),
        },
        "expect": ["crash"],
        "forbid": ["deadlock", "busy_spin", "gil_contention", "thread_explosion"],
    },
    "py-gil-contention-15": {
        "program": "py_gil_contention.py",
        "description": "Three 'crunch-N' threads run pure-Python arithmetic loops; twelve 'tick-N' threads loop on "
        "time.sleep(0.0005) plus a little Python work, so each wakes ~2000 times a second and must take the GIL back; MainThread "
        "joins crunch-0. Two CPUs. Captured 2 s after start.",
        "problem": "GIL contention: 15 Python threads share one GIL; the 3 CPU-bound crunch threads hold it while the 12 tick "
        "threads keep waking and waiting in take_gil.",
        "roles": {
            "main": (["lock_wait"], "Thread.join() on crunch-0"),
            "cpu-bound": (["running", "gil_wait"], "pure-Python loop: holds the GIL or waits for it after a forced switch"),
            "short-sleeper": (["gil_wait", "sleep", "running"], "0.5 ms sleeps then Python work: timing decides which the snapshot shows"),
        },
        "expect": ["gil_contention"],
        "forbid": ["deadlock", "crash", "all_threads_blocked", "thread_explosion"],
    },
    "py-mp-pool-idle": {
        "program": "py_mp_pool_idle.py",
        "description": "multiprocessing.Pool(3) (fork) after a warm-up map(); MainThread waits in socket.accept() on a loopback "
        "listener. Pool's handler threads in the parent: _handle_workers (connection.wait on worker sentinels, poll), "
        "_handle_tasks (taskqueue.get(), SimpleQueue) and _handle_results (pipe read). Each worker process waits in "
        "inqueue.get(): one reads the pipe, the others wait for the queue's read lock. Each worker registered faulthandler "
        "(pool initializer) to its own file.",
        "problem": "Nothing is wrong: an idle process pool waiting for work.",
        "roles": {
            "main": (["io_wait"], "socket.accept() on a loopback listener"),
            "handle-workers": (["io_wait"], "Pool._handle_workers → connection.wait(sentinels) → poll() with no timeout"),
            "handle-tasks": (["lock_wait"], "Pool._handle_tasks → taskqueue.get() (SimpleQueue)"),
            "handle-results": (["io_wait"], "Pool._handle_results → outqueue reader recv() → read() on a pipe"),
            "pool-process": (["io_wait", "lock_wait"], "worker in inqueue.get(): the one holding the read lock reads the pipe, the others wait for the lock"),
        },
        "expect": [],
        "forbid": ["deadlock", "crash", "busy_spin", "gil_contention", "thread_explosion", "all_threads_blocked", "queue_feeder_join",
                   "event_loop_blocked", "lock_contention"],
        "noCritical": True,
        "notes": ["The worker processes were forked from MainThread: their only thread has the parent MainThread's pthread id "
                  "(faulthandler prints the same 'Thread 0x…' in faulthandler-parent.txt and faulthandler-workerN.txt)."],
    },
}


def read_tsv(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def seen_lwps(cap):
    """LWPs named in the captured text: gdb '(LWP n)' / '[New LWP n]', ps and top rows, pstree '{x},n' / 'x,n'."""
    seen = set()
    for name in os.listdir(cap):
        text = open(os.path.join(cap, name), errors="replace").read()
        seen.update(int(n) for n in re.findall(r"LWP (\d+)", text))
        if name.startswith("ps-"):
            for line in text.splitlines()[1:]:
                cols = line.split()
                if len(cols) > 1 and cols[1].isdigit():
                    seen.add(int(cols[1]))
        if name.startswith("pstree"):
            seen.update(int(n) for n in re.findall(r",(\d+)", text))
    return seen


def counted_threads(cap, pid):
    """Threads of `pid` as the captures count them: ps -L rows, else gdb 'info threads' rows."""
    counts = {}
    for name in sorted(os.listdir(cap)):
        text = open(os.path.join(cap, name), errors="replace").read()
        if name.startswith("ps-"):
            counts[name] = sum(1 for line in text.splitlines()[1:] if line.split()[:1] == [str(pid)])
        elif "info-threads" in name and ("-child" not in name and "-worker" not in name):
            counts[name] = len(re.findall(r"^[* ] +\d+ +Thread 0x[0-9a-f]+ \(LWP \d+\)", text, re.M))
    return counts


def main():
    case, work, dest, stage = sys.argv[1:5]
    spec = CASES[case]
    cap = os.path.join(work, "cap")
    pid = int(open(os.path.join(work, "pid")).read())
    roles = read_tsv(os.path.join(work, "out", "roles.tsv"))
    files = read_tsv(os.path.join(work, "files.tsv"))
    versions = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(work, "versions.txt")) if "=" in line)

    unknown_roles = {r[2] for r in roles} - set(spec["roles"])
    missing_roles = set(spec["roles"]) - {r[2] for r in roles}
    if unknown_roles or missing_roles:
        sys.exit(f"roles.tsv does not match the case: unknown {unknown_roles}, missing {missing_roles}")
    seen = seen_lwps(cap)
    unseen = [r for r in roles if int(r[1]) not in seen]
    if unseen:
        sys.exit(f"designed threads not found in any capture: {unseen}")
    designed = sum(1 for r in roles if int(r[0]) == pid)
    counts = counted_threads(cap, pid)
    wrong = {k: v for k, v in counts.items() if v != designed}
    if not counts or wrong:
        sys.exit(f"pid {pid}: {designed} designed threads, captures count {counts}")

    by_lwp = {r[1]: spec["roles"][r[2]][0] for r in sorted(roles, key=lambda r: (int(r[0]) != pid, int(r[1])))}
    lwps_of = {}
    for r in roles:
        lwps_of.setdefault(r[2], []).append(f"LWP {r[1]}")
    problem = spec["problem"].format(**{k: ", ".join(v) if len(v) < 4 else f"{len(v)} threads" for k, v in lwps_of.items()})
    diagnoses = {"expect": spec["expect"], "forbid": spec["forbid"]}
    if spec.get("noCritical"):
        diagnoses["noCritical"] = True
    expect = {
        "source": spec["description"],
        "problem": problem,
        "files": {f[0]: f[1] for f in sorted(files)},
        "threads": {"pid": pid, "count": designed, "byLwp": by_lwp},
        "diagnoses": diagnoses,
    }

    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    for f in files:
        shutil.copyfile(os.path.join(cap, f[0]), os.path.join(dest, f[0]))
    with open(os.path.join(dest, "expect.json"), "w") as f:
        json.dump(expect, f, indent=1)
        f.write("\n")
    with open(os.path.join(dest, "PROVENANCE.md"), "w") as f:
        f.write(provenance(case, spec, pid, roles, files, versions, problem, stage, dest))


def provenance(case, spec, pid, roles, files, versions, problem, stage, dest):
    program = spec["program"].split()[0]
    lang = "C" if program.endswith(".c") else "Python"
    out = [f"# {case}", "", "Captured from a scenario program by `test/scenarios/capture.sh " + case + "`: real tool output, unedited",
           "(gdb sessions cut into one file per command, as in the shared corpus; see the command column).", "",
           "## What the program does", "", spec["description"], "",
           f"Program: `test/scenarios/{program}` ({lang}), run from `{stage}/` (capture.sh copies it there: its path appears in "
           "the dumps)" + (f", built with `gcc -g -O0 -pthread -o {stage}/bin/c_mutex_cycle {stage}/c_mutex_cycle.c`." if lang == "C" else
                           f", as `/usr/bin/python3.11 {stage}/{spec['program']}`."),
           "", "## The true problem", "", problem, "",
           "## Threads (by construction)", "", f"Main process: pid {pid}.", "",
           "| pid | LWP | name | role | accepted states | why |", "|---|---|---|---|---|---|"]
    for r in sorted(roles, key=lambda r: (int(r[0]) != pid, int(r[0]), int(r[1]))):
        states, why = spec["roles"][r[2]]
        out.append(f"| {r[0]} | {r[1]} | {r[3]} | {r[2]} | {' or '.join(states)} | {why} |")
    out += ["", "Several accepted states mean timing decides what a snapshot shows; each is true of the thread at some moment.",
            "", "## Diagnoses", "", f"- expected: {', '.join(spec['expect']) or 'none'}",
            f"- must not fire: {', '.join(spec['forbid']) or 'none'}"]
    if spec.get("noCritical"):
        out.append("- no critical diagnosis (a healthy process)")
    for note in spec.get("notes", []):
        out.append(f"- note: {note}")
    out += ["", "CPU figures (ps, top, pidstat) are shares of the machine's CPUs, which other work also used during the capture "
            "(see loadavg under Environment); pidstat's %wait is the time a thread was runnable but waiting for a CPU.",
            "", "## Files", "", "| file | format | tool | captured at (UTC) | command |", "|---|---|---|---|---|"]
    for name, fmt, tool, at, cmd in sorted(files):
        size = os.path.getsize(os.path.join(dest, name)) if os.path.exists(os.path.join(dest, name)) else "?"
        out.append(f"| {name} ({size} B) | {fmt} | {tool} | {at} | `{cmd}` |")
    out += ["", "## Environment", ""]
    out += [f"- {k}: {v.strip()}" for k, v in versions.items()]
    out += ["", "Re-run: `test/scenarios/capture.sh " + case + "` (root; see the header of capture.sh). LWPs, pids and addresses",
            "change on every run; expect.json is rewritten from the new capture.", ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()
