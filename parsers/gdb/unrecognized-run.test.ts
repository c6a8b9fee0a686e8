import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning } from '../model.js';
import { snippet, UnrecognizedRun } from './unrecognized-run.js';

test('a run of lines gives one warning with the first line and the count', () => {
  const warnings: ParseWarning[] = [];
  const run = new UnrecognizedRun(['a', 'b', 'c', 'd'], collectingContext(DEFAULT_LIMITS, warnings));
  run.note(1);
  run.note(2);
  run.flush();
  run.flush();
  run.note(3);
  run.flush();
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [
      ['unrecognized_line', 2],
      ['unrecognized_line', 4],
    ],
  );
  assert.match(warnings[0]?.message ?? '', /found 'b' \(and 1 more lines after it\)$/);
  assert.match(warnings[1]?.message ?? '', /found 'd'$/);
});

test('snippets are cut', () => {
  assert.equal(snippet('x'.repeat(200)).length, 81);
  assert.equal(snippet('short'), 'short');
});
