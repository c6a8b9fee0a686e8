/**
 * The triage worker against a real Redis: real dumps become `done` reports, an unreadable case
 * fails once with a reason and is not retried, a Redis refusal is retried until it passes,
 * and the signature index counts re-uploads of the same problem.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ReportSchema } from '../report/schema.js';
import type { StoredFile } from '../store/case-codec.js';
import { storeKeys } from '../store/keys.js';
import { newReportId } from '../store/report-id.js';
import type { ReportRecord } from '../store/report-store.js';
import { eventually, startTestRedis, type TestRedis, testPrefix } from '../test/helpers/redis.js';
import { startTestApp, startTestWorker, type TestApp, type TestWorker } from '../test/helpers/server.js';
import { CORPUS_DIR } from '../test/support/corpus.js';
import { enqueueTriage } from './queue.js';

let redis: TestRedis;
let app: TestApp;
let worker: TestWorker;
const prefix = testPrefix('worker');

before(async () => {
  redis = await startTestRedis();
  app = await startTestApp(redis.url, prefix);
  worker = await startTestWorker(redis.url, prefix);
});

after(async () => {
  await worker?.close();
  await app?.close();
  await redis?.stop();
});

function corpusFiles(caseName: string, names: string[]): StoredFile[] {
  return names.map((name) => ({ name, bytes: readFileSync(join(CORPUS_DIR, caseName, name)) }));
}

/** Accepts and queues a case the way the API does. */
async function submit(target: TestApp, files: StoredFile[]): Promise<string> {
  const id = newReportId();
  await target.deps.store.accept(id, files);
  await enqueueTriage(target.deps.queue, { reportId: id, files: files.length, bytes: files.reduce((n, f) => n + f.bytes.byteLength, 0) });
  return id;
}

async function finished(target: TestApp, id: string, timeoutMs = 30_000): Promise<ReportRecord> {
  return eventually(
    `report ${id} to finish`,
    async () => {
      const r = await target.deps.store.get(id);
      return r && (r.status === 'done' || r.status === 'failed') ? r : undefined;
    },
    timeoutMs,
  );
}

const GIL_FILES = ['faulthandler.txt', 'gdb-bt.txt', 'ps-L.txt'];

test('a case of real dumps becomes a done report that matches report v1', async () => {
  const id = await submit(app, corpusFiles('py-gil-gthread-40', GIL_FILES));
  const record = await finished(app, id);
  assert.equal(record.status, 'done', record.error ?? '');
  const report = ReportSchema.parse(record.report);
  assert.equal(report.id, id);
  assert.ok(report.diagnoses.some((d) => d.code === 'gil_contention'));
  assert.deepEqual(
    report.inputs.map((i) => i.name),
    GIL_FILES,
  );
  assert.equal(await redis.admin.exists(storeKeys(prefix).case(id)), 0, 'the case files are dropped once done');
  const job = await app.deps.queue.getJob(id);
  assert.equal(await job?.getState(), 'completed');
});

test('an unreadable case fails once with a reason and is not retried', async () => {
  const id = await submit(app, [{ name: 'notes.txt', bytes: Buffer.from('just some words\nnothing like a dump\n') }]);
  const record = await finished(app, id);
  assert.equal(record.status, 'failed');
  assert.match(record.error ?? '', /notes\.txt/);
  const job = await eventually('the job to fail', async () => {
    const j = await app.deps.queue.getJob(id);
    return (await j?.getState()) === 'failed' ? j : undefined;
  });
  assert.equal(job?.attemptsMade, 1, 'UnrecoverableError: no second attempt');
  assert.match(job?.failedReason ?? '', /notes\.txt/);
});

test('two uploads of the same dumps count twice under one signature', async () => {
  const files = corpusFiles('c-mutex-deadlock', ['gdb-bt.txt']);
  const first = await finished(app, await submit(app, files));
  const second = await finished(app, await submit(app, files));
  assert.equal(first.status, 'done');
  assert.equal(second.status, 'done');
  const signature = first.report?.signature ?? '';
  assert.equal(second.report?.signature, signature);
  const stats = await app.deps.signatures.get(signature);
  assert.equal(stats?.count, 2);
  assert.deepEqual(stats?.reportIds, [second.id, first.id]);
});

test('a Redis refusal during the job is retried, and the retry finishes the report', async () => {
  // Its own prefix and worker: the store of this worker logs in as a Redis user that may not HSET.
  const retryPrefix = testPrefix('retry');
  await redis.admin.call('ACL', 'SETUSER', 'store', 'on', '>pw', '~*', '&*', '+@all', '-hset');
  const storeUrl = redis.url.replace('redis://', 'redis://store:pw@');
  const retryApp = await startTestApp(redis.url, retryPrefix);
  const retryWorker = await startTestWorker(redis.url, retryPrefix, { storeUrl });
  try {
    const id = await submit(retryApp, corpusFiles('py-gil-gthread-40', ['gdb-bt.txt']));
    const job = await eventually('the first attempt to fail', async () => {
      const j = await retryApp.deps.queue.getJob(id);
      return j && j.attemptsMade >= 1 ? j : undefined;
    });
    assert.match(job.failedReason ?? '', /NOPERM|can't run this command/);
    assert.equal((await retryApp.deps.store.get(id))?.status, 'queued', 'nothing was half-written');
    await redis.admin.call('ACL', 'SETUSER', 'store', '+hset');
    const record = await finished(retryApp, id);
    assert.equal(record.status, 'done');
    const done = await retryApp.deps.queue.getJob(id);
    assert.equal(await done?.getState(), 'completed');
    assert.equal(done?.attemptsMade, 2, 'one failed attempt, then one that succeeded');
  } finally {
    await retryWorker.close();
    await retryApp.close();
    await redis.admin.call('ACL', 'DELUSER', 'store');
  }
});
