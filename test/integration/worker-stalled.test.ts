/**
 * A worker killed in the middle of a job (SIGKILL: no chance to clean up) leaves the job
 * locked; once the lock expires, another worker's stalled-job check puts it back and that
 * worker finishes the report. Locks and the stall check are shortened here, and only here
 * (for every worker: the check runs at most once per interval across all of them).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newReportId } from '../../store/report-id.js';
import { enqueueTriage } from '../../worker/queue.js';
import { eventually, startTestRedis, type TestRedis, testPrefix } from '../helpers/redis.js';
import { startTestApp, startTestWorker, type TestApp } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

const CHILD = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url));
/** Copies of a real gdb dump in one file: enough work that the job is still running when the worker is killed. */
const COPIES = 240;

let redis: TestRedis;
let app: TestApp;
const prefix = testPrefix('stalled');

before(async () => {
  redis = await startTestRedis();
  app = await startTestApp(redis.url, prefix);
});

after(async () => {
  await app?.close();
  await redis?.stop();
});

test('a job whose worker was killed mid-job is finished by another worker after the stalled check', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, redis.url, prefix, 'doomed', '2000', '1000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    await eventually('the child worker to start', async () => (child.stdout.read()?.toString().includes('ready') ? true : undefined));
    const dump = readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', 'gdb-bt.txt'));
    const files = [{ name: 'gdb-bt.txt', bytes: Buffer.concat(Array.from({ length: COPIES }, () => dump)) }];
    const id = newReportId();
    await app.deps.store.accept(id, files);
    await enqueueTriage(app.deps.queue, { reportId: id, files: 1, bytes: files[0]?.bytes.byteLength ?? 0 });

    await eventually(
      'the child to start the job',
      async () => ((await app.deps.store.get(id))?.status === 'processing' ? true : undefined),
      30_000,
    );
    child.kill('SIGKILL');
    await exited;
    assert.equal((await app.deps.store.get(id))?.status, 'processing', 'killed before it could finish');
    assert.equal(await (await app.deps.queue.getJob(id))?.getState(), 'active', 'still locked by the dead worker');

    const rescuer = await startTestWorker(redis.url, prefix, { name: 'rescuer', timing: { stalledInterval: 1000 } });
    try {
      const record = await eventually(
        'the rescuer to finish the report',
        async () => {
          const r = await app.deps.store.get(id);
          return r?.status === 'done' || r?.status === 'failed' ? r : undefined;
        },
        120_000,
      );
      assert.equal(record.status, 'done', record.error ?? '');
      assert.equal(record.report?.id, id);
      const job = await app.deps.queue.getJob(id);
      assert.equal(job?.processedBy, 'rescuer');
      assert.equal(job?.stalledCounter, 1);
    } finally {
      await rescuer.close();
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

test('a job whose worker died twice fails with a reason that blames the worker, not the dump', { timeout: 180_000 }, async () => {
  const dump = readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', 'gdb-bt.txt'));
  const files = [{ name: 'gdb-bt.txt', bytes: Buffer.concat(Array.from({ length: COPIES }, () => dump)) }];
  const id = newReportId();
  await app.deps.store.accept(id, files);
  await enqueueTriage(app.deps.queue, { reportId: id, files: 1, bytes: files[0]?.bytes.byteLength ?? 0 });
  for (const name of ['first', 'second']) {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, redis.url, prefix, name, '2000', '1000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    try {
      await eventually(
        `${name} to take the job`,
        async () => ((await app.deps.queue.getJob(id))?.processedBy === name ? true : undefined),
        60_000,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }
  const checker = await startTestWorker(redis.url, prefix, { name: 'checker', timing: { stalledInterval: 1000 } });
  try {
    const record = await eventually(
      'the stalled checker to fail the report',
      async () => {
        const r = await app.deps.store.get(id);
        return r?.status === 'failed' || r?.status === 'done' ? r : undefined;
      },
      60_000,
    );
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /worker .*stopped or died/);
    assert.match(record.error ?? '', /resubmitting it is safe/);
    assert.doesNotMatch(record.error ?? '', /out of memory/);
  } finally {
    await checker.close();
  }
});
