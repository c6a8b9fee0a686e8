import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CrashInfo } from '../../parsers/model.js';
import {
  conditionWait,
  condvarWaitC,
  glibPollIdle,
  mutexWait,
  ppcGlogTrap,
  pythonAbort,
  xorgAbortInHandler,
} from '../../test/support/corpus-stacks.js';
import { makeContext } from '../../test/support/diagnosis-context.js';
import { frames, makeClassified } from '../../test/support/threads.js';
import type { ClassifiedThread } from '../model.js';
import { detectCrash } from './crash.js';
import { decidingFrame } from './crash-frame.js';

function crashInfo(over: Partial<CrashInfo>): CrashInfo {
  return { signal: null, signalNumber: null, description: '', lwp: null, pthreadId: null, command: null, line: 1, ...over };
}

interface Case {
  name: string;
  threads: ClassifiedThread[];
  crashes?: CrashInfo[];
  want: Array<{ title: RegExp; keys: string[] }>;
}

const cases: Case[] = [
  {
    name: 'py-crash-abort: core SIGABRT + faulthandler header, idle workers; one diagnosis naming check_invariants',
    threads: [
      makeClassified('running', { pid: 1092, lwp: 1092, pthreadId: '0x7fbf3c57f040', frames: pythonAbort() }),
      makeClassified('lock_wait', { pid: 1092, lwp: 1093, idle: true, frames: conditionWait('0x7fbf34000ba0') }),
      makeClassified('lock_wait', { pid: 1092, lwp: 1094, idle: true, frames: conditionWait('0x7fbf2c000ba0') }),
    ],
    crashes: [
      crashInfo({
        signal: 'SIGABRT',
        signalNumber: 6,
        description: 'Aborted',
        lwp: 1092,
        command: '/usr/bin/python3 -X faulthandler /srv/demo/crash_abort.py',
      }),
      crashInfo({ description: 'Fatal Python error: Aborted', pthreadId: '0x7fbf3c57f040' }),
    ],
    want: [{ title: /^Crash: SIGABRT in LWP 1092 at check_invariants \(crash_abort\.py:27\)$/, keys: ['p1092:t1092'] }],
  },
  {
    name: 'Xorg: signal 6 from the SIGSEGV handler; the deciding frame is below <signal handler called>',
    threads: [makeClassified('running', { pid: null, lwp: 1073, key: 't1073', frames: xorgAbortInHandler() })],
    crashes: [crashInfo({ signalNumber: 6, description: 'Aborted', lwp: 1073 })],
    want: [{ title: /^Crash: SIGABRT after SIGSEGV in LWP 1073 at xf86CursorSetCursor$/, keys: ['t1073'] }],
  },
  {
    name: 'ppc64 caja: SIGTRAP through g_log and a PLT stub lands on _XError',
    threads: [
      makeClassified('running', { pid: null, lwp: 2271, key: 't2271', frames: ppcGlogTrap() }),
      makeClassified('io_wait', { pid: null, lwp: 2360, key: 't2360', frames: glibPollIdle() }),
    ],
    crashes: [crashInfo({ signal: 'SIGTRAP', signalNumber: 5, description: 'Trace/breakpoint trap', lwp: 2271 })],
    want: [{ title: /^Crash: SIGTRAP in LWP 2271 at _XError$/, keys: ['t2271'] }],
  },
  {
    name: 'a SIGSEGV in the innermost frame: that frame decides',
    threads: [
      makeClassified('running', {
        pid: null,
        lwp: 5445,
        key: 't5445',
        frames: frames('g_str_hash v=v@entry=0x0', 'ephy_location_entry_set_location entry=entry@entry=0x22ae6d0', 'match_selected_cb'),
      }),
      makeClassified('lock_wait', { pid: null, lwp: 5451, key: 't5451', frames: condvarWaitC('g_thread_pool_thread_proxy') }),
    ],
    crashes: [crashInfo({ signal: 'SIGSEGV', signalNumber: 11, description: 'Segmentation fault', lwp: 5445 })],
    want: [{ title: /^Crash: SIGSEGV in LWP 5445 at g_str_hash$/, keys: ['t5445'] }],
  },
  {
    name: 'no crash record: a stack with raise/abort around the trampoline is enough',
    threads: [makeClassified('running', { pid: 20, lwp: 20, frames: xorgAbortInHandler() })],
    want: [{ title: /^Crash: SIGABRT after SIGSEGV in LWP 20 at xf86CursorSetCursor$/, keys: ['p20:t20'] }],
  },
  {
    name: 'a crash record that names no listed thread still reports the crash',
    threads: [makeClassified('lock_wait', { pid: 30, lwp: 31, frames: condvarWaitC('worker') })],
    crashes: [crashInfo({ signal: 'SIGSEGV', signalNumber: 11, description: 'Segmentation fault', lwp: 99 })],
    want: [{ title: /^Crash: SIGSEGV$/, keys: [] }],
  },
  {
    name: 'two crashed processes give two diagnoses',
    threads: [
      makeClassified('running', { pid: 40, lwp: 40, frames: pythonAbort() }),
      makeClassified('running', { pid: 50, lwp: 50, isCrashing: true, frames: frames('g_str_hash v=0x0', 'main') }),
    ],
    want: [
      { title: /^Crash: SIGABRT in LWP 40 at check_invariants/, keys: ['p40:t40'] },
      { title: /^Crash: a fatal signal in LWP 50 at g_str_hash$/, keys: ['p50:t50'] },
    ],
  },
  {
    name: 'faulthandler only: "Fatal Python error: Segmentation fault" names SIGSEGV and the current thread’s innermost Python frame',
    threads: [
      makeClassified('running', {
        pid: 70,
        lwp: null,
        pthreadId: '0x7f0a',
        key: 'p70:x0x7f0a',
        frames: [
          { function: 'decode_row', file: '/srv/app/codec.py', line: 88, library: null, language: 'python', args: null, address: null },
          { function: 'main', file: '/srv/app/run.py', line: 5, library: null, language: 'python', args: null, address: null },
        ],
      }),
    ],
    crashes: [crashInfo({ description: 'Fatal Python error: Segmentation fault', pthreadId: '0x7f0a' })],
    want: [{ title: /^Crash: SIGSEGV in thread 0x7f0a at decode_row \(codec\.py:88\)$/, keys: ['p70:x0x7f0a'] }],
  },
  // Look-alikes.
  {
    name: 'a live process with blocked threads has not crashed',
    threads: [makeClassified('lock_wait', { frames: mutexWait('0x10', 'a', 'f') }), makeClassified('io_wait', { frames: glibPollIdle() })],
    want: [],
  },
  {
    name: 'a non-fatal signal handler (no raise/abort above the trampoline) is not a crash',
    threads: [
      makeClassified('running', {
        frames: [
          ...frames('write fd=2', 'on_sigprof signo=27'),
          {
            function: '<signal handler called>',
            file: null,
            line: null,
            library: null,
            language: 'native',
            args: null,
            address: null,
            isSignalTrampoline: true,
          },
          ...frames('compute', 'main'),
        ],
      }),
    ],
    want: [],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = detectCrash(makeContext({ threads: c.threads, crashes: c.crashes ?? [] }));
    assert.equal(got.length, c.want.length, got.map((d) => d.title).join(' | '));
    c.want.forEach((w, i) => {
      const d = got[i];
      assert.ok(d);
      assert.equal(d.code, 'crash');
      assert.equal(d.severity, 'critical');
      assert.match(d.title, w.title);
      assert.deepEqual(d.threadKeys, w.keys);
    });
  });
}

