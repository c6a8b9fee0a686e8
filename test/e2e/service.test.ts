/**
 * The whole service as a user meets it: `bin/stacksift serve` on a port, the dumps of a real
 * hang uploaded over HTTP, the report fetched as JSON and as the page a team would share, and
 * the same path taken in a real browser through the upload form.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ReportResponseSchema } from '../../api/schemas.js';
import { browserSkipReason, launchBrowser } from '../helpers/browser.js';
import { eventually, startTestRedis, type TestRedis, testPrefix } from '../helpers/redis.js';
import { type ServeProcess, startServe } from '../helpers/server.js';
import { CORPUS_DIR, corpusCases } from '../support/corpus.js';

let redis: TestRedis;
let serve: ServeProcess;

before(async () => {
  redis = await startTestRedis();
  serve = await startServe({ REDIS_URL: redis.url, QUEUE_PREFIX: testPrefix('e2e') });
});

after(async () => {
  const exit = await serve?.stop('SIGTERM');
  await redis?.stop();
  assert.equal(exit?.code, 0, serve?.stderr());
});

test('a GIL-contention case uploaded over HTTP comes back as a report and a page naming it', async () => {
  const gil = corpusCases().find((c) => c.name === 'py-gil-gthread-40');
  assert.ok(gil, `the corpus case py-gil-gthread-40 is at ${CORPUS_DIR}`);
  const form = new FormData();
  for (const name of gil.fileNames) form.append('file', new Blob([readFileSync(join(gil.dir, name))]), name);
  const upload = await fetch(`${serve.url}/api/v1/dumps`, { method: 'POST', body: form });
  assert.equal(upload.status, 202);
  const { id, webUrl } = (await upload.json()) as { id: string; webUrl: string };
  assert.equal(webUrl, `${serve.url}/r/${id}`);

  const record = await eventually(
    'the report to be done',
    async () => {
      const body = ReportResponseSchema.parse(await (await fetch(`${serve.url}/api/v1/reports/${id}`)).json());
      return body.status === 'done' || body.status === 'failed' ? body : undefined;
    },
    60_000,
  );
  assert.equal(record.status, 'done', record.error);
  const report = record.report;
  assert.ok(report);
  assert.equal(report.id, id);
  assert.equal(report.inputs.length, gil.fileNames.length);
  const diagnosis = report.diagnoses.find((d) => d.code === 'gil_contention');
  assert.ok(diagnosis, `gil_contention among ${report.diagnoses.map((d) => d.code).join(', ')}`);

  const page = await fetch(webUrl);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await page.text();
  const escaped = diagnosis.title.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  assert.ok(html.includes(escaped), `the page shows "${diagnosis.title}"`);
});

test('in a browser: paste a dump on the upload page, land on its report page, see the finding', {
  skip: browserSkipReason() ?? false,
}, async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${serve.url}/`);
    await page.fill('textarea[name="text"]', readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', 'gdb-bt.txt'), 'utf8'));
    await Promise.all([page.waitForURL(/\/r\/r_[A-Za-z0-9_-]{22,}$/), page.click('form.upload [type="submit"]')]);
    // The pending page reloads itself (Refresh header) until the report is there.
    await page.waitForSelector('text=gil_contention', { timeout: 60_000 });
    assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
  } finally {
    await browser.close();
  }
});

test('the same problem captured again: a different process, the same signature, and the page says it was seen before', async () => {
  const deadlock = corpusCases().find((c) => c.name === 'c-mutex-deadlock');
  assert.ok(deadlock, `the corpus case c-mutex-deadlock is at ${CORPUS_DIR}`);
  const text = readFileSync(join(deadlock.dir, 'gdb-bt.txt'), 'utf8');
  // A re-capture: other pids, LWPs and addresses.
  const again = text
    .replaceAll('LWP 40', 'LWP 90')
    .replaceAll('process 402', 'process 902')
    .replaceAll('0x7fae', '0x7f11')
    .replaceAll('0x5558', '0x5611');
  const ids: string[] = [];
  for (const body of [text, again]) {
    const upload = await fetch(`${serve.url}/api/v1/dumps`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    assert.equal(upload.status, 202);
    ids.push(((await upload.json()) as { id: string }).id);
  }
  const reports = [];
  for (const id of ids) {
    const record = await eventually('the report to be done', async () => {
      const body = ReportResponseSchema.parse(await (await fetch(`${serve.url}/api/v1/reports/${id}`)).json());
      return body.status === 'done' ? body : undefined;
    });
    reports.push(record.report);
  }
  const [first, second] = reports;
  assert.ok(first && second);
  assert.deepEqual(first.threads.map((t) => t.lwp).sort(), [402, 404, 405, 406]);
  assert.deepEqual(second.threads.map((t) => t.lwp).sort(), [902, 904, 905, 906]);
  assert.equal(second.signature, first.signature);
  const index = await (await fetch(`${serve.url}/api/v1/signatures/${encodeURIComponent(first.signature)}`)).json();
  assert.equal(index.count, 2);
  const html = await (await fetch(`${serve.url}/r/${ids[1]}`)).text();
  assert.match(html, /Seen 2 times/);
  assert.ok(html.includes(`/r/${ids[0]}`), 'the page links the earlier report');
});
