/**
 * Robustness sweeps over the process-snapshot formats (ps, pstree, top, pidstat, strace):
 * every corpus file cut at every line, junk around it, random lines, and 100k-line inputs
 * never throw and stay within the limits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { corpusText } from '../test/support/parser-harness.js';
import type { DumpFormat } from './format.js';
import { collectingContext } from './format.js';
import type { ParseWarning, Snapshot } from './model.js';
import { pidstatFormat } from './pidstat/index.js';
import { psFormat } from './ps/index.js';
import { pstreeFormat } from './pstree/index.js';
import { straceFormat } from './strace/index.js';
import { topFormat } from './top/index.js';

const CORPUS: Array<{ format: DumpFormat; files: string[] }> = [
  {
    format: psFormat,
    files: [
      'py-gil-gthread-40/ps-L.txt',
      'py-gil-gthread-40/ps-auxwL.txt',
      'py-mp-queue-join-hang/ps-axf.txt',
      'py-mp-queue-join-hang/ps-L.txt',
      'c-mutex-deadlock/ps-auxwL.txt',
    ],
  },
  { format: pstreeFormat, files: ['py-mp-queue-join-hang/pstree.txt'] },
  { format: topFormat, files: ['py-gil-gthread-40/top-H.txt', 'py-gevent-blocked-hub/top-H.txt'] },
  { format: pidstatFormat, files: ['py-gil-gthread-40/pidstat.txt', 'py-gil-gthread-40/pidstat-u.txt'] },
  { format: straceFormat, files: ['py-gil-gthread-40/strace-c.txt'] },
];

const toLines = (text: string) => text.split('\n').map((l) => l.trimEnd());

function parse(format: DumpFormat, lines: readonly string[], limits = DEFAULT_LIMITS): { snapshots: Snapshot[]; warnings: ParseWarning[] } {
  const warnings: ParseWarning[] = [];
  const snapshots = format.parse(lines, 0, lines.length, collectingContext(limits, warnings));
  return { snapshots, warnings };
}

function assertWithinLimits(result: { snapshots: Snapshot[]; warnings: ParseWarning[] }, lineCount: number, limits = DEFAULT_LIMITS): void {
  assert.ok(result.snapshots.length <= limits.maxSnapshots);
  assert.ok(result.warnings.length <= limits.maxWarnings);
  result.snapshots.forEach((s, i) => {
    assert.equal(s.index, i);
    assert.ok(s.threads.length <= limits.maxThreads);
    assert.ok(s.line >= 1 && s.line <= lineCount);
  });
  for (const w of result.warnings)
    assert.ok(w.line === null || (w.line >= 1 && w.line <= lineCount), `warning line ${w.line} outside 1..${lineCount}`);
}

for (const { format, files } of CORPUS) {
  for (const file of files) {
    test(`${format.name}: ${file} cut at every line never throws`, (t) => {
      const text = corpusText(file);
      if (text === null) return t.skip('corpus not present');
      const lines = toLines(text);
      for (let cut = 0; cut <= lines.length; cut++) assertWithinLimits(parse(format, lines.slice(0, cut)), cut);
    });

    test(`${format.name}: ${file} with junk around it reads the same`, (t) => {
      const text = corpusText(file);
      if (text === null) return t.skip('corpus not present');
      const lines = toLines(text);
      const clean = parse(format, lines).snapshots;
      const junk = ['Last login: Fri Nov 21 23:20:01 2026 from 10.0.0.2', '$ echo hi', 'hi', ''];
      const wrapped = [...junk, ...lines, '', 'logout'];
      const start = junk.length;
      const warnings: ParseWarning[] = [];
      const got = format.parse(wrapped, start, start + lines.length, collectingContext(DEFAULT_LIMITS, warnings));
      assert.deepEqual(
        got.map((s) => [s.threads.length, s.processes.length, s.syscalls?.length ?? null, s.line - start]),
        clean.map((s) => [s.threads.length, s.processes.length, s.syscalls?.length ?? null, s.line]),
      );
      const all = parse(format, wrapped);
      assert.equal(all.snapshots.length, clean.length);
    });
  }
}

const FORMATS = [psFormat, pstreeFormat, topFormat, pidstatFormat, straceFormat];

// Lines built from the pieces these tools print, so random input reaches the parsers' deeper states.
const PIECES = [
  '  PID   LWP %CPU STAT WCHAN COMMAND',
  'top - 10:00:00 up 1 min,  1 user,  load average: 0.00, 0.00, 0.00',
  'Threads:   2 total,   1 running',
  '  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND',
  '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
  '% time     seconds  usecs/call     calls    errors syscall',
  '[pid 12] ',
  '<... futex resumed>',
  ' <unfinished ...>',
  '|-',
  '`-',
  '├─',
  '---',
  '-+-',
  '(12)',
  ',12',
  '{x}',
  '2*[',
  ']',
  ' = -1 EAGAIN (x)',
  ' <0.000001>',
  '"',
  '\\',
  ')',
  '(',
  ' - ',
  ' 12 ',
  '0.0',
  '19,00',
  '\\_ ',
  'Average:',
  '  ',
];

test('random lines made of tool output pieces never throw, in any format', () => {
  const line = fc
    .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 })), { maxLength: 12 })
    .map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      for (const format of FORMATS) {
        for (const l of lines) {
          const score = format.signature(l);
          assert.ok(score >= 0 && score <= 1);
        }
        assertWithinLimits(parse(format, lines), lines.length);
      }
    }),
    { numRuns: 300 },
  );
});

const BIG = 100_000;
const bigInputs: Array<{ format: DumpFormat; lines: () => string[] }> = [
  {
    format: psFormat,
    lines: () => [
      '  PID   LWP %CPU STAT WCHAN COMMAND',
      ...Array.from({ length: BIG }, (_, i) => `  100 ${1000 + i}  0.1 Sl   futex_do_wait worker`),
    ],
  },
  {
    format: pstreeFormat,
    lines: () => ['app,100', ...Array.from({ length: BIG }, (_, i) => `  |-{worker},${1000 + i}`)],
  },
  {
    format: topFormat,
    lines: () => [
      'top - 10:00:00 up 1 min,  1 user,  load average: 0.00, 0.00, 0.00',
      'Threads: 100000 total,   1 running',
      '  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND',
      ...Array.from({ length: BIG }, (_, i) => `${1000 + i} root 20 0 1 1 1 S 0.1 0.0 0:00.01 worker`),
    ],
  },
  {
    format: pidstatFormat,
    lines: () => [
      '23:24:55      UID      TGID       TID   cswch/s nvcswch/s  Command',
      '23:24:56        0       100         -      1.00      0.00  app',
      ...Array.from({ length: BIG }, (_, i) => `23:24:56        0         -     ${1000 + i}      1.00      0.00  |__worker`),
    ],
  },
  {
    format: straceFormat,
    lines: () => Array.from({ length: BIG }, (_, i) => `[pid ${1000 + (i % 30_000)}] futex(0x7f, FUTEX_WAKE_PRIVATE, 1) = 0 <0.000002>`),
  },
];

for (const c of bigInputs) {
  test(`${c.format.name}: a 100k-line input stays within the limits`, () => {
    const lines = c.lines();
    const result = parse(c.format, lines);
    assertWithinLimits(result, lines.length);
    assert.ok(result.snapshots.length >= 1);
    assert.ok(result.warnings.some((w) => w.code === 'too_many_threads'));
  });
}
