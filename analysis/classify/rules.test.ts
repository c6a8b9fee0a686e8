import assert from 'node:assert/strict';
import { test } from 'node:test';
import { THREAD_STATES } from '../../report/schema.js';
import { RULES } from './rules.js';

test('rule ids are unique', () => {
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
});

test('rule ids read family.what and never clash with the no-match id', () => {
  for (const r of RULES) {
    assert.match(r.id, /^[a-z0-9_]+\.[a-z0-9_]+$/, r.id);
    assert.notEqual(r.id, 'none');
  }
});

test('every rule has a one-line why and a contract state', () => {
  for (const r of RULES) {
    assert.ok(r.why.length > 10 && !r.why.includes('\n'), r.id);
    assert.ok((THREAD_STATES as readonly string[]).includes(r.state), r.id);
  }
});

test('running verdicts name no blocking frame', () => {
  for (const r of RULES.filter((x) => x.state === 'running')) assert.equal(r.blocking, null, r.id);
});

test('only waits are idle', () => {
  for (const r of RULES.filter((x) => x.idle)) assert.ok(r.state !== 'running' && r.state !== 'unknown', r.id);
});
