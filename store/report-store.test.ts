import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { Report } from '../report/schema.js';
import { keysMatching, startTestRedis, type TestRedis, testPrefix } from '../test/helpers/redis.js';
import { decodeCase, encodeCase } from './case-codec.js';
import { storeKeys } from './keys.js';
import { createRedis } from './redis.js';
import { isReportId, newReportId } from './report-id.js';
import { ReportStore, SIGNATURE_REPORTS_KEPT } from './report-store.js';
import { SignatureIndex } from './signature-index.js';

let redis: TestRedis;
let client: Redis;
const prefix = testPrefix('store');
const keys = storeKeys(prefix);
let store: ReportStore;
let signatures: SignatureIndex;

before(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'command');
  store = new ReportStore(client, keys, { ttlSeconds: 600, maxCaseBytes: 1024 * 1024 });
  signatures = new SignatureIndex(client, keys);
});

after(async () => {
  client.disconnect();
  await redis.stop();
});

/** The smallest report v1 the store has to carry. */
function report(signature: string): Report {
  return { version: 1, id: null, signature, summary: 's', inputs: [], processes: [], threads: [], groups: [], diagnoses: [] };
}

test('report ids are r_ + 22 base64url characters, never with ":" and never twice', () => {
  const ids = new Set(Array.from({ length: 1000 }, newReportId));
  assert.equal(ids.size, 1000);
  for (const id of ids) {
    assert.match(id, /^r_[A-Za-z0-9_-]{22}$/);
    assert.ok(isReportId(id));
  }
  assert.ok(!isReportId('r_short'));
  assert.ok(!isReportId('r_AAAAAAAAAAAAAAAAAAAAAA:x'));
});

test('a case round-trips through the codec, binary and gzipped parts kept byte for byte', async () => {
  const gz = gzipSync(Buffer.from('Thread 1 (LWP 1):\n#0  0x1 in f ()\n'));
  const files = [
    { name: 'a.txt', bytes: Buffer.from('hello\n'), format: 'gdb' as const },
    { name: 'ü/б.gz', bytes: gz, format: undefined },
    { name: 'empty', bytes: Buffer.alloc(0), format: undefined },
  ];
  const back = await decodeCase(await encodeCase(files), 1024 * 1024);
  assert.deepEqual(
    back.map((f) => ({ name: f.name, bytes: Buffer.from(f.bytes).toString('hex'), format: f.format })),
    files.map((f) => ({ name: f.name, bytes: f.bytes.toString('hex'), format: f.format })),
  );
});

test('accept writes the case and a queued record with a TTL; withdraw removes both', async () => {
  const id = newReportId();
  await store.accept(id, [{ name: 'x.txt', bytes: Buffer.from('x') }]);
  const record = await store.get(id);
  assert.equal(record?.status, 'queued');
  assert.equal(record?.report, null);
  assert.ok((await client.ttl(keys.case(id))) > 0);
  assert.ok((await client.ttl(keys.report(id))) > 0);
  assert.equal((await store.loadCase(id))?.[0]?.name, 'x.txt');
  await store.withdraw(id);
  assert.deepEqual(await keysMatching(redis.admin, `${prefix}:*${id}*`), []);
  assert.equal(await store.get(id), null);
});

test('complete stores the report, drops the case and counts the signature once per report', async () => {
  const sig = `v1:${newReportId().slice(2, 14)}`;
  const a = newReportId();
  const b = newReportId();
  for (const id of [a, b]) await store.accept(id, [{ name: 'x.txt', bytes: Buffer.from('x') }]);
  assert.ok(await store.markProcessing(a));
  assert.equal((await store.get(a))?.status, 'processing');
  assert.ok(await store.complete(a, { ...report(sig), id: a }));
  // A retried job completes the same report again: overwritten, not counted twice.
  assert.ok(await store.complete(a, { ...report(sig), id: a }));
  assert.equal((await signatures.get(sig))?.count, 1);
  assert.ok(await store.complete(b, { ...report(sig), id: b }));
  const stats = await signatures.get(sig);
  assert.equal(stats?.count, 2);
  assert.deepEqual(stats?.reportIds, [b, a]);
  assert.ok(stats && stats.firstSeen <= stats.lastSeen);
  const done = await store.get(a);
  assert.equal(done?.status, 'done');
  assert.equal(done?.report?.id, a);
  assert.equal(await store.loadCase(a), null, 'case files are dropped once the report is done');
});

test('the signature index keeps only the newest report ids', async () => {
  const sig = 'v1:keepnewest';
  const ids: string[] = [];
  for (let i = 0; i < SIGNATURE_REPORTS_KEPT + 3; i++) {
    const id = newReportId();
    ids.push(id);
    await store.accept(id, [{ name: 'x', bytes: Buffer.from('x') }]);
    await store.complete(id, { ...report(sig), id });
  }
  const stats = await signatures.get(sig);
  assert.equal(stats?.count, SIGNATURE_REPORTS_KEPT + 3);
  assert.deepEqual(stats?.reportIds, ids.slice(-SIGNATURE_REPORTS_KEPT).reverse());
});

test('fail keeps a reason for the user and drops the case', async () => {
  const id = newReportId();
  await store.accept(id, [{ name: 'x.txt', bytes: Buffer.from('x') }]);
  assert.ok(await store.fail(id, 'nothing could be read'));
  const record = await store.get(id);
  assert.equal(record?.status, 'failed');
  assert.equal(record?.error, 'nothing could be read');
  assert.equal(await store.loadCase(id), null);
});

test('no write recreates a record that expired or was withdrawn', async () => {
  const id = newReportId();
  assert.equal(await store.markProcessing(id), false);
  assert.equal(await store.complete(id, report('v1:gone')), false);
  assert.equal(await store.fail(id, 'x'), false);
  assert.deepEqual(await keysMatching(redis.admin, `${prefix}:*${id}*`), []);
  assert.equal(await signatures.get('v1:gone'), null);
});
