/**
 * Bad input is normal input. Every corpus file, mutated the ways real pastes are mangled —
 * cut at any line, junk before and after, repeated, CRLF, gzipped, cut gzip, random bytes
 * spliced in, one huge line — must read without throwing and within the limits, and the
 * whole pipeline must still produce a valid report or a clear UnreadableCaseError.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { analyzeCase, UnreadableCaseError } from '../../analysis/triage.js';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { readInput } from '../../parsers/read-input.js';
import { ReportSchema } from '../../report/schema.js';
import { corpusCases, FIXTURES_DIR, hasCorpus } from '../support/corpus.js';

const files = [...corpusCases(), ...corpusCases(FIXTURES_DIR)].flatMap((c) =>
  c.fileNames.map((f) => ({ name: `${c.name}/${f}`, text: readFileSync(join(c.dir, f), 'utf8') })),
);
const SMALL = { ...DEFAULT_LIMITS, maxThreads: 50, maxFramesPerThread: 20, maxSnapshots: 4, maxWarnings: 20, maxLineLength: 4096 };

function readWithin(name: string, bytes: Uint8Array): void {
  const inputs = readInput({ name, bytes }, SMALL);
  assert.ok(inputs.length >= 1);
  for (const input of inputs) {
    assert.ok(input.warnings.length <= SMALL.maxWarnings, `${input.warnings.length} warnings`);
    assert.ok(input.snapshots.length <= SMALL.maxSnapshots);
    for (const s of input.snapshots) {
      assert.ok(s.threads.length <= SMALL.maxThreads, `${s.threads.length} threads`);
      for (const t of s.threads) assert.ok(t.frames.length <= SMALL.maxFramesPerThread, `${t.frames.length} frames`);
    }
  }
}

function triageOrUnreadable(name: string, bytes: Uint8Array): void {
  try {
    ReportSchema.parse(analyzeCase([{ name, bytes }], { limits: SMALL }));
  } catch (err) {
    if (!(err instanceof UnreadableCaseError)) throw err;
  }
}

const enc = (s: string) => new TextEncoder().encode(s);

if (!hasCorpus()) test('robustness sweeps', (t) => t.skip('the shared corpus is not beside the repository'));

for (const f of files) {
  test(`robustness ${f.name}: every cut, CRLF, gzip, repetition`, () => {
    const lines = f.text.split('\n');
    const step = Math.max(1, Math.floor(lines.length / 60));
    for (let cut = 0; cut <= lines.length; cut += step) {
      readWithin(f.name, enc(lines.slice(0, cut).join('\n')));
      readWithin(f.name, enc(lines.slice(cut).join('\n')));
    }
    // A cut inside a line, mid-frame.
    readWithin(f.name, enc(f.text.slice(0, Math.floor(f.text.length / 2) + 7)));
    readWithin(f.name, enc(f.text.replace(/\n/g, '\r\n')));
    readWithin(f.name, enc(`${f.text}\n${f.text}\n${f.text}`));
    const gz = gzipSync(f.text);
    readWithin(f.name, gz);
    readWithin(f.name, gz.subarray(0, Math.floor(gz.length / 2)));
    triageOrUnreadable(f.name, enc(`Some CI log line\n${f.text}\n== done ==\n`));
  });
}

test('robustness: random mutations of corpus files never throw', () => {
  if (files.length === 0) return;
  const mutation = fc.record({
    file: fc.integer({ min: 0, max: files.length - 1 }),
    at: fc.nat(),
    junk: fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('#0  ', 'Thread 1 (', '  File "', '(((((', '"""', '\0\0\0', '<<<<', 'PID LWP'),
    ),
    drop: fc.nat({ max: 400 }),
  });
  fc.assert(
    fc.property(mutation, (m) => {
      const text = (files[m.file] as (typeof files)[number]).text;
      const at = m.at % (text.length + 1);
      const mutated = text.slice(0, at) + m.junk + text.slice(Math.min(text.length, at + m.drop));
      readWithin('mutated.txt', enc(mutated));
      triageOrUnreadable('mutated.txt', enc(mutated));
    }),
    { numRuns: 150, seed: 20261121 },
  );
});

test('robustness: random bytes, empty input, junk only and one 1 MB line', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      readWithin('random.bin', bytes);
      triageOrUnreadable('random.bin', bytes);
    }),
    { numRuns: 100, seed: 7 },
  );
  readWithin('empty.txt', new Uint8Array(0));
  assert.throws(() => analyzeCase([{ name: 'empty.txt', bytes: new Uint8Array(0) }]), UnreadableCaseError);
  assert.throws(() => analyzeCase([{ name: 'junk.txt', bytes: enc('hello\nworld\n') }]), UnreadableCaseError);
  for (const prefix of ['#0  ', 'Thread 1 (Thread 0x', '  File "', '  PID   LWP ', '% time ', '[pid 1] poll(', '']) {
    readWithin('huge.txt', enc(`${prefix}${'('.repeat(1_000_000)}\n`));
  }
});
