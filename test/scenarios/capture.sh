#!/usr/bin/env bash
# Runs one scenario program until it reaches the state it was written for, captures it with
# the real tools (gdb, faulthandler, ps, top, pidstat, strace, pstree, a core), kills it, and
# writes test/fixtures/<case>/ in the corpus layout: the captured files, expect.json and
# PROVENANCE.md (written by make_expect.py from what the capture recorded).
#
#   test/scenarios/capture.sh CASE [DEST_DIR]     # one case
#   test/scenarios/capture.sh --all               # every case
#   test/scenarios/capture.sh --list
#
# Run by developers, never by CI (CI only reads the committed files). Needs root (ptrace and
# strace attach, core files), Debian's /usr/bin/python3.11 with python3.11-dbg (gdb's py-bt and
# CPython debug info), gdb, gcc, procps, psmisc, sysstat, strace.
#
# Each scenario runs in its own session/process group under `timeout -s KILL`, and the whole
# group is killed when the capture ends (or fails). Programs are copied to a neutral folder
# (STACKSIFT_STAGE, /srv/stacksift/scenarios by default) because their paths end up in the
# dumps. Set KEEP=1 to keep the scratch folder.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STAGE=${STACKSIFT_STAGE:-/srv/stacksift/scenarios}
PY=/usr/bin/python3.11
LIFETIME=90   # seconds any scenario process may live, whatever happens here
READY_WAIT=30 # seconds to wait for READY

CASES=(py-lock-order-deadlock c-mutex-cycle-3 py-busy-poll-spin py-asyncio-blocked-sleep py-asyncio-blocked-cpu
  py-asyncio-blocked-cpu-busy-host py-idle-asyncio-service py-thread-explosion-160 py-popen-child-wait py-segfault-ctypes py-gil-contention-15
  py-mp-pool-idle)

usage() {
  echo "usage: $0 CASE [DEST_DIR] | --all | --list   (cases: ${CASES[*]})" >&2
  exit 2
}
[ $# -ge 1 ] || usage
case "$1" in
--list)
  printf '%s\n' "${CASES[@]}"
  exit 0
  ;;
--all)
  for c in "${CASES[@]}"; do "$0" "$c"; done
  exit 0
  ;;
esac
CASE=$1
printf '%s\n' "${CASES[@]}" | grep -qx -- "$CASE" || usage
DEST=${2:-$REPO/test/fixtures/$CASE}

WORK=$(mktemp -d /tmp/stacksift-capture.XXXXXX)
export SCENARIO_OUT=$WORK/out # the scenario's side files (roles.tsv, faulthandler, dumps)
CAP=$WORK/cap                 # the captured files, copied to DEST at the end
mkdir -p "$SCENARIO_OUT" "$CAP" "$WORK/run"
LEADER=""
NOISE=""

log() { printf '[capture %s] %s\n' "$CASE" "$*" >&2; }
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
mtime() { date -u -r "$1" +%Y-%m-%dT%H:%M:%S.%3NZ; }

