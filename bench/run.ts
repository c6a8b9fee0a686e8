/**
 * `npm run bench`: throughput of detection + parsing per format, and of full triage
 * (parse + correlate + classify + group + diagnose), on large inputs built from the real
 * corpus. Prints a Markdown table (the one in the README). Speed lives here, never in tests.
 *
 *   npm run bench -- [--mb N] [--runs N] [--threads N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeCase } from '../analysis/triage.js';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { Format } from '../parsers/model.js';
import { readInput } from '../parsers/read-input.js';
import { CORPUS_DIR, hasCorpus } from '../test/support/corpus.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TARGET_MB = opt('--mb', 100);
const RUNS = opt('--runs', 3);
const THREADS = opt('--threads', 10_000);

// Large inputs must not be cut by the service limits while being measured.
const LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  maxFileBytes: 2 ** 31 - 1,
  maxCaseBytes: 2 ** 31 - 1,
  maxThreads: 1_000_000,
  maxSnapshots: 1_000_000,
};

function corpusText(path: string): string {
  return readFileSync(join(CORPUS_DIR, path), 'utf8');
}

/** Repeats `unit` (with a counter substituted into `{n}`) until the text reaches `bytes`. */
function repeatTo(head: string, unit: (n: number) => string, bytes: number): string {
  const parts = [head];
  let size = head.length;
  for (let n = 0; size < bytes; n++) {
    const u = unit(n);
    parts.push(u);
    size += u.length;
  }
  return parts.join('');
}

/** The thread sections of a gdb `thread apply all bt`, as a template with renumbered LWPs. */
function gdbThreadSections(text: string): string[] {
  const start = text.indexOf('\nThread ');
  const body = text.slice(start + 1).replace(/\[Inferior[^\n]*\n?/g, '');
  return body.split(/\n(?=Thread \d+ \()/).map((s) => `${s.trimEnd()}\n\n`);
}

function gdbDump(bytes: number): string {
  const sections = gdbThreadSections(corpusText('py-gil-gthread-40/gdb-bt.txt'));
  return repeatTo(
    '[Thread debugging using libthread_db enabled]\n',
    (n) => {
      const s = sections[n % sections.length] as string;
      return s.replace(
        /^Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP \d+\)/,
        `Thread ${n + 1} (Thread 0x${(0x7f0000000000 + n * 0x1000).toString(16)} (LWP ${100000 + n})`,
      );
    },
    bytes,
  );
}

function gdbThreads(count: number): string {
  const sections = gdbThreadSections(corpusText('py-gil-gthread-40/gdb-bt.txt'));
  const parts = ['[Thread debugging using libthread_db enabled]\n'];
  for (let n = 0; n < count; n++) {
    const s = sections[n % sections.length] as string;
    parts.push(
      s.replace(
        /^Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP \d+\)/,
        `Thread ${count - n} (Thread 0x${(0x7f0000000000 + n * 0x1000).toString(16)} (LWP ${100000 + n})`,
      ),
    );
  }
  return parts.join('');
}

function sectionsOf(text: string, header: RegExp): string[] {
  return text.split(header).filter((s) => s.trim() !== '');
}

function faulthandlerDump(bytes: number): string {
  const sections = sectionsOf(corpusText('py-gil-gthread-40/faulthandler.txt'), /\n(?=Thread 0x|Current thread 0x)/);
  return repeatTo(
    '',
    (n) =>
      `${(sections[n % sections.length] as string).replace(/^(Current t|T)hread 0x[0-9a-f]+/, `Thread 0x${(0x7f0000000000 + n * 0x1000).toString(16).padStart(16, '0')}`).trimEnd()}\n\n`,
    bytes,
  );
}

function tracebackDump(bytes: number): string {
  const sections = sectionsOf(corpusText('py-gevent-blocked-hub/traceback-dump.txt'), /\n(?=Thread 0x|Greenlet 0x)/);
  return repeatTo(
    '',
    (n) =>
      `${(sections[n % sections.length] as string).replace(/^(Thread|Greenlet) 0x[0-9a-f]+/, `Thread 0x${(0x7f0000000000 + n * 0x1000).toString(16)}`).trimEnd()}\n\n`,
    bytes,
  );
}

function tableRows(path: string, bytes: number, pidColumn: (row: string, n: number) => string): string {
  const lines = corpusText(path)
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = `${lines[0] as string}\n`;
  const rows = lines.slice(1);
  return repeatTo(header, (n) => `${pidColumn(rows[n % rows.length] as string, n)}\n`, bytes);
}

