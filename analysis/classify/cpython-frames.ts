/**
 * CPython native frames rules share (python/cpython 2.7–3.13): where a wait span ends, and which
 * C functions take a Python-level lock rather than the GIL (FRAMES.md §1, §2, §6.1, §6.4).
 */

/**
 * The bytecode interpreter: `Python/ceval.c` `_PyEval_EvalFrameDefault` (3.6+), `PyEval_EvalFrameEx`
 * (2.7, still a wrapper in 3.x), `_PyEval_EvalFrame`/`_PyEval_Vector` (3.11+), code-object entry points.
 * These never decide a state; the first of them ends the wait span.
 */
export const CPYTHON_EVAL_FRAMES = [
  '_PyEval_EvalFrameDefault',
  'PyEval_EvalFrameEx',
  '_PyEval_EvalFrame',
  'PyEval_EvalFrame',
  '_PyEval_Vector',
  '_PyEval_EvalCode',
  '_PyEval_EvalCodeWithName',
  'PyEval_EvalCode',
  'PyEval_EvalCodeEx',
];

/**
 * Call dispatch between the eval loop and a C function (`Python/ceval.c` `call_function`,
 * `fast_function`, `do_call_core` ≤3.10; `Objects/call.c`, `Objects/methodobject.c`,
 * `Objects/descrobject.c`, `Objects/classobject.c` 3.8+). A C function called from Python sits
 * just inside one of these, so they also end the wait span: what lies beyond is the caller's business.
 */
export const CPYTHON_CALL_FRAMES = [
  'call_function',
  'fast_function',
  'do_call_core',
  'ext_do_call',
  'function_code_fastcall',
  'slot_tp_call',
  'cfunction_vectorcall_*',
  'cfunction_call*',
  'method_vectorcall*',
  '_PyObject_Vectorcall*',
  '_PyObject_Call*',
  'PyObject_Call*',
  '_PyObject_MakeTpCall',
  '_PyObject_FastCall*',
  'PyCFunction_Call',
  '_PyCFunction_FastCall*',
  '_PyMethodDef_RawFastCall*',
  '_PyMethodDescr_FastCall*',
  '_PyFunction_Vectorcall',
  '_PyFunction_FastCall*',
];

/**
 * C functions that take a Python-level lock (not the GIL) through `PyThread_acquire_lock[_timed]`
 * or the 3.13 parking lot: `Modules/_threadmodule.c`, `Modules/_queuemodule.c`,
 * `Modules/_multiprocessing/semaphore.c`, `Python/lock.c`, `Modules/faulthandler.c`.
 */
export const CPYTHON_LOCK_CALLERS = [
  'lock_PyThread_acquire_lock',
  'acquire_timed',
  'rlock_acquire',
  'rlock_acquire_impl',
  '_queue_SimpleQueue_get_impl',
  '_queue_SimpleQueue_get',
  '_multiprocessing_SemLock_acquire_impl',
  '_multiprocessing_SemLock_acquire',
  'semlock_acquire',
  '_PyParkingLot_Park',
  'PyEvent_WaitTimed',
  'ThreadHandle_join',
  'faulthandler_thread',
];

/** `PyThread_acquire_lock[_timed]`: `Python/thread_pthread.h`, `Python/thread.c` (3.13 `_with_retries`). */
export const CPYTHON_THREAD_LOCK = ['PyThread_acquire_lock_timed', 'PyThread_acquire_lock', 'PyThread_acquire_lock_timed_with_retries'];

/** The 3.13+ parking lot: `Python/parking_lot.c` (`_PySemaphore_PlatformWait` uses `sem_clockwait`, `sem_timedwait`, `sem_wait` or a condvar). */
export const CPYTHON_PARKING_LOT = ['_PySemaphore_PlatformWait', '_PySemaphore_Wait', '_PyParkingLot_Park'];