stop_scenario() {
  [ -n "$LEADER" ] || return 0
  kill -KILL -- "-$LEADER" 2>/dev/null || true
  wait "$LEADER" 2>/dev/null || true
  for _ in $(seq 50); do
    pgrep -g "$LEADER" >/dev/null || break
    sleep 0.1
  done
  if pgrep -g "$LEADER" >/dev/null; then log "WARNING: processes of group $LEADER are still alive"; fi
  LEADER=""
}
cleanup() {
  stop_scenario
  if [ -n "$NOISE" ]; then
    kill -KILL -- "-$NOISE" 2>/dev/null || true
    wait "$NOISE" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then log "scratch kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# record FILE FORMAT TOOL CAPTURED_AT COMMAND: one row of the provenance table (files.tsv).
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$WORK/files.tsv"; }

stage_programs() {
  mkdir -p "$STAGE/bin"
  cp "$HERE"/*.py "$HERE"/*.c "$STAGE/"
  gcc -g -O0 -pthread -o "$STAGE/bin/c_mutex_cycle" "$STAGE/c_mutex_cycle.c"
}

# start_scenario CMD...: runs CMD in its own session under timeout, cwd run/, its stdout to
# run/stdout and its own stderr to run/stderr (timeout's messages go elsewhere); waits for READY.
start_scenario() {
  (
    cd "$WORK/run" && ulimit -c unlimited &&
      exec setsid timeout -s KILL "$LIFETIME" bash -c 'exec "$@" >"$0/stdout" 2>"$0/stderr"' "$WORK/run" "$@"
  ) 2>"$WORK/timeout.log" &
  LEADER=$!
  local tries=0
  until grep -Eq '^READY [0-9]+$' "$WORK/run/stdout" 2>/dev/null; do
    sleep 0.1
    tries=$((tries + 1))
    if [ "$tries" -ge $((READY_WAIT * 10)) ] || ! kill -0 "$LEADER" 2>/dev/null; then
      log "no READY; stderr:"
      cat "$WORK/run/stderr" >&2 || true
      exit 1
    fi
  done
  PID=$(awk '/^READY [0-9]+$/ { print $2; exit }' "$WORK/run/stdout")
  if [ -z "$PID" ]; then
    log "READY without a pid"
    exit 1
  fi
  log "READY, pid $PID"
  echo "$PID" >"$WORK/pid"
  cat /proc/loadavg >"$WORK/loadavg" # other work on the machine shares its CPUs
}

# start_noise N: N busy-looping processes beside the scenario (other work on the same host), in
# their own session under timeout; killed by cleanup.
start_noise() {
  (exec setsid timeout -s KILL "$LIFETIME" bash -c 'for _ in $(seq "$0"); do bash -c "while :; do :; done" & done; wait' "$1") &
  NOISE=$!
  sleep 1
}

# gdb_parts PART...: sets GDB_ARGS (each command preceded by an echo marker) and GDB_CMDS (the
# commands as typed). Parts: info-threads bt pybt bt-full.
gdb_parts() {
  GDB_ARGS=()
  GDB_CMDS=""
  local part cmd
  for part in "$@"; do
    case "$part" in
    info-threads) cmd='info threads' ;;
    bt) cmd='thread apply all bt' ;;
    pybt) cmd='thread apply all py-bt' ;;
    bt-full) cmd='thread apply all bt full' ;;
    *)
      log "unknown gdb part $part"
      exit 1
      ;;
    esac
    GDB_ARGS+=(-ex "echo @@stacksift-part $part@@\\n" -ex "$cmd")
    GDB_CMDS+=" -ex '$cmd'"
  done
}
# split_gdb RAW NAME_PATTERN CAPTURED_AT COMMAND PART...: cuts one gdb session's output at the
# markers into one file per part (NAME_PATTERN with %s = part), each starting with the session
# banner (the lines before the first command's output), as in the shared corpus.
split_gdb() {
  local raw=$1 pattern=$2 at=$3 cmdline=$4
  shift 4
  local part name
  for part in "$@"; do
    # shellcheck disable=SC2059
    name=$(printf "$pattern" "$part")
    awk -v want="$part" '
      /^@@stacksift-part [a-z-]+@@$/ { seen = 1; cur = $2; sub(/@@$/, "", cur); next }
      !seen { banner = banner $0 "\n"; next }
      cur == want { body = body $0 "\n" }
      END { printf "%s%s", banner, body }' "$raw" >"$CAP/$name"
    record "$name" gdb gdb "$at" "$cmdline   [one gdb session; this file is its '$part' output, the session banner repeated at the top]"
  done
}
# gdb_attach PID SUFFIX PART...: one attach, one file per part: gdb-<part><SUFFIX>.txt.
gdb_attach() {
  local pid=$1 suffix=$2 at
  shift 2
  gdb_parts "$@"
  at=$(now)
  timeout 60 gdb -p "$pid" -batch "${GDB_ARGS[@]}" >"$WORK/gdb-raw$suffix.txt" 2>&1 </dev/null || true
  split_gdb "$WORK/gdb-raw$suffix.txt" "gdb-%s$suffix.txt" "$at" "gdb -p $pid -batch$GDB_CMDS" "$@"
}
# gdb_core EXE CORE NOTE PART...: the same for a core file: gdb-core-<part>.txt.
gdb_core() {
  local exe=$1 core=$2 note=$3 at
  shift 3
  gdb_parts "$@"
  at=$(now)
  timeout 60 gdb -batch "${GDB_ARGS[@]}" "$exe" "$core" >"$WORK/gdb-core-raw.txt" 2>&1 </dev/null || true
  split_gdb "$WORK/gdb-core-raw.txt" "gdb-core-%s.txt" "$at" "${note}gdb -batch$GDB_CMDS $exe core" "$@"
}
# gdb_whole PID NAME PART...: one attach kept whole in one file, as a pasted session looks.
gdb_whole() {
  local pid=$1 name=$2 at i args=()
  shift 2
  gdb_parts "$@"
  for ((i = 2; i < ${#GDB_ARGS[@]}; i += 4)); do args+=(-ex "${GDB_ARGS[$((i + 1))]}"); done
  at=$(now)
  timeout 60 gdb -p "$pid" -batch "${args[@]}" >"$CAP/$name" 2>&1 </dev/null || true
  record "$name" gdb gdb "$at" "gdb -p $pid -batch$GDB_CMDS   [the whole session in one file]"
}

# cap_ps NAME PID[,PID...]
cap_ps() {
  local at
  at=$(now)
  timeout 10 ps -L -o pid,lwp,pcpu,stat,wchan:32,comm -p "$2" >"$CAP/$1" 2>&1 || true
  record "$1" ps ps "$at" "ps -L -o pid,lwp,pcpu,stat,wchan:32,comm -p $2"
}
cap_top() {
  local at
  at=$(now)
  timeout 10 top -H -b -n 2 -d 0.5 -p "$2" >"$CAP/$1" 2>&1 || true
  record "$1" top top "$at" "top -H -b -n 2 -d 0.5 -p $2"
}
cap_pidstat() {
  local at
  at=$(now)
  timeout 10 pidstat -t -w -u -p "$2" 1 2 >"$CAP/$1" 2>&1 || true
  record "$1" pidstat pidstat "$at" "pidstat -t -w -u -p $2 1 2"
}
cap_strace() {
  local at
  at=$(now)
  timeout -s INT 2 strace -c -f -p "$2" >"$CAP/$1" 2>&1 || true
  record "$1" strace strace "$at" "timeout -s INT 2 strace -c -f -p $2   (stdout and stderr)"
}
cap_pstree() {
  local at
  at=$(now)
  timeout 10 pstree -apt "$2" >"$CAP/$1" 2>&1 || true
  record "$1" pstree pstree "$at" "pstree -apt $2"
}
# cap_faulthandler NAME PID [SCENARIO_FILE]: kill -USR1, wait for the registered file to settle.
cap_faulthandler() {
  local name=$1 pid=$2 src=${3:-faulthandler.txt} at size=-1 s
  at=$(now)
  kill -USR1 "$pid"
  for _ in $(seq 50); do
    sleep 0.1
    s=$(stat -c %s "$SCENARIO_OUT/$src" 2>/dev/null || echo 0)
    if [ "$s" -gt 0 ] && [ "$s" = "$size" ]; then break; fi
    size=$s
  done
  cp "$SCENARIO_OUT/$src" "$CAP/$name"
  record "$name" faulthandler "python faulthandler" "$at" \
    "faulthandler.register(signal.SIGUSR1, file=open('$src', 'w'), all_threads=True); kill -USR1 $pid"
}
# pids_of_role ROLE: the pids roles.tsv names for that role, comma-separated.
pids_of_role() { awk -F'\t' -v role="$1" '$3 == role { print $1 }' "$SCENARIO_OUT/roles.tsv" | sort -un | paste -sd, -; }

log "staging programs in $STAGE"
stage_programs

case "$CASE" in
py-lock-order-deadlock)
  start_scenario "$PY" "$STAGE/py_lock_order_deadlock.py"
  sleep 0.5
  cap_ps ps-L.txt "$PID"
  cap_pstree pstree.txt "$PID"
  gdb_whole "$PID" gdb-session.txt info-threads bt pybt
  cap_faulthandler faulthandler.txt "$PID"
  ;;
c-mutex-cycle-3)
  start_scenario "$STAGE/bin/c_mutex_cycle"
  sleep 0.5
  cap_ps ps-L.txt "$PID"
  cap_pstree pstree.txt "$PID"
  gdb_attach "$PID" "" info-threads bt bt-full
  gcore_at=$(now)
  timeout 60 gcore -o "$WORK/core" "$PID" >"$WORK/gcore.log" 2>&1
  gdb_core "$STAGE/bin/c_mutex_cycle" "$WORK/core.$PID" "gcore -o core $PID (at $gcore_at), then: " bt
  ;;
py-busy-poll-spin)
  start_scenario "$PY" "$STAGE/py_busy_poll.py"
  cap_ps ps-L.txt "$PID"
  cap_top top-H.txt "$PID"
  cap_pidstat pidstat.txt "$PID"
  gdb_attach "$PID" "" info-threads bt pybt
  cap_faulthandler faulthandler.txt "$PID"
  cap_strace strace-c.txt "$PID"
  ;;
py-asyncio-blocked-sleep | py-asyncio-blocked-cpu | py-asyncio-blocked-cpu-busy-host)
  mode=sleep
  case "$CASE" in *-cpu*) mode=cpu ;; esac
  if [ "$CASE" = py-asyncio-blocked-cpu-busy-host ]; then start_noise "$(nproc)"; fi
  start_scenario "$PY" "$STAGE/py_asyncio_blocked.py" "$mode"
  cp "$SCENARIO_OUT/traceback-dump.txt" "$CAP/traceback-dump.txt"
  record traceback-dump.txt traceback_dump "the scenario's loop-watchdog thread" "$(mtime "$SCENARIO_OUT/traceback-dump.txt")" \
    "dump_stacks(): sys._current_frames() + traceback.format_stack, header '--- Thread {ident} ({name}) ---', written once the loop's heartbeat had stalled > 1 s"
  cap_ps ps-L.txt "$PID"
  cap_top top-H.txt "$PID"
  if [ "$mode" = cpu ]; then cap_pidstat pidstat.txt "$PID"; fi
  gdb_attach "$PID" "" info-threads bt pybt
  cap_faulthandler faulthandler.txt "$PID"
  ;;
py-idle-asyncio-service)
  start_scenario "$PY" "$STAGE/py_idle_service.py"
  sleep 0.5
  cap_ps ps-L.txt "$PID"
  cap_top top-H.txt "$PID"
  cap_pidstat pidstat.txt "$PID"
  cap_pstree pstree.txt "$PID"
  gdb_attach "$PID" "" info-threads bt pybt
  cap_faulthandler faulthandler.txt "$PID"
  cap_strace strace-c.txt "$PID"
  ;;
py-thread-explosion-160)
  start_scenario "$PY" "$STAGE/py_thread_explosion.py"
  sleep 0.5
  cap_ps ps-L.txt "$PID"
  gdb_attach "$PID" "" info-threads
  cap_faulthandler faulthandler.txt "$PID"
  ;;
py-popen-child-wait)
  start_scenario "$PY" "$STAGE/py_popen_wait.py"
  child=$(pids_of_role child)
  cap_ps ps-L.txt "$PID,$child"
  cap_pstree pstree.txt "$PID"
  gdb_attach "$PID" "-parent" info-threads bt pybt
  gdb_attach "$child" "-child" bt
  cap_faulthandler faulthandler-parent.txt "$PID"
  ;;
py-segfault-ctypes)
  start_scenario "$PY" -X faulthandler "$STAGE/py_segfault_ctypes.py"
  for _ in $(seq 100); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  stop_scenario
  cp "$WORK/run/stderr" "$CAP/faulthandler.txt"
  record faulthandler.txt faulthandler "python -X faulthandler" "$(mtime "$WORK/run/stderr")" \
    "$PY -X faulthandler $STAGE/py_segfault_ctypes.py 2>faulthandler.txt   (the process's whole stderr)"
  core=$WORK/run/core
  [ -f "$core" ] || core=$(find "$WORK/run" -maxdepth 1 -name 'core.*' | head -1)
  if [ ! -f "$core" ]; then
    log "no core file (core_pattern: $(cat /proc/sys/kernel/core_pattern))"
    exit 1
  fi
  gdb_core "$PY" "$core" "ulimit -c unlimited (core_pattern '$(cat /proc/sys/kernel/core_pattern)'), then: " info-threads bt pybt
  ;;
py-gil-contention-15)
  start_scenario "$PY" "$STAGE/py_gil_contention.py"
  cap_ps ps-L.txt "$PID"
  cap_top top-H.txt "$PID"
  cap_pidstat pidstat.txt "$PID"
  gdb_attach "$PID" "" info-threads bt pybt
  cap_faulthandler faulthandler.txt "$PID"
  cap_strace strace-c.txt "$PID"
  ;;
py-mp-pool-idle)
  start_scenario "$PY" "$STAGE/py_mp_pool_idle.py"
  sleep 0.5
  # roles.tsv names each worker process "ForkPoolWorker-<n>": "<n> <pid>", in n order.
  mapfile -t workers < <(awk -F'\t' '$3 == "pool-process" { n = $4; sub(/.*-/, "", n); print n " " $1 }' "$SCENARIO_OUT/roles.tsv" | sort -n)
  cap_ps ps-L.txt "$PID,$(pids_of_role pool-process)"
  cap_pstree pstree.txt "$PID"
  gdb_attach "$PID" "-parent" info-threads bt pybt
  for w in "${workers[@]}"; do gdb_attach "${w#* }" "-worker${w%% *}" bt pybt; done
  cap_faulthandler faulthandler-parent.txt "$PID" faulthandler-parent.txt
  for w in "${workers[@]}"; do cap_faulthandler "faulthandler-worker${w%% *}.txt" "${w#* }" "faulthandler-worker${w%% *}.txt"; done
  ;;
esac

stop_scenario
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel=$(uname -sr)"
  echo "cpus=$(nproc)"
  echo "loadavg_at_ready=$(cat "$WORK/loadavg" 2>/dev/null) (/proc/loadavg: 1, 5, 15 min; the machine was shared with other work)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "python=$("$PY" -VV 2>&1 | tr '\n' ' ')"
  echo "python_dbg=$(dpkg-query -W -f '${Package} ${Version}' python3.11-dbg 2>/dev/null || echo none)"
  echo "libc=$(dpkg-query -W -f '${Version}' libc6 2>/dev/null)"
  echo "gdb=$(gdb --version | head -1)"
  echo "gcc=$(gcc --version | head -1)"
  echo "ps=$(ps -V 2>&1 | head -1)"
  echo "top=$(top -V 2>&1 | head -1)"
  echo "pidstat=$(pidstat -V 2>&1 | head -1)"
  echo "strace=$(strace -V 2>&1 | head -1)"
  echo "pstree=$(pstree -V 2>&1 | head -1)"
} >"$WORK/versions.txt"
log "writing $DEST"
"$PY" "$HERE/make_expect.py" "$CASE" "$WORK" "$DEST" "$STAGE"
log "done: $(du -sh "$DEST" | cut -f1) in $DEST"