function psDump(bytes: number): string {
  return tableRows('py-gil-gthread-40/ps-L.txt', bytes, (row, n) =>
    row.replace(/^(\s*\d+\s+)\d+/, (_m, pid: string) => `${pid}${100000 + n}`),
  );
}

function topDump(bytes: number): string {
  const text = corpusText('py-gil-gthread-40/top-H.txt');
  return repeatTo('', () => `${text.trimEnd()}\n\n`, bytes);
}

function pidstatDump(bytes: number): string {
  const text = corpusText('py-gil-gthread-40/pidstat.txt');
  const [banner, ...rest] = text.split('\n');
  const body = rest.filter((l) => !l.startsWith('Average:')).join('\n');
  return repeatTo(`${banner ?? ''}\n`, () => `${body.trimEnd()}\n\n`, bytes);
}

function straceRaw(bytes: number): string {
  const calls = [
    (n: number) =>
      `[pid ${1000 + (n % 50)}] 10:00:00.${String(n % 1_000_000).padStart(6, '0')} poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout) <0.000004>\n`,
    (n: number) =>
      `[pid ${1000 + (n % 50)}] 10:00:00.${String(n % 1_000_000).padStart(6, '0')} futex(0x7f00, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>\n`,
    (n: number) => `[pid ${1000 + (n % 50)}] 10:00:00.${String(n % 1_000_000).padStart(6, '0')} <... futex resumed>) = 0 <0.000120>\n`,
  ];
  return repeatTo('', (n) => (calls[n % calls.length] as (n: number) => string)(n), bytes);
}

function pstreeDump(bytes: number): string {
  return repeatTo('systemd,1\n', (n) => `  |-python3,${2000 + n} /srv/app.py\n  |   |-{python3},${500000 + n}\n`, bytes);
}

const GENERATORS: Array<{ format: Format; make: (bytes: number) => string }> = [
  { format: 'gdb', make: gdbDump },
  { format: 'faulthandler', make: faulthandlerDump },
  { format: 'traceback_dump', make: tracebackDump },
  { format: 'ps', make: psDump },
  { format: 'pstree', make: pstreeDump },
  { format: 'top', make: topDump },
  { format: 'pidstat', make: pidstatDump },
  { format: 'strace', make: straceRaw },
];

function best(runs: number, fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

function main(): void {
  if (!hasCorpus()) {
    console.error('bench: the shared corpus (../shared/corpus) seeds the inputs and is not beside the repository');
    process.exit(2);
  }
  const rows: string[] = [];
  rows.push('| input | size | threads read | seconds | MB/s |', '|---|---:|---:|---:|---:|');
  for (const g of GENERATORS) {
    const text = g.make(TARGET_MB * 1024 * 1024);
    const bytes = Buffer.from(text);
    let threads = 0;
    let format = '';
    const seconds = best(RUNS, () => {
      const inputs = readInput({ name: `bench.${g.format}`, bytes }, LIMITS);
      format = inputs.map((i) => i.format).join('+');
      threads = inputs.reduce((n, i) => n + i.snapshots.reduce((m, s) => m + s.threads.length, 0), 0);
    });
    if (format !== g.format) console.error(`bench: ${g.format} input was read as ${format}`);
    rows.push(
      `| ${g.format} parse | ${(bytes.length / 1e6).toFixed(0)} MB | ${threads} | ${seconds.toFixed(2)} | ${(bytes.length / 1e6 / seconds).toFixed(0)} |`,
    );
  }

  const dump = Buffer.from(gdbThreads(THREADS));
  const parseSeconds = best(RUNS, () => readInput({ name: 'threads.txt', bytes: dump }, LIMITS));
  let groups = 0;
  const triageSeconds = best(RUNS, () => {
    groups = analyzeCase([{ name: 'threads.txt', bytes: dump }], { limits: LIMITS }).groups.length;
  });
  rows.push(
    `| gdb ${THREADS} threads parse | ${(dump.length / 1e6).toFixed(0)} MB | ${THREADS} | ${parseSeconds.toFixed(2)} | ${(dump.length / 1e6 / parseSeconds).toFixed(0)} |`,
  );
  rows.push(
    `| gdb ${THREADS} threads full triage (${groups} groups) | ${(dump.length / 1e6).toFixed(0)} MB | ${THREADS} | ${triageSeconds.toFixed(2)} | ${(dump.length / 1e6 / triageSeconds).toFixed(0)} |`,
  );
  rows.push('', `full triage / parse time: ${(triageSeconds / parseSeconds).toFixed(2)}× (node ${process.version}, best of ${RUNS})`);
  console.log(rows.join('\n'));
}

main();
