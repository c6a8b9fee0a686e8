/**
 * Stopping the service when things are not tidy: a worker whose Redis vanished mid-job, a
 * Ctrl-C to serve's whole process group while a job runs, a port already taken, and a
 * second serve in a state directory that is in use.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, startTestRedis } from '../helpers/redis.js';
import { runCli, startServe } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

/** Copies of a real gdb dump in one file: enough work that the job is still running when we act. */
const COPIES = 240;
const STOP_CHILD = fileURLToPath(new URL('./fixtures/stop-dead-redis.ts', import.meta.url));
const bigDump = () => {
  const dump = readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', 'gdb-bt.txt'));
  return Buffer.concat(Array.from({ length: COPIES }, () => dump));
};

let scratch: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'stacksift-shutdown-'));
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Pids of the redis-server processes started with `--dir <dir>`. */
function redisServersIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('redis-server') && cmdline.includes(dir)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

test('a worker whose Redis died mid-job still stops at its deadline', { timeout: 120_000 }, async () => {
  // In a child process, as in serve: a forced stop leaves the cut-off job's analysis thread
  // running, and serve exits rather than wait for it.
  const child = spawn(process.execPath, ['--import', 'tsx', STOP_CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  // Before the fix stop() never resolved: close(true) returned the pending graceful close.
  assert.equal(code, 0, err);
  assert.equal(out.trim(), 'forced');
});

test('Ctrl-C to serve’s process group lets the running job finish before the private Redis stops', { timeout: 180_000 }, async () => {
  const stateDir = join(scratch, 'ctrl-c');
  const serve = await startServe({ STACKSIFT_STATE_DIR: stateDir }, 'serve', 30_000, { detached: true });
  const pid = serve.child.pid ?? 0;
  let id = '';
  try {
    const form = new FormData();
    form.append('file', new Blob([bigDump()]), 'gdb-bt.txt');
    const res = await fetch(`${serve.url}/api/v1/dumps`, { method: 'POST', body: form });
    assert.equal(res.status, 202);
    id = ((await res.json()) as { id: string }).id;
    await eventually(
      'the job to start',
      async () => {
        const body = (await (await fetch(`${serve.url}/api/v1/reports/${id}`)).json()) as { status: string };
        return body.status === 'processing' ? true : undefined;
      },
      30_000,
    );
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-pid, 'SIGINT');
    const { code } = await serve.exited;
    assert.equal(code, 0, serve.stderr());
  } finally {
    if (serve.child.exitCode === null && serve.child.signalCode === null) process.kill(-pid, 'SIGKILL');
  }
  assert.doesNotMatch(serve.stderr(), /redis connection error/, 'Redis stayed up while the worker drained');
  assert.deepEqual(redisServersIn(join(stateDir, 'redis')), [], 'no redis-server is left behind');
  // The drained job's report was written before Redis stopped, and persisted.
  const again = await startServe({ STACKSIFT_STATE_DIR: stateDir });
  try {
    const body = (await (await fetch(`${again.url}/api/v1/reports/${id}`)).json()) as { status: string };
    assert.equal(body.status, 'done');
  } finally {
    await again.stop('SIGTERM');
  }
});

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port };
}

test('serve and api on a port in use exit 2 with one line saying so', { timeout: 90_000 }, async () => {
  const redis = await startTestRedis();
  const { server, port } = await occupy();
  try {
    for (const [command, env] of [
      ['serve', { STACKSIFT_STATE_DIR: join(scratch, 'port-serve') }],
      ['api', { REDIS_URL: redis.url }],
    ] as const) {
      const cli = runCli([command], { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent', ...env });
      const { code } = await cli.exited;
      assert.equal(code, 2, `${command}: ${cli.stderr()}`);
      assert.equal(cli.stderr(), `stacksift: port ${port} on 127.0.0.1 is in use; set PORT\n`);
    }
  } finally {
    server.close();
    await redis.stop();
  }
  assert.deepEqual(redisServersIn(join(scratch, 'port-serve', 'redis')), [], 'serve stopped its private redis-server');
});

test('a second serve in the same state directory refuses and leaves the first one running', { timeout: 90_000 }, async () => {
  const stateDir = join(scratch, 'shared');
  const first = await startServe({ STACKSIFT_STATE_DIR: stateDir });
  try {
    const second = runCli(['serve'], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', STACKSIFT_STATE_DIR: stateDir });
    const { code } = await second.exited;
    assert.equal(code, 2, second.stderr());
    assert.match(second.stderr(), /^stacksift: another stacksift serve \(pid \d+\) is using .+; stop it or set STACKSIFT_STATE_DIR\n$/);
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200, 'the first serve still answers');
  } finally {
    const { code } = await first.stop('SIGTERM');
    assert.equal(code, 0, first.stderr());
  }
});

test('a second signal exits at once without leaving the private redis-server behind', { timeout: 120_000 }, async () => {
  const stateDir = join(scratch, 'twice');
  const serve = await startServe({ STACKSIFT_STATE_DIR: stateDir });
  try {
    const form = new FormData();
    form.append('file', new Blob([bigDump()]), 'gdb-bt.txt');
    const res = await fetch(`${serve.url}/api/v1/dumps`, { method: 'POST', body: form });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    await eventually(
      'the job to start',
      async () => {
        const body = (await (await fetch(`${serve.url}/api/v1/reports/${id}`)).json()) as { status: string };
        return body.status === 'processing' ? true : undefined;
      },
      30_000,
    );
    serve.child.kill('SIGTERM');
    await eventually('the API to stop taking requests', async () =>
      fetch(`${serve.url}/readyz`).then(
        (r) => (r.status === 503 ? true : undefined),
        () => true,
      ),
    );
    serve.child.kill('SIGTERM');
    const { code } = await serve.exited;
    assert.equal(code, 130, serve.stderr());
  } finally {
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
  }
  await eventually('the private redis-server to exit', async () =>
    redisServersIn(join(stateDir, 'redis')).length === 0 ? true : undefined,
  );
});
