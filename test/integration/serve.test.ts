/**
 * The service commands as a user runs them: `serve` starting and stopping its own
 * redis-server, the one-line refusals when Redis cannot be had, and `api` plus two
 * `worker` processes sharing one Redis.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { eventually, startTestRedis, type TestRedis, testPrefix } from '../helpers/redis.js';
import { runCli, startServe } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

let scratch: string;
let redis: TestRedis;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'stacksift-serve-'));
  redis = await startTestRedis();
});

after(async () => {
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function upload(url: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', file))]), file);
  const res = await fetch(`${url}/api/v1/dumps`, { method: 'POST', body: form });
  assert.equal(res.status, 202);
  return ((await res.json()) as { id: string }).id;
}

async function waitDone(url: string, id: string): Promise<{ status: string; report?: { id: string } }> {
  return eventually(`report ${id}`, async () => {
    const body = (await (await fetch(`${url}/api/v1/reports/${id}`)).json()) as { status: string; report?: { id: string } };
    return body.status === 'done' || body.status === 'failed' ? body : undefined;
  });
}

test('serve without REDIS_URL runs its own redis-server and stops it on SIGTERM', async () => {
  const stateDir = join(scratch, 'state');
  const serve = await startServe({ STACKSIFT_STATE_DIR: stateDir });
  let redisPid = 0;
  try {
    const pidFile = join(stateDir, 'redis', 'redis.pid');
    assert.ok(existsSync(pidFile), 'the private redis-server keeps its pid in the state directory');
    redisPid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(redisPid));
    assert.match(readFileSync(`/proc/${redisPid}/cmdline`, 'utf8'), /redis-server/);
    const id = await upload(serve.url, 'gdb-bt.txt');
    assert.equal((await waitDone(serve.url, id)).status, 'done');
  } finally {
    const { code } = await serve.stop('SIGTERM');
    assert.equal(code, 0, serve.stderr());
  }
  assert.ok(!isAlive(redisPid), 'the private redis-server is gone');
  assert.ok(existsSync(join(stateDir, 'redis', 'appendonlydir')), 'reports persist in an append-only file');
});

test('serve without REDIS_URL and without redis-server says what to do in one line and exits 2', async () => {
  const cli = runCli(['serve'], { PATH: '', STACKSIFT_STATE_DIR: join(scratch, 'none') }, { direct: true });
  const { code } = await cli.exited;
  assert.equal(code, 2);
  const lines = cli.stderr().trim().split('\n');
  assert.equal(lines.length, 1, cli.stderr());
  assert.match(lines[0] ?? '', /apt-get install redis-server/);
  assert.match(lines[0] ?? '', /REDIS_URL/);
});

test('api and worker refuse to start without REDIS_URL, and bad settings exit 2', async () => {
  for (const [args, env, pattern] of [
    [['api'], {}, /set REDIS_URL/],
    [['worker'], {}, /set REDIS_URL/],
    [['serve'], { PORT: 'eighty', REDIS_URL: redis.url }, /PORT/],
  ] as const) {
    const cli = runCli(args, env);
    const { code } = await cli.exited;
    assert.equal(code, 2, `${args.join(' ')}: ${cli.stderr()}`);
    assert.match(cli.stderr(), pattern);
  }
});

test('api and two workers run apart against one Redis and share the queue', async () => {
  const prefix = testPrefix('apart');
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix };
  const workers = [runCli(['worker'], env), runCli(['worker'], env)];
  const api = await startServe(env, 'api');
  const queue = new Queue('triage', { connection: { url: redis.url }, prefix });
  try {
    await eventually('both workers to register', async () => ((await queue.getWorkers()).length >= 2 ? true : undefined));
    const ids = await Promise.all(['gdb-bt.txt', 'faulthandler.txt', 'ps-L.txt', 'top-H.txt'].map((f) => upload(api.url, f)));
    for (const id of ids) assert.equal((await waitDone(api.url, id)).status, 'done');
    const ranBy = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.processedBy ?? ''));
    const pids = new Set(workers.map((w) => String(w.child.pid)));
    for (const name of ranBy) assert.ok(pids.has(name.split(':').at(-1) ?? ''), `${name} is one of the worker processes`);
  } finally {
    await queue.close();
    const exits = await Promise.all([api.stop(), ...workers.map((w) => w.stop())]);
    for (const e of exits) assert.equal(e.code, 0);
  }
});