test('the Xorg detail names the handler’s original SIGSEGV and the caller', () => {
  const [d] = detectCrash(
    makeContext({
      threads: [makeClassified('running', { lwp: 1073, frames: xorgAbortInHandler() })],
      crashes: [crashInfo({ signalNumber: 6, lwp: 1073 })],
    }),
  );
  assert.match(d?.detail ?? '', /signal 11 \(SIGSEGV\)/);
  assert.match(d?.detail ?? '', /called from xf86CursorEnableDisableFBAccess/);
  assert.equal(d?.evidence.handlerSignal, 11);
});

test('a py-bt `<built-in method abort>` line is not the deciding frame', () => {
  const stack = pythonAbort();
  const at = stack.findIndex((f) => f.language === 'python');
  stack.splice(at, 0, {
    function: 'abort',
    file: '<built-in>',
    line: null,
    library: null,
    language: 'python',
    args: null,
    address: null,
    sourceText: null,
  });
  assert.equal(decidingFrame(stack)?.frame.function, 'check_invariants');
});

test('deciding frame of a Python abort skips raise/abort and CPython’s os_abort', () => {
  const got = decidingFrame(pythonAbort());
  assert.equal(got?.frame.function, 'check_invariants');
  assert.equal(got?.caller?.function, '<module>');
});
