/**
 * The read side over real HTTP: report records, signatures, pages, static files, probes,
 * documents, headers, and how unknown failures are answered.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Report } from '../report/schema.js';
import { storeKeys } from '../store/keys.js';
import { newReportId } from '../store/report-id.js';
import { startTestRedis, type TestRedis, testPrefix } from '../test/helpers/redis.js';
import { startTestApp, type TestApp } from '../test/helpers/server.js';
import { ErrorBodySchema } from './errors.js';
import { ReportResponseSchema, SignatureStatsSchema } from './schemas.js';

let redis: TestRedis;
let app: TestApp;
let draining = false;
const prefix = testPrefix('reads');

before(async () => {
  redis = await startTestRedis();
  app = await startTestApp(redis.url, prefix, { isDraining: () => draining, publicBaseUrl: 'https://triage.example' });
});

after(async () => {
  await app.close();
  await redis.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers, redirect: 'manual' });

async function errorCode(res: Response): Promise<string> {
  return ErrorBodySchema.parse(await res.json()).error.code;
}

function sampleReport(id: string, signature: string): Report {
  return {
    version: 1,
    id,
    signature,
    summary: 'GIL contention: 3 of 4 threads wait for the GIL',
    inputs: [],
    processes: [],
    threads: [],
    groups: [],
    diagnoses: [
      {
        code: 'gil_contention',
        severity: 'warning',
        title: 'GIL contention <script>x</script>',
        detail: 'd',
        threadKeys: [],
        evidence: { gilWaiters: 3 },
      },
    ],
  };
}

test('a queued report answers its status; the page says so and reloads itself', async () => {
  const id = newReportId();
  await app.deps.store.accept(id, [{ name: 'a.txt', bytes: Buffer.from('x') }]);
  const res = await get(`/api/v1/reports/${id}`);
  assert.equal(res.status, 200);
  const body = ReportResponseSchema.parse(await res.json());
  assert.equal(body.status, 'queued');
  assert.equal(body.report, undefined);
  const page = await get(`/r/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(page.headers.get('refresh'), '2');
});

test('a done report is served as stored, and its signature counts it', async () => {
  const id = newReportId();
  const signature = 'v1:feedc0ffee';
  await app.deps.store.accept(id, [{ name: 'a.txt', bytes: Buffer.from('x') }]);
  await app.deps.store.complete(id, sampleReport(id, signature));
  const body = ReportResponseSchema.parse(await (await get(`/api/v1/reports/${id}`)).json());
  assert.equal(body.status, 'done');
  assert.deepEqual(body.report, sampleReport(id, signature));
  const stats = SignatureStatsSchema.parse(await (await get(`/api/v1/signatures/${signature}`)).json());
  assert.equal(stats.count, 1);
  assert.deepEqual(stats.reportIds, [id]);
  const page = await get(`/r/${id}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('refresh'), null);
  const html = await page.text();
  assert.ok(html.includes('GIL contention &lt;script'), 'dump-controlled text is escaped');
  assert.ok(!html.includes('<script>x</script>'));
});

test('a failed report answers its reason, as JSON and as a page', async () => {
  const id = newReportId();
  await app.deps.store.accept(id, [{ name: 'a.txt', bytes: Buffer.from('x') }]);
  await app.deps.store.fail(id, 'nothing in a.txt could be read as a thread dump');
  const body = ReportResponseSchema.parse(await (await get(`/api/v1/reports/${id}`)).json());
  assert.equal(body.status, 'failed');
  assert.equal(body.error, 'nothing in a.txt could be read as a thread dump');
  const page = await get(`/r/${id}`);
  assert.equal(page.status, 200);
  assert.ok((await page.text()).includes('nothing in a.txt could be read as a thread dump'));
});

test('unknown and malformed ids answer 404 and 400; unknown pages answer a 404 page', async () => {
  const unknown = await get(`/api/v1/reports/${newReportId()}`);
  assert.equal(unknown.status, 404);
  assert.equal(await errorCode(unknown), 'not_found');
  const malformed = await get('/api/v1/reports/r_short');
  assert.equal(malformed.status, 400);
  assert.equal(await errorCode(malformed), 'invalid_request');
  for (const path of [`/r/${newReportId()}`, '/r/not-an-id']) {
    const page = await get(path);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  }
  const sig = await get('/api/v1/signatures/v1:0000000000');
  assert.equal(sig.status, 404);
  assert.equal(await errorCode(sig), 'not_found');
  const badSig = await get('/api/v1/signatures/%3Cscript%3E');
  assert.equal(badSig.status, 400);
  const route = await get('/api/v1/nothing-here');
  assert.equal(route.status, 404);
  assert.equal(await errorCode(route), 'not_found');
});

test('an unexpected failure answers 500 internal with the request id and no stack', async () => {
  const id = newReportId();
  // A key of the wrong type makes Redis itself refuse the read (WRONGTYPE).
  await redis.admin.set(storeKeys(prefix).report(id), 'not a hash');
  const res = await get(`/api/v1/reports/${id}`, { 'X-Request-Id': 'trace-500.abc' });
  assert.equal(res.status, 500);
  const text = await res.text();
  const body = ErrorBodySchema.parse(JSON.parse(text));
  assert.equal(body.error.code, 'internal');
  assert.equal(body.error.requestId, 'trace-500.abc');
  assert.ok(!/WRONGTYPE|at .*\.ts:\d+/.test(text), 'no error details or stack in the answer');
});

test('X-Request-Id is honoured when it looks like an id and made up otherwise', async () => {
  assert.equal((await get('/healthz', { 'X-Request-Id': 'lb-1234' })).headers.get('x-request-id'), 'lb-1234');
  const made = (await get('/healthz', { 'X-Request-Id': 'bad id with spaces' })).headers.get('x-request-id') ?? '';
  assert.match(made, /^[0-9a-f-]{36}$/);
});

test('pages carry a strict Content-Security-Policy without inline scripts', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.ok(!csp.includes('unsafe-inline'));
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-powered-by'), null);
  const html = await res.text();
  assert.ok(!/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/.test(html), 'no inline script on the home page');
});

test('static files are served from web/static with caching headers', async (t) => {
  const { readdirSync } = await import('node:fs');
  const files = readdirSync(new URL('../web/static/', import.meta.url)).filter((f) => !f.startsWith('.'));
  if (files.length === 0) return t.skip('web/static is empty');
  const res = await get(`/static/${files[0]}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control') ?? '', /max-age=3600/);
  assert.ok(res.headers.get('etag'));
  assert.equal((await get('/static/no-such-file.css')).status, 404);
});

test('healthz always answers; readyz answers 503 while draining', async () => {
  assert.equal((await get('/healthz')).status, 200);
  assert.equal((await get('/readyz')).status, 200);
  draining = true;
  try {
    const res = await get('/readyz');
    assert.equal(res.status, 503);
    assert.equal(await errorCode(res), 'not_ready');
    assert.equal((await get('/healthz')).status, 200);
  } finally {
    draining = false;
  }
});

test('links use PUBLIC_BASE_URL when it is set', async () => {
  const res = await fetch(`${app.url}/api/v1/dumps`, {
    method: 'POST',
    body: 'Thread 1 (LWP 1):\n',
    headers: { 'Content-Type': 'text/plain' },
  });
  const body = (await res.json()) as { id: string; webUrl: string };
  assert.equal(body.webUrl, `https://triage.example/r/${body.id}`);
});

test('with Redis gone, reads answer 503 not_ready with Retry-After, as JSON and as a page', async () => {
  const lone = await startTestRedis();
  const down = await startTestApp(lone.url, testPrefix('reads-down'), {});
  try {
    await lone.stop();
    const id = newReportId();
    const res = await fetch(`${down.url}/api/v1/reports/${id}`);
    assert.equal(res.status, 503, await res.clone().text());
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(ErrorBodySchema.parse(await res.json()).error.code, 'not_ready');
    const page = await fetch(`${down.url}/r/${id}`, { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 503);
    assert.match(await page.text(), /Not ready/);
  } finally {
    await down.close();
  }
});
