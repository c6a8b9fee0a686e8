/**
 * The classification table, in priority order: first match wins within each stage, and the
 * stages run from the strongest evidence to the weakest (classify-thread.ts):
 *
 *   crash → native stack → early markers → Python frames → built-in frame → source line
 *         → late markers → scheduler state / wait channel / CPU → unknown
 */
import type {
  BuiltinRule,
  CpuRule,
  CrashRule,
  MarkerRule,
  NativeRule,
  OsStateRule,
  PythonRule,
  Rule,
  SourceRule,
  WchanRule,
} from './rule.js';
import { CPYTHON_RULES } from './rules-cpython.js';
import { CRASH_RULES } from './rules-crash.js';
import { GIL_RULES } from './rules-gil.js';
import { LIBC_EARLY_RULES, LIBC_RULES } from './rules-glibc.js';
import { NATIVE_IDLE_RULES } from './rules-idle.js';
import { PYTHON_IDLE_RULES } from './rules-idle-python.js';
import { MARKER_RULES } from './rules-markers.js';
import { CPU_RULES, OS_STATE_RULES, OS_STATE_RUNNING, WCHAN_RULES } from './rules-os.js';
import { PYTHON_RULES } from './rules-python.js';
import { BUILTIN_RULES, SOURCE_RULES } from './rules-python-calls.js';
import { RUNTIME_RULES } from './rules-runtimes.js';

export const CRASH_TABLE: readonly CrashRule[] = CRASH_RULES;

/** GIL first (a futex under take_gil is the GIL whatever else is there), then busy polls, idle patterns, known callers, generic libc. */
export const NATIVE_TABLE: readonly NativeRule[] = [
  ...GIL_RULES,
  ...LIBC_EARLY_RULES,
  ...NATIVE_IDLE_RULES,
  ...CPYTHON_RULES,
  ...RUNTIME_RULES,
  ...LIBC_RULES,
];

/** Idle patterns before the plain standard-library meaning of the same frames. */
export const PYTHON_TABLE: readonly PythonRule[] = [...PYTHON_IDLE_RULES, ...PYTHON_RULES];

export const BUILTIN_TABLE: readonly BuiltinRule[] = BUILTIN_RULES;
export const SOURCE_TABLE: readonly SourceRule[] = SOURCE_RULES;
export const EARLY_MARKER_TABLE: readonly MarkerRule[] = MARKER_RULES.filter((r) => r.stage === 'early');
export const LATE_MARKER_TABLE: readonly MarkerRule[] = MARKER_RULES.filter((r) => r.stage === 'late');
export const OS_RUNNING_TABLE: readonly OsStateRule[] = OS_STATE_RUNNING;
export const WCHAN_TABLE: readonly WchanRule[] = WCHAN_RULES;
export const OS_STATE_TABLE: readonly OsStateRule[] = OS_STATE_RULES;
export const CPU_TABLE: readonly CpuRule[] = CPU_RULES;

/** Every rule once, in stage order. */
export const RULES: readonly Rule[] = [
  ...CRASH_TABLE,
  ...NATIVE_TABLE,
  ...EARLY_MARKER_TABLE,
  ...PYTHON_TABLE,
  ...BUILTIN_TABLE,
  ...SOURCE_TABLE,
  ...LATE_MARKER_TABLE,
  ...OS_RUNNING_TABLE,
  ...WCHAN_TABLE,
  ...OS_STATE_TABLE,
  ...CPU_TABLE,
];
