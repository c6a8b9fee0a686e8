/**
 * Both Python dump parsers over every corpus file (their own and other formats': foreign text
 * is normal input), cut at many lines, with junk around, repeated, and randomly mutated: they
 * never throw and stay within the limits.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { faulthandlerFormat } from './faulthandler/index.js';
import { collectingContext } from './format.js';
import type { ParseWarning } from './model.js';
import { tracebackDumpFormat } from './traceback-dump/index.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const SMALL = { ...DEFAULT_LIMITS, maxThreads: 7, maxFramesPerThread: 3, maxSnapshots: 2, maxWarnings: 10 };
const FORMATS = [faulthandlerFormat, tracebackDumpFormat];

function corpusTexts(): Array<{ name: string; text: string }> {
  if (!existsSync(CORPUS)) return [];
  const out = [];
  for (const c of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, c);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.txt')) out.push({ name: `${c}/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  }
  return out;
}

function parseWithin(text: string): void {
  const lines = text.split('\n');
  for (const format of FORMATS) {
    const warnings: ParseWarning[] = [];
    const snapshots = format.parse(lines, 0, lines.length, collectingContext(SMALL, warnings));
    assert.ok(warnings.length <= SMALL.maxWarnings);
    assert.ok(snapshots.length <= SMALL.maxSnapshots, `${format.name}: ${snapshots.length} snapshots`);
    for (const s of snapshots) {
      assert.ok(s.threads.length <= SMALL.maxThreads, `${format.name}: ${s.threads.length} threads`);
      for (const t of s.threads) assert.ok(t.frames.length <= SMALL.maxFramesPerThread, `${format.name}: ${t.frames.length} frames`);
    }
    for (const line of lines) {
      const score = format.signature(line);
      assert.ok(score >= 0 && score <= 1);
    }
  }
}

const texts = corpusTexts();
if (texts.length === 0) test('python dump robustness', (t) => t.skip(`no corpus at ${CORPUS}`));

for (const f of texts) {
  test(`robustness ${f.name}: cuts, junk around, repetition`, () => {
    const lines = f.text.split('\n');
    const step = Math.max(1, Math.floor(lines.length / 40));
    for (let cut = 0; cut <= lines.length; cut += step) {
      parseWithin(lines.slice(0, cut).join('\n'));
      parseWithin(lines.slice(cut).join('\n'));
    }
    parseWithin(f.text.slice(0, Math.floor(f.text.length / 2) + 7));
    parseWithin(`INFO starting\n$ kill -USR1 1234\n${f.text}\n== done ==\n`);
    parseWithin(`${f.text}\n${f.text}\n${f.text}`);
  });
}

test('robustness: random mutations never throw', () => {
  if (texts.length === 0) return;
  const mutation = fc.record({
    file: fc.integer({ min: 0, max: texts.length - 1 }),
    at: fc.nat(),
    junk: fc.oneof(
      fc.string(),
      fc.constantFrom(
        '  File "',
        'Thread 0x',
        'Current thread 0x1 (most recent call first):\n',
        'Greenlet 0x',
        '* Greenlets\n',
        'Process 1: ',
        '    ',
        '\n...\n',
      ),
    ),
    drop: fc.nat({ max: 300 }),
  });
  fc.assert(
    fc.property(mutation, (m) => {
      const text = (texts[m.file] as { text: string }).text;
      const at = m.at % (text.length + 1);
      parseWithin(text.slice(0, at) + m.junk + text.slice(Math.min(text.length, at + m.drop)));
    }),
    { numRuns: 300, seed: 20261122 },
  );
});

test('robustness: a 100k-line dump parses in linear time', () => {
  const block = ['Thread 0x00007f0000001000 (most recent call first):', '  File "/a.py", line 1 in f', ''];
  const text = Array.from({ length: 34_000 }, (_, i) => block.join('\n').replace('1000', (0x1000 + i).toString(16))).join('\n');
  const lines = text.split('\n');
  for (const format of FORMATS) {
    format.parse(lines, 0, lines.length, collectingContext(DEFAULT_LIMITS, []));
  }
});
