/**
 * `bin/stacksift submit` as a child process against the real app and worker: its exit codes
 * (0 analysed, 1 --fail-on matched, 2 usage or refused input, 3 service, network or timeout),
 * its output, and what it leaves for GitHub Actions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ReportSchema } from '../../report/schema.js';
import { findFreePort } from '../../store/redis-server.js';
import { startTestRedis, type TestRedis, testPrefix } from '../helpers/redis.js';
import { runCli, startTestApp, startTestWorker, type TestApp, type TestWorker } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

const GIL = ['faulthandler.txt', 'gdb-bt.txt', 'ps-L.txt'].map((f) => join(CORPUS_DIR, 'py-gil-gthread-40', f));

let redis: TestRedis;
let app: TestApp;
let worker: TestWorker;
/** The same API with no worker behind it: reports stay queued. */
let idle: TestApp;
let scratch: string;

before(async () => {
  redis = await startTestRedis();
  const prefix = testPrefix('submit');
  app = await startTestApp(redis.url, prefix, { tokens: [] });
  worker = await startTestWorker(redis.url, prefix);
  idle = await startTestApp(redis.url, testPrefix('submit-idle'), { tokens: ['t0ken'] });
  scratch = mkdtempSync(join(tmpdir(), 'stacksift-submit-'));
});

after(async () => {
  await worker?.close();
  await app?.close();
  await idle?.close();
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function submit(args: string[], env: Record<string, string> = {}, stdin?: Buffer) {
  const cli = runCli(['submit', ...args], env);
  cli.child.stdin?.end(stdin);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

test('exit 0: uploads the files as one case, prints the link and, with --wait, the summary', async () => {
  const r = await submit(['--server', app.url, '--wait', ...GIL]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Report: ${app.url}/r/r_[A-Za-z0-9_-]{22,}$`, 'm'));
  assert.match(r.stdout, /gil_contention/);
});

test('exit 1: a diagnosis named in --fail-on was found', async () => {
  const r = await submit(['--server', app.url, '--wait', '--fail-on', 'deadlock,gil_contention', ...GIL]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--fail-on matched gil_contention/);
  const pass = await submit(['--server', app.url, '--wait', '--fail-on', 'deadlock', ...GIL]);
  assert.equal(pass.code, 0, pass.stderr);
});

test('--json --wait prints the report JSON and nothing else on stdout', async () => {
  const r = await submit(['--server', app.url, '--wait', '--json', ...GIL]);
  assert.equal(r.code, 0, r.stderr);
  const report = ReportSchema.parse(JSON.parse(r.stdout));
  assert.match(report.id ?? '', /^r_/);
  assert.match(r.stderr, /Report: http/);
});

test('- reads a dump from stdin; STACKSIFT_URL stands in for --server', async () => {
  const r = await submit(['--wait', '-'], { STACKSIFT_URL: app.url }, readFileSync(GIL[1] ?? ''));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Report: /);
});

test('exit 2: usage errors, one line on stderr', async () => {
  for (const args of [
    ['--server', app.url, '--fail-on', 'nonsense', GIL[0] ?? ''],
    ['--server', app.url, join(scratch, 'missing.txt')],
    ['--server', 'ftp://example', GIL[0] ?? ''],
    ['--server', app.url, '--format', 'windbg', GIL[0] ?? ''],
    ['--server', app.url, '--no-such-flag', GIL[0] ?? ''],
  ]) {
    const r = await submit(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0);
  }
});

test('exit 2: the server refused the input (4xx), or nothing in it could be read', async () => {
  const empty = join(scratch, 'empty.txt');
  writeFileSync(empty, '');
  const refused = await submit(['--server', app.url, empty]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /empty_upload/);
  const unauthorized = await submit(['--server', idle.url, GIL[0] ?? '']);
  assert.equal(unauthorized.code, 2);
  assert.match(unauthorized.stderr, /unauthorized/);
  const junk = join(scratch, 'junk.txt');
  writeFileSync(junk, 'hello\nthis is not a dump\n');
  const unreadable = await submit(['--server', app.url, '--wait', junk]);
  assert.equal(unreadable.code, 2);
  assert.match(unreadable.stderr, /could not be analysed: .*junk\.txt/);
});

test('exit 3: nothing listens at the server address', async () => {
  const port = await findFreePort();
  const r = await submit(['--server', `http://127.0.0.1:${port}`, GIL[0] ?? '']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('exit 3: --wait gives up at --timeout when the report does not finish', async () => {
  const r = await submit(['--server', idle.url, '--wait', '--timeout', '2', GIL[0] ?? ''], { STACKSIFT_TOKEN: 't0ken' });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /timed out after 2 s waiting for report r_\S+ \(still queued\)/);
});

test('in GitHub Actions it writes a job summary and the report_url/report_id outputs', async () => {
  const summary = join(scratch, 'summary.md');
  const output = join(scratch, 'output.txt');
  const r = await submit(['--server', app.url, '--wait', ...GIL], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(summary, 'utf8');
  const id = /report_id=(r_\S+)/.exec(readFileSync(output, 'utf8'))?.[1];
  assert.ok(id, 'report_id output');
  assert.match(readFileSync(output, 'utf8'), new RegExp(`^report_url=${app.url}/r/${id}$`, 'm'));
  assert.ok(md.includes(`(${app.url}/r/${id})`), 'the summary links the report');
  assert.match(md, /\| severity \| diagnosis \| threads \|/);
  assert.match(md, /\*\*gil_contention\*\*/);
  assert.ok(Buffer.byteLength(md) < 1024 * 1024);
});

test('--wait polls the server it was given, even behind a proxy that rewrites Host', async () => {
  // A reverse proxy that hands the API an inside name: the API builds its links from that Host.
  const target = new URL(app.url);
  const proxy = createServer((req, res) => {
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: 'stacksift-internal:8080' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((ready) => proxy.listen(0, '127.0.0.1', ready));
  try {
    const { port } = proxy.address() as AddressInfo;
    const r = await submit(['--server', `http://127.0.0.1:${port}`, '--wait', ...GIL]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /gil_contention/);
  } finally {
    proxy.closeAllConnections();
    await new Promise((done) => proxy.close(done));
  }
});
