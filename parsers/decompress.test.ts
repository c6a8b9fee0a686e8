import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { inflateCapped, isGzip } from './decompress.js';

test('plain bytes pass through, cut at the cap', () => {
  const r = inflateCapped(new TextEncoder().encode('hello world'), 5);
  assert.equal(new TextDecoder().decode(r.bytes), 'hello');
  assert.deepEqual([r.wasGzip, r.truncated, r.error], [false, true, null]);
});

test('gzip inflates, concatenated members included', () => {
  const gz = Buffer.concat([gzipSync('Thread 1 (LWP 5):\n'), gzipSync('#0  main ()\n')]);
  assert.ok(isGzip(gz));
  const r = inflateCapped(gz, 1 << 20);
  assert.equal(new TextDecoder().decode(r.bytes), 'Thread 1 (LWP 5):\n#0  main ()\n');
  assert.deepEqual([r.wasGzip, r.truncated], [true, false]);
});

test('a gzip bomb stops at the cap instead of allocating it all', () => {
  const bomb = gzipSync(Buffer.alloc(20_000_000, 0x61));
  const r = inflateCapped(bomb, 100_000);
  assert.ok(r.bytes.length <= 100_000);
  assert.ok(r.bytes.length > 50_000, `kept ${r.bytes.length} bytes`);
  assert.equal(r.truncated, true);
});

test('a cut gzip stream keeps what inflated before the cut', () => {
  const text = 'line\n'.repeat(100_000);
  const gz = gzipSync(text);
  const r = inflateCapped(gz.subarray(0, Math.floor(gz.length / 2)), 1 << 24);
  assert.ok(r.error);
  assert.ok(r.bytes.length > 0 && r.bytes.length < text.length);
  assert.ok(new TextDecoder().decode(r.bytes).startsWith('line\nline\n'));
});

test('two bytes of magic and nothing else is not a crash', () => {
  const r = inflateCapped(new Uint8Array([0x1f, 0x8b]), 1000);
  assert.equal(r.bytes.length, 0);
  assert.ok(r.error);
});
