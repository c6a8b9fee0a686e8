/**
 * Every corpus file whose expect.json names the `traceback_dump` format, parsed for real:
 * general facts for all of them, and the threads, greenlets and reports of the known ones.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning, Snapshot } from '../model.js';
import { tracebackDumpFormat } from './index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

function files(): Array<{ caseName: string; dir: string; file: string; threadCount: number | null }> {
  const out = [];
  for (const caseName of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, caseName);
    const expectPath = join(dir, 'expect.json');
    if (!existsSync(expectPath)) continue;
    const expect = JSON.parse(readFileSync(expectPath, 'utf8')) as { files?: Record<string, string>; threads?: { count?: number | null } };
    for (const [file, format] of Object.entries(expect.files ?? {})) {
      if (format === 'traceback_dump') out.push({ caseName, dir, file, threadCount: expect.threads?.count ?? null });
    }
  }
  return out;
}

const top = (s: Snapshot, id: string) => {
  const f = s.threads.find((t) => t.pthreadId === id)?.frames[0];
  return `${f?.function} ${f?.file}:${f?.line}`;
};

const KNOWN: Record<string, (snapshots: Snapshot[]) => void> = {
  'py-gevent-blocked-hub/traceback-dump.txt': (snapshots) => {
    assert.equal(snapshots.length, 1);
    const s = snapshots[0] as Snapshot;
    const threads = s.threads.filter((t) => t.kind === 'thread');
    assert.deepEqual(
      threads.map((t) => [t.pthreadId, t.name]),
      [
        ['0x7fd0ba4fe6c0', 'gevent-monitor'],
        ['0x7fd0badff6c0', 'stack-dumper'],
        ['0x7fd0bc62f040', 'MainThread'],
      ],
    );
    assert.equal(top(s, '0x7fd0bc62f040'), 'export_report /srv/demo/gevent_app.py:74');
    assert.equal(top(s, '0x7fd0badff6c0'), 'dump_all_stacks /srv/demo/gevent_app.py:37');
    const greenlets = s.threads.filter((t) => t.kind === 'greenlet');
    assert.deepEqual(
      greenlets.map((g) => g.name),
      ['Hub', ...Array.from({ length: 9 }, (_, i) => `Greenlet-${i}`), 'greenlet'],
    );
    assert.ok(greenlets.every((g) => g.pthreadId === null && g.hostPthreadId === null));
    const hub = greenlets[0]?.frames[0];
    assert.deepEqual([hub?.function, hub?.line, hub?.sourceText], ['run', 647, 'loop.run()']);
    assert.deepEqual(
      greenlets[1]?.frames.map((f) => f.function),
      ['recv', 'handle_client'],
    );
  },
  'py-gevent-blocked-hub/gevent-monitor.txt': (snapshots) => {
    assert.deepEqual(
      snapshots.map((s) => s.label),
      ['2026-11-21T23:26:55Z', '2026-11-21T23:26:56Z', '2026-11-21T23:26:58Z'],
    );
    for (const s of snapshots) {
      assert.deepEqual(
        s.threads.map((t) => [t.pthreadId, t.name, t.isCurrent, t.kind]),
        [
          ['0x7fd0ba4fe6c0', null, true, 'thread'],
          ['0x7fd0badff6c0', null, false, 'thread'],
          ['0x7fd0bc62f040', null, false, 'thread'],
        ],
      );
      assert.deepEqual(
        s.notes.map((n) => [n.kind, n.pthreadId]),
        [['event_loop_blocked', '0x7fd0bc62f040']],
      );
      assert.equal(top(s, '0x7fd0bc62f040'), 'export_report /srv/demo/gevent_app.py:74');
      assert.equal(top(s, '0x7fd0ba4fe6c0'), '_format_thread_info /usr/lib/python3/dist-packages/gevent/util.py:189');
      // `Spawned at:` stacks of the greenlet tree never become frames.
      assert.ok(s.threads.every((t) => t.frames.every((f) => f.function !== '<listcomp>' && f.line !== 118)));
    }
    assert.deepEqual(
      snapshots.map((s) => top(s, '0x7fd0badff6c0')),
      ['stack_dumper /srv/demo/gevent_app.py:56', 'stack_dumper /srv/demo/gevent_app.py:56', 'stack_dumper /srv/demo/gevent_app.py:59'],
    );
  },
};

if (!existsSync(CORPUS)) {
  test('traceback_dump corpus', (t) => t.skip(`no corpus at ${CORPUS}`));
} else {
  for (const f of files()) {
    const key = `${f.caseName}/${f.file}`;
    test(`corpus ${key}`, () => {
      const lines = readFileSync(join(f.dir, f.file), 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const warnings: ParseWarning[] = [];
      const snapshots = tracebackDumpFormat.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, warnings));
      assert.deepEqual(warnings, []);
      assert.ok(snapshots.length > 0);
      const gdbText = readdirSync(f.dir)
        .filter((n) => n.startsWith('gdb-') && n.includes('info-threads'))
        .map((n) => readFileSync(join(f.dir, n), 'utf8').toLowerCase())
        .join('\n');
      for (const s of snapshots) {
        const threads = s.threads.filter((t) => t.kind === 'thread');
        if (f.threadCount !== null) assert.equal(threads.length, f.threadCount);
        for (const t of threads) {
          assert.match(t.pthreadId ?? '', /^0x[1-9a-f][0-9a-f]*$/);
          if (gdbText !== '') assert.ok(gdbText.includes(`thread ${t.pthreadId} `), `${t.pthreadId} not in gdb info threads`);
        }
        for (const t of s.threads)
          assert.ok(t.frames.every((fr) => fr.language === 'python' && fr.file !== null && fr.line !== null && fr.sourceText));
      }
      KNOWN[key]?.(snapshots);
    });
  }
}
