import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DumpFormat } from './format.js';
import { segmentConfidence, segmentLines } from './segment.js';

// Two toy formats: only the segmentation logic is under test here.
const alpha: DumpFormat = { name: 'gdb', signature: (l) => (l.startsWith('A ') ? 1 : 0), parse: () => [] };
const beta: DumpFormat = { name: 'ps', signature: (l) => (l.startsWith('B ') ? 1 : l.startsWith('b ') ? 0.3 : 0), parse: () => [] };
const formats = [alpha, beta];

test('no landmark: no segment', () => {
  assert.deepEqual(segmentLines(['hello', 'b weak', ''], formats), []);
});

test('chatter before the first landmark is left out; the segment runs to the end', () => {
  const segs = segmentLines(['$ run', 'noise', 'A 1', 'x', 'A 2', 'trailing'], formats);
  assert.equal(segs.length, 1);
  assert.deepEqual([segs[0]?.start, segs[0]?.end, segs[0]?.landmarks], [2, 6, 2]);
  assert.deepEqual(
    segs[0]?.evidence.map((e) => e.line),
    [3, 5],
  );
});

test('two formats one after the other make two segments', () => {
  const segs = segmentLines(['A 1', 'A 2', 'x', 'B 1', 'b 2', 'B 3'], formats);
  assert.deepEqual(
    segs.map((s) => [s.format.name, s.start, s.end]),
    [
      ['gdb', 0, 3],
      ['ps', 3, 6],
    ],
  );
});

test('one stray landmark of another format inside a long segment does not split it', () => {
  const segs = segmentLines(['A 1', 'A 2', 'B stray', 'A 3', 'A 4'], formats);
  assert.equal(segs.length, 1);
  assert.equal(segs[0]?.landmarks, 4);
});

test('repeated runs of one format with another between stay apart', () => {
  const segs = segmentLines(['A 1', 'A 2', 'B 1', 'B 2', 'A 3', 'A 4'], formats);
  assert.deepEqual(
    segs.map((s) => s.format.name),
    ['gdb', 'ps', 'gdb'],
  );
});

test('confidence grows with landmarks and never exceeds 1', () => {
  const one = segmentLines(['A 1'], formats)[0];
  const many = segmentLines(
    Array.from({ length: 20 }, (_, i) => `A ${i}`),
    formats,
  )[0];
  assert.ok(one && many);
  assert.ok(segmentConfidence(one) < segmentConfidence(many));
  assert.ok(segmentConfidence(many) <= 1);
});
