/**
 * Markers printed next to a thread's Python frames. libpython's `py-bt` (python/cpython
 * `Tools/gdb/libpython.py`, `Frame.is_waiting_for_gil`, `Frame.is_gc_collect`) prints
 * `Waiting for the GIL` and `Garbage-collecting`; py-spy's `--idle`/`--gil` views mark threads
 * idle, active or holding the GIL. FRAMES.md §1.5: before 3.7 `Waiting for the GIL` also fires for
 * every lock wait (2.7) or any timed condvar (3.6), so it is used only when the paths name 3.7+.
 */
import type { MarkerRule } from './rule.js';

export const MARKER_RULES: MarkerRule[] = [
  {
    kind: 'marker',
    id: 'marker.waiting_for_gil',
    state: 'gil_wait',
    marker: 'Waiting for the GIL',
    stage: 'early',
    needsReliableVersion: true,
    blocking: 'take_gil',
    why: "py-bt printed 'Waiting for the GIL': a take_gil frame was on the native stack (reliable on CPython 3.7+)",
  },
  {
    kind: 'marker',
    id: 'marker.garbage_collecting',
    state: 'running',
    marker: 'Garbage-collecting',
    stage: 'early',
    blocking: null,
    why: "py-bt printed 'Garbage-collecting': running the cyclic garbage collector",
  },
  {
    kind: 'marker',
    id: 'marker.pyspy_gil',
    state: 'running',
    marker: 'py-spy:gil',
    stage: 'late',
    blocking: null,
    why: 'py-spy saw the thread holding the GIL',
  },
  {
    kind: 'marker',
    id: 'marker.pyspy_active',
    state: 'running',
    marker: 'py-spy:active',
    stage: 'late',
    blocking: null,
    why: 'py-spy saw the thread active (on CPU)',
  },
];
