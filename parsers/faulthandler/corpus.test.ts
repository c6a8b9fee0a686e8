/**
 * Every corpus file whose expect.json names the `faulthandler` format, parsed for real:
 * general facts for all of them, and the thread ids, counts and top frames of the known ones.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning } from '../model.js';
import { faulthandlerFormat } from './index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

interface Known {
  threads: number;
  ids: string[];
  current: string;
  /** Innermost frame of the current thread: `function file:line`. */
  currentTop: string;
  crashSignal: string | null;
}

const KNOWN: Record<string, Known> = {
  'py-crash-abort/faulthandler.txt': {
    threads: 5,
    ids: ['0x7fbf3a9756c0', '0x7fbf3b17a6c0', '0x7fbf3b97b6c0', '0x7fbf3c17c6c0', '0x7fbf3c57f040'],
    current: '0x7fbf3c57f040',
    currentTop: 'check_invariants /srv/demo/crash_abort.py:27',
    crashSignal: 'SIGABRT',
  },
  'py-gevent-blocked-hub/faulthandler.txt': {
    threads: 3,
    ids: ['0x7fd0ba4fe6c0', '0x7fd0badff6c0', '0x7fd0bc62f040'],
    current: '0x7fd0bc62f040',
    currentTop: 'export_report /srv/demo/gevent_app.py:74',
    crashSignal: null,
  },
  'py-gil-gthread-40/faulthandler.txt': {
    threads: 41,
    ids: [],
    current: '0x7f4f11ce2040',
    currentTop: 'select /usr/lib/python3.11/selectors.py:468',
    crashSignal: null,
  },
  'py-mp-queue-join-hang/faulthandler-child.txt': {
    threads: 2,
    ids: ['0x7f89ee07c6c0', '0x7f89ee819040'],
    current: '0x7f89ee819040',
    currentTop: '_wait_for_tstate_lock /usr/lib/python3.11/threading.py:1132',
    crashSignal: null,
  },
  'py-mp-queue-join-hang/faulthandler-parent.txt': {
    threads: 1,
    ids: ['0x7f89ee819040'],
    current: '0x7f89ee819040',
    currentTop: 'poll /usr/lib/python3.11/multiprocessing/popen_fork.py:27',
    crashSignal: null,
  },
};

function faulthandlerFiles(): Array<{ caseName: string; dir: string; file: string; threadCount: number | null }> {
  const out = [];
  for (const caseName of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, caseName);
    const expectPath = join(dir, 'expect.json');
    if (!existsSync(expectPath)) continue;
    const expect = JSON.parse(readFileSync(expectPath, 'utf8')) as { files?: Record<string, string>; threads?: { count?: number | null } };
    for (const [file, format] of Object.entries(expect.files ?? {})) {
      if (format === 'faulthandler') out.push({ caseName, dir, file, threadCount: expect.threads?.count ?? null });
    }
  }
  return out;
}

if (!existsSync(CORPUS)) {
  test('faulthandler corpus', (t) => t.skip(`no corpus at ${CORPUS}`));
} else {
  for (const f of faulthandlerFiles()) {
    const key = `${f.caseName}/${f.file}`;
    test(`corpus ${key}`, () => {
      const lines = readFileSync(join(f.dir, f.file), 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const warnings: ParseWarning[] = [];
      const snapshots = faulthandlerFormat.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, warnings));
      assert.deepEqual(warnings, []);
      assert.equal(snapshots.length, 1);
      const threads = snapshots[0]?.threads ?? [];
      assert.ok(threads.length > 0);
      for (const t of threads) {
        assert.match(t.pthreadId ?? '', /^0x[1-9a-f][0-9a-f]*$/);
        assert.equal(t.name, null, 'CPython 3.11 prints no thread names');
        assert.ok(t.frames.every((fr) => fr.language === 'python' && fr.file !== null && fr.line !== null));
      }
      // A one-process case states its thread count, which faulthandler shows in full.
      if (f.threadCount !== null) assert.equal(threads.length, f.threadCount);
      // The same pthread ids appear in gdb's `Thread 0x7f… (LWP n)` lines of the case.
      const gdbText = readdirSync(f.dir)
        .filter((n) => n.startsWith('gdb-') && n.includes('info-threads'))
        .map((n) => readFileSync(join(f.dir, n), 'utf8').toLowerCase())
        .join('\n');
      if (gdbText !== '')
        for (const t of threads) assert.ok(gdbText.includes(`thread ${t.pthreadId} `), `${t.pthreadId} not in gdb info threads`);

      const known = KNOWN[key];
      if (!known) return;
      assert.equal(threads.length, known.threads);
      if (known.ids.length > 0)
        assert.deepEqual(
          threads.map((t) => t.pthreadId),
          known.ids,
        );
      const current = threads.filter((t) => t.isCurrent);
      assert.deepEqual(
        current.map((t) => t.pthreadId),
        [known.current],
      );
      const top = current[0]?.frames[0];
      assert.equal(`${top?.function} ${top?.file}:${top?.line}`, known.currentTop);
      assert.equal(snapshots[0]?.crash?.signal ?? null, known.crashSignal);
      if (known.crashSignal !== null) assert.equal(snapshots[0]?.crash?.pthreadId, known.current);
    });
  }
}
