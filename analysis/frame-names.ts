/**
 * Function-name spellings that differ only by how a toolchain printed them. One place
 * decides what "the same function" means for grouping, signatures and rules.
 */
import type { RawFrame } from '../parsers/model.js';
import { memoizeByString } from '../parsers/string-memo.js';

// glibc internal aliases (`__GI___poll`, `__libc_read`, `___pthread_mutex_lock`), ppc64
// function descriptors (`.g_logv`), versioned symbols (`pthread_cond_wait@@GLIBC_2.3.2`) and
// GCC clone suffixes (`g_main_context_iterate.isra.0`, `do_futex_wait.constprop.0`; see
// gcc/cgraphclones.cc clone_function_name).
const VERSION_SUFFIX = /^@@?[A-Z][\w.]*$/;
// glibc spells its own entry points with two or three leading underscores.
const GLIBC_UNDERSCORED =
  /^_{2,3}(?:pthread|poll|select|pselect|libc|new_sem|sem_|nanosleep|clock_nanosleep|wait4|waitpid|read|write|recv|send|accept|epoll|lll|futex|connect|sleep|ppoll)/;
const CLONE_WORDS = new Set(['isra', 'constprop', 'part', 'cold', 'lto_priv', 'localalias']);

/** The plain name of a native function: `__GI___poll` → `poll`, `.raise` → `raise`, `pthread_cond_wait@@GLIBC_2.3.2` → `pthread_cond_wait`. */
export const normalizeFunctionName = memoizeByString(normalizeOnce);

function normalizeOnce(name: string): string {
  let s = name;
  if (s.startsWith('.') && s.length > 1 && s[1] !== '.') s = s.slice(1);
  const at = s.indexOf('@');
  if (at > 0 && VERSION_SUFFIX.test(s.slice(at))) s = s.slice(0, at);
  s = stripCloneSuffixes(s);
  if (s.startsWith('__GI_')) s = s.slice(5);
  if (s.startsWith('__libc_')) s = s.slice(7);
  if (GLIBC_UNDERSCORED.test(s)) s = s.replace(/^_+/, '');
  return s;
}

/** `f.isra.0.cold` → `f`: drops GCC clone suffixes from the end, one dot-separated piece at a time. */
function stripCloneSuffixes(name: string): string {
  let s = name;
  for (;;) {
    const dot = s.lastIndexOf('.');
    if (dot <= 0) return s;
    const piece = s.slice(dot + 1);
    if (/^\d{1,6}$/.test(piece)) {
      const prev = s.lastIndexOf('.', dot - 1);
      if (prev > 0 && CLONE_WORDS.has(s.slice(prev + 1, dot))) {
        s = s.slice(0, prev);
        continue;
      }
      return s;
    }
    if (!CLONE_WORDS.has(piece)) return s;
    s = s.slice(0, dot);
  }
}

/** File name without its directories: `/usr/lib/python3.11/threading.py` → `threading.py`. */
export function baseName(path: string | null): string | null {
  if (path === null) return null;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

/** A short readable name for a frame: native `poll`, Python `threading.py:wait`. */
export function frameLabel(frame: RawFrame): string {
  if (frame.language === 'python') {
    const file = baseName(frame.file);
    return file && file !== '<built-in>' ? `${file}:${frame.function ?? '?'}` : (frame.function ?? '?');
  }
  return frame.function === null ? '??' : normalizeFunctionName(frame.function);
}

// CPython's own call plumbing: present in every Python thread, never the reason for a state.
// Names from CPython 2.7–3.13 Python/ceval.c, Objects/call.c, Objects/*object.c.
const INTERPRETER_PLUMBING =
  /^(?:_PyEval_EvalFrame\w*|_PyEval_Vector|PyEval_EvalFrameEx|PyEval_EvalFrame|PyEval_EvalCode\w*|_PyEval_EvalCode\w*|_?PyObject_(?:Vectorcall\w*|Call\w*|FastCall\w*|MakeTpCall)|PyObject_Call\w*|_?PyFunction_\w+|method_vectorcall\w*|cfunction_\w+|call_function|fast_function|do_call_core|do_call|ext_do_call|function_call|instancemethod_call|slot_tp_\w+|vectorcall_\w+|_PyCFunction_\w+|PyCFunction_Call|thread_run|t_bootstrap|pythread_wrapper|run_eval_code_obj|run_mod|pyrun_\w+|_?PyRun_\w+|pymain_\w+|Py_RunMain|Py_BytesMain|Py_Main|method_vectorcall_\w+|_PyObject_Call_Prepend)$/;

/** True for interpreter plumbing frames (`_PyEval_EvalFrameDefault`, `_PyObject_VectorcallTstate` …). */
export function isInterpreterPlumbing(name: string): boolean {
  return INTERPRETER_PLUMBING.test(name);
}

// The frame that runs Python bytecode: where Python frames belong in a merged stack.
const EVAL_FRAME = /^(?:_PyEval_EvalFrameDefault|PyEval_EvalFrameEx|_PyEval_EvalFrame|PyEval_EvalFrame)$/;

/** True for the interpreter's bytecode loop frame. */
export function isEvalFrame(frame: RawFrame): boolean {
  return frame.language === 'native' && frame.function !== null && EVAL_FRAME.test(frame.function);
}
