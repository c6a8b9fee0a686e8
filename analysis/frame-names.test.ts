import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseName, normalizeFunctionName } from './frame-names.js';

const cases: Array<[string, string]> = [
  ['__GI___poll', 'poll'],
  ['__GI___libc_read', 'read'],
  ['__libc_recv', 'recv'],
  ['___pthread_mutex_lock', 'pthread_mutex_lock'],
  ['__pthread_clockjoin_ex', 'pthread_clockjoin_ex'],
  ['pthread_cond_wait@@GLIBC_2.3.2', 'pthread_cond_wait'],
  ['.g_logv', 'g_logv'],
  ['.__GI___poll', 'poll'],
  ['g_main_context_iterate.isra.0', 'g_main_context_iterate'],
  ['g_main_context_iterate.isra', 'g_main_context_iterate'],
  ['do_futex_wait.constprop.0', 'do_futex_wait'],
  ['take_gil', 'take_gil'],
  ['__futex_abstimed_wait_common64', 'futex_abstimed_wait_common64'],
  ['_PyEval_EvalFrameDefault', '_PyEval_EvalFrameDefault'],
  ['std::mutex::lock', 'std::mutex::lock'],
  ['__kernel_vsyscall', '__kernel_vsyscall'],
];
for (const [raw, want] of cases) test(`normalizeFunctionName(${raw})`, () => assert.equal(normalizeFunctionName(raw), want));

test('baseName', () => {
  assert.equal(baseName('/usr/lib/python3.11/threading.py'), 'threading.py');
  assert.equal(baseName('C:\\app\\x.py'), 'x.py');
  assert.equal(baseName('x.py'), 'x.py');
  assert.equal(baseName(null), null);
});

test('normalizeFunctionName stays linear on hostile 64 KiB names', () => {
  for (const hostile of ['@A'.repeat(32_768), '.isra'.repeat(13_000), `${'.1'.repeat(32_000)}x`, '_'.repeat(65_536)]) {
    assert.equal(typeof normalizeFunctionName(hostile), 'string');
  }
  assert.equal(normalizeFunctionName('f.isra.0.cold'), 'f');
  assert.equal(normalizeFunctionName('f.part.1.constprop.0'), 'f');
  assert.equal(normalizeFunctionName('v8.1'), 'v8.1');
});
