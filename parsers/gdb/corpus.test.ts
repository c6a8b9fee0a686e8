/**
 * Every gdb file of the shared real-dump corpus, checked against the facts its manifest
 * records per artifact (thread count, gdb thread numbers, LWPs, pthread ids, top frames,
 * the crashed thread) and a few frame counts read off the files.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import { normalizePthreadId } from '../identity.js';
import { cleanLines } from '../lines.js';
import type { ParseWarning, RawThread, Snapshot } from '../model.js';
import { gdbFormat } from './index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);

interface ArtifactThread {
  lwp: number;
  pthread_id: string | null;
  gdb_thread: number;
  os_name?: string | null;
  top_frame?: string;
  crashed?: boolean;
}

interface Artifact {
  file: string;
  format: string;
  pid?: number | null;
  thread_count: number;
  threads: ArtifactThread[];
}

interface Expect {
  files: Record<string, string>;
  threads: { pid?: number; count?: number };
  diagnoses: { expect: string[] };
}

function readLines(path: string): string[] {
  const warnings: ParseWarning[] = [];
  return cleanLines(readFileSync(path, 'utf8'), DEFAULT_LIMITS, collectingContext(DEFAULT_LIMITS, warnings)).lines;
}

function parseFile(path: string): { snapshots: Snapshot[]; warnings: ParseWarning[] } {
  const lines = readLines(path);
  const warnings: ParseWarning[] = [];
  const snapshots = gdbFormat.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, warnings));
  return { snapshots, warnings };
}

function artifacts(): Array<{ caseId: string; artifact: Artifact; expect: Expect }> {
  const manifest = JSON.parse(readFileSync(`${CORPUS}manifest.json`, 'utf8')) as {
    cases: Array<{ case_id: string; artifacts: Artifact[] }>;
  };
  const out: Array<{ caseId: string; artifact: Artifact; expect: Expect }> = [];
  for (const c of manifest.cases) {
    const expect = JSON.parse(readFileSync(`${CORPUS}${c.case_id}/expect.json`, 'utf8')) as Expect;
    for (const a of c.artifacts) if (a.format === 'gdb') out.push({ caseId: c.case_id, artifact: a, expect });
  }
  return out;
}

test('every gdb file of the corpus is listed in the manifest', (t) => {
  if (!hasCorpus) return t.skip('shared corpus not found');
  const listed = new Set(artifacts().map((a) => `${a.caseId}/${a.artifact.file}`));
  for (const dir of readdirSync(CORPUS)) {
    if (!existsSync(`${CORPUS}${dir}/expect.json`)) continue;
    for (const f of readdirSync(`${CORPUS}${dir}`)) if (f.startsWith('gdb-')) assert.ok(listed.has(`${dir}/${f}`), `${dir}/${f}`);
  }
});

for (const { caseId, artifact, expect } of hasCorpus ? artifacts() : []) {
  test(`corpus ${caseId}/${artifact.file}: threads, identities, crash`, () => {
    const { snapshots, warnings } = parseFile(`${CORPUS}${caseId}/${artifact.file}`);
    assert.deepEqual(warnings, []);
    assert.equal(snapshots.length, 1);
    const snap = snapshots[0] as Snapshot;
    assert.equal(snap.threads.length, artifact.thread_count);
    if (expect.threads.count !== undefined && artifact.pid != null && artifact.pid === expect.threads.pid) {
      assert.equal(snap.threads.length, expect.threads.count);
    }
    const got = snap.threads.map((th) => [th.debuggerThreadNumber, th.lwp, th.pthreadId]).sort(byFirst);
    const want = artifact.threads.map((th) => [th.gdb_thread, th.lwp, normalizePthreadId(th.pthread_id)]).sort(byFirst);
    assert.deepEqual(got, want);
    if (snap.pid !== null) assert.equal(snap.pid, artifact.pid);
    const showsNames = snap.threads.some((th) => th.name !== null);
    for (const want of artifact.threads) {
      const th = snap.threads.find((x) => x.lwp === want.lwp) as RawThread;
      if (want.top_frame !== undefined) assert.equal(th.frames[0]?.function, want.top_frame, `top frame of LWP ${want.lwp}`);
      if (showsNames && want.os_name) assert.equal(th.name, want.os_name, `name of LWP ${want.lwp}`);
      assert.equal(th.pid, snap.pid);
    }
    const crashed = artifact.threads.filter((th) => th.crashed);
    const hasSignal = readLines(`${CORPUS}${caseId}/${artifact.file}`).some((l) => l.startsWith('Program terminated with signal'));
    assert.equal(snap.crash !== null, hasSignal);
    if (hasSignal) assert.ok(expect.diagnoses.expect.includes('crash'));
    for (const c of crashed) assert.equal(snap.crash?.lwp, c.lwp);
  });
}

function byFirst(a: Array<unknown>, b: Array<unknown>): number {
  return Number(a[0]) - Number(b[0]);
}

interface Facts {
  file: string;
  check(snap: Snapshot): void;
}

function lwp(snap: Snapshot, n: number): RawThread {
  const t = snap.threads.find((x) => x.lwp === n);
  assert.ok(t, `LWP ${n}`);
  return t;
}

const facts: Facts[] = [
  {
    file: 'c-mutex-deadlock/gdb-bt.txt',
    check(snap) {
      const audit = lwp(snap, 406);
      assert.deepEqual([audit.name, audit.pthreadId, audit.frames.length], ['audit', '0x7faec7fff6c0', 8]);
      assert.deepEqual(
        [audit.frames[4]?.function, audit.frames[4]?.file, audit.frames[4]?.line, audit.frames[4]?.args],
        ['reconcile', 'deadlock.c', 32, 'batch=7'],
      );
      assert.equal(lwp(snap, 402).frames.length, 5);
      assert.equal(lwp(snap, 402).name, 'deadlock');
    },
  },
  {
    file: 'c-mutex-deadlock/gdb-bt-full.txt',
    check(snap) {
      assert.equal(snap.pid, 402);
      assert.deepEqual(
        snap.threads.map((t) => t.frames.length),
        [8, 8, 5, 5],
      );
    },
  },
  {
    file: 'c-mutex-deadlock/gdb-core-bt.txt',
    check(snap) {
      assert.equal(snap.crash, null);
      assert.equal(lwp(snap, 402).isCurrent, true);
      assert.ok(snap.threads.every((t) => t.name === null));
    },
  },
  {
    file: 'c-mutex-deadlock/gdb-info-threads.txt',
    check(snap) {
      assert.ok(snap.threads.every((t) => t.frames.length === 1 && !t.hasCompleteStack));
      assert.equal(lwp(snap, 402).isCurrent, true);
      assert.equal(lwp(snap, 405).name, 'transfer');
    },
  },
  {
    file: 'py-crash-abort/gdb-core-bt.txt',
    check(snap) {
      assert.deepEqual(snap.crash, {
        signal: 'SIGABRT',
        signalNumber: 6,
        description: 'Aborted',
        lwp: 1092,
        pthreadId: '0x7fbf3c57f040',
        command: '/usr/bin/python3 -X faulthandler /srv/demo/crash_abort.py',
        line: 11,
      });
      const main = lwp(snap, 1092);
      assert.equal(main.frames.length, 30);
      assert.equal(main.frames[3]?.isSignalTrampoline, true);
      assert.equal(main.frames[17]?.function, 'run_eval_code_obj');
      assert.equal(main.frames[17]?.line, 1714);
      assert.equal(lwp(snap, 1096).frames.length, 20);
    },
  },
  {
    file: 'py-crash-abort/gdb-core-info-threads.txt',
    check(snap) {
      assert.equal(lwp(snap, 1093).frames[0]?.function, '__futex_abstimed_wait_common64');
      assert.equal(lwp(snap, 1096).frames[0]?.function, '__GI___select');
      assert.equal(snap.crash?.lwp, 1092);
    },
  },
  {
    file: 'py-crash-abort/gdb-core-pybt.txt',
    check(snap) {
      assert.deepEqual(
        lwp(snap, 1096).frames.map((f) => [f.function, f.language]),
        [
          ['select', 'python'],
          ['poller', 'python'],
          ['run', 'python'],
          ['_bootstrap_inner', 'python'],
          ['_bootstrap', 'python'],
        ],
      );
      assert.deepEqual(
        lwp(snap, 1092).frames.map((f) => f.function),
        ['abort', 'check_invariants', '<module>'],
      );
      assert.equal(lwp(snap, 1092).frames[1]?.sourceText, 'os.abort()');
    },
  },
  {
    file: 'py-gevent-blocked-hub/gdb-bt.txt',
    check(snap) {
      assert.equal(lwp(snap, 828).frames.length, 22);
      assert.equal(lwp(snap, 832).name, 'stack-dumper');
      assert.equal(lwp(snap, 828).frames[15]?.function, 'greenlet::UserGreenlet::g_initialstub(void*)');
    },
  },
  {
    file: 'py-gil-gthread-40/gdb-pybt.txt',
    check(snap) {
      assert.equal(snap.pid, 32100);
      assert.equal(snap.threads.filter((t) => t.pythonMarkers.includes('Waiting for the GIL')).length, 33);
    },
  },
  {
    file: 'public-satyr-rhbz-621492/gdb-core-bt.txt',
    check(snap) {
      assert.equal(lwp(snap, 19947).frames.length, 111);
      assert.equal(lwp(snap, 19947).frames[2]?.isSignalTrampoline, true);
      assert.equal(
        lwp(snap, 19965).frames[0]?.args,
        'fds=<value optimized out>, nfds=<value optimized out>, timeout=<value optimized out>',
      );
      assert.equal(snap.crash?.signal, 'SIGSEGV');
      assert.equal(snap.crash?.signalNumber, 11);
    },
  },
  {
    file: 'public-satyr-rhbz-1119072/gdb-core-bt.txt',
    check(snap) {
      assert.equal(snap.crash?.signal, 'SIGTRAP');
      const main = lwp(snap, 2271);
      assert.deepEqual([main.frames[1]?.function, main.frames[1]?.library], ['.g_logv', '/usr/lib64/libglib-2.0.so.0']);
      assert.equal(main.frames[12]?.function, '000000ca.plt_call.strncasecmp@@GLIBC_2.3+0');
    },
  },
  {
    file: 'public-satyr-rhbz-955617/gdb-core-bt.txt',
    check(snap) {
      assert.deepEqual([snap.crash?.signal, snap.crash?.signalNumber, snap.crash?.lwp], ['SIGABRT', 6, 1073]);
      const t = lwp(snap, 1073);
      assert.equal(t.frames.length, 13);
      assert.equal(t.frames[9]?.isSignalTrampoline, true);
      assert.equal(t.frames[10]?.function, 'xf86CursorSetCursor');
    },
  },
  {
    file: 'public-satyr-rhbz-1032472/gdb-core-bt.txt',
    check(snap) {
      assert.equal(lwp(snap, 5445).frames.length, 31);
      assert.equal(lwp(snap, 10039).frames[7]?.function, 'bmalloc::AsyncTask<bmalloc::Heap, void (bmalloc::Heap::*)()>::entryPoint');
    },
  },
  {
    file: 'public-satyr-rhbz-803600/gdb-core-bt.txt',
    check(snap) {
      assert.deepEqual(
        snap.threads.map((t) => [t.lwp, t.frames.length]),
        [
          [3618, 65],
          [3575, 162],
        ],
      );
    },
  },
];

for (const f of facts) {
  test(`corpus facts: ${f.file}`, (t) => {
    if (!hasCorpus) return t.skip('shared corpus not found');
    const { snapshots } = parseFile(`${CORPUS}${f.file}`);
    assert.equal(snapshots.length, 1);
    f.check(snapshots[0] as Snapshot);
  });
}

test('corpus: info threads, bt and py-bt of one attach, pasted as one session, merge', (t) => {
  if (!hasCorpus) return t.skip('shared corpus not found');
  const dir = `${CORPUS}py-gil-gthread-40/`;
  const body = (file: string) => {
    const lines = readLines(`${dir}${file}`);
    const first = lines.findIndex((l) => l.startsWith('  Id   Target Id') || l.startsWith('Thread '));
    return lines.slice(first).filter((l) => !l.startsWith('[Inferior'));
  };
  const lines = [
    ...readLines(`${dir}gdb-info-threads.txt`),
    '',
    ...body('gdb-bt.txt'),
    '',
    ...body('gdb-pybt.txt'),
    '[Inferior 1 (process 32100) detached]',
  ];
  const warnings: ParseWarning[] = [];
  const snapshots = gdbFormat.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, warnings));
  assert.deepEqual(warnings, []);
  assert.equal(snapshots.length, 1);
  const snap = snapshots[0] as Snapshot;
  assert.equal(snap.threads.length, 41);
  assert.equal(snap.pid, 32100);
  const main = lwp(snap, 32100);
  assert.equal(main.isCurrent, true);
  assert.equal(main.hasCompleteStack, true);
  assert.equal(main.frames.filter((f) => f.language === 'native').length, 23);
  assert.deepEqual(
    main.frames.filter((f) => f.language === 'python').map((f) => f.function),
    ['select', 'run', '<module>'],
  );
  const natives = main.frames.map((f) => f.language);
  assert.equal(natives.indexOf('python'), natives.lastIndexOf('native') + 1);
  assert.equal(snap.threads.filter((x) => x.pythonMarkers.length > 0).length, 33);
});
