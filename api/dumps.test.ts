/**
 * POST /api/v1/dumps over real HTTP against a real Redis: every accepted shape stores the case
 * and queues a job; every refused one answers the closed error set and leaves Redis as it was.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import { storeKeys } from '../store/keys.js';
import { keysMatching, startTestRedis, type TestRedis, testPrefix } from '../test/helpers/redis.js';
import { startTestApp, type TestApp } from '../test/helpers/server.js';
import { ErrorBodySchema } from './errors.js';
import { DumpAcceptedSchema } from './schemas.js';

const LIMITS: Limits = { ...DEFAULT_LIMITS, maxRequestBytes: 64 * 1024, maxFileBytes: 16 * 1024, maxFiles: 3, maxCaseBytes: 512 * 1024 };
const GDB = 'Thread 1 (Thread 0x7f0000000001 (LWP 10)):\n#0  0x00007f in epoll_wait () from /lib/libc.so.6\n';

let redis: TestRedis;
let app: TestApp;
const prefix = testPrefix('dumps');
const keys = storeKeys(prefix);

before(async () => {
  redis = await startTestRedis();
  app = await startTestApp(redis.url, prefix, { limits: LIMITS });
});

after(async () => {
  await app.close();
  await redis.stop();
});

/** Everything the service may have stored: case, record, signature and queue keys. */
async function snapshot(): Promise<string[]> {
  return keysMatching(redis.admin, `${prefix}:*`);
}

function post(body: BodyInit | null, headers: Record<string, string> = {}, query = '', base = app.url): Promise<Response> {
  return fetch(`${base}/api/v1/dumps${query}`, { method: 'POST', body, headers });
}

function form(files: [string, string | Uint8Array<ArrayBuffer>][], fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [name, content] of files) f.append('file', new Blob([content]), name);
  return f;
}

async function accepted(response: Response) {
  assert.equal(response.status, 202, await response.clone().text());
  const body = DumpAcceptedSchema.parse(await response.json());
  assert.equal(response.headers.get('location'), body.reportUrl);
  return body;
}

async function storedCase(id: string) {
  const files = await app.deps.store.loadCase(id);
  assert.ok(files, `case ${id} is stored`);
  return files.map((f) => ({ name: f.name, text: Buffer.from(f.bytes).toString('utf8'), format: f.format }));
}

test('a multipart upload of several files is stored as one case and queued under the report id', async () => {
  const res = await post(
    form([
      ['gdb.txt', GDB],
      ['ps.txt', 'PID LWP CMD\n'],
    ]),
  );
  const body = await accepted(res);
  assert.match(body.id, /^r_[A-Za-z0-9_-]{22,}$/);
  assert.equal(body.reportUrl, `${app.url}/api/v1/reports/${body.id}`);
  assert.equal(body.webUrl, `${app.url}/r/${body.id}`);
  // Stored before the answer: the case and the record are there as soon as the 202 is.
  assert.equal(await redis.admin.exists(keys.case(body.id)), 1);
  assert.equal((await app.deps.store.get(body.id))?.status, 'queued');
  assert.deepEqual(await storedCase(body.id), [
    { name: 'gdb.txt', text: GDB, format: undefined },
    { name: 'ps.txt', text: 'PID LWP CMD\n', format: undefined },
  ]);
  const job = await app.deps.queue.getJob(body.id);
  assert.deepEqual(job?.data, { reportId: body.id, files: 2, bytes: Buffer.byteLength(GDB) + 12 });
});

test('a pasted `text` field becomes pasted.txt, and `format` forces the parser for every file', async () => {
  const body = await accepted(await post(form([['a.txt', GDB]], { text: GDB, format: 'gdb' })));
  assert.deepEqual(await storedCase(body.id), [
    { name: 'a.txt', text: GDB, format: 'gdb' },
    // FormData sends text fields with CRLF line ends, as browsers do.
    { name: 'pasted.txt', text: GDB.replaceAll('\n', '\r\n'), format: 'gdb' },
  ]);
});

test('a raw text body takes its name and format from the query', async () => {
  const body = await accepted(await post(GDB, { 'Content-Type': 'text/plain' }, '?name=../../etc/gdb.txt&format=gdb'));
  assert.deepEqual(await storedCase(body.id), [{ name: 'gdb.txt', text: GDB, format: 'gdb' }]);
});

test('a raw body without a content type is one file named upload.txt', async () => {
  const body = await accepted(await post(new Uint8Array(Buffer.from(GDB))));
  assert.deepEqual(await storedCase(body.id), [{ name: 'upload.txt', text: GDB, format: undefined }]);
});

test('a gzip Content-Encoding on a raw body is inflated before storing', async () => {
  const body = await accepted(await post(new Uint8Array(gzipSync(GDB)), { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }));
  assert.deepEqual(await storedCase(body.id), [{ name: 'upload.txt', text: GDB, format: undefined }]);
});

test('a gzipped multipart part is stored as is (triage inflates it)', async () => {
  const gz = gzipSync(GDB);
  const body = await accepted(await post(form([['gdb.txt.gz', new Uint8Array(gz)]])));
  const files = await app.deps.store.loadCase(body.id);
  assert.deepEqual(Buffer.from(files?.[0]?.bytes ?? []), gz);
});

test("a browser form post with the upload page's defaults is sent to the report page with 303", async () => {
  const before = await snapshot();
  // What the page's form sends when only text was pasted: an empty nameless file part and format=auto.
  const browser = new FormData();
  browser.append('file', new Blob([]), '');
  browser.append('text', GDB);
  browser.append('format', 'auto');
  const res = await fetch(`${app.url}/api/v1/dumps`, {
    method: 'POST',
    body: browser,
    headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  const location = res.headers.get('location') ?? '';
  assert.match(location, /^\/r\/r_[A-Za-z0-9_-]{22,}$/);
  assert.equal((await app.deps.store.get(location.slice(3)))?.status, 'queued');
  assert.deepEqual(await storedCase(location.slice(3)), [{ name: 'pasted.txt', text: GDB.replaceAll('\n', '\r\n'), format: undefined }]);
  assert.ok((await snapshot()).length > before.length);
});

/** Streams `bytes` without a Content-Length (chunked), as a client that does not know the size. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.subarray(i, i + 4096));
      controller.close();
    },
  });
}

async function multipartBytes(f: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const r = new Response(f);
  return { bytes: new Uint8Array(await r.arrayBuffer()), type: r.headers.get('content-type') ?? '' };
}

const refusals: { name: string; status: number; code: string; send: () => Promise<Response> }[] = [
  { name: 'an empty raw body', status: 400, code: 'empty_upload', send: () => post('', { 'Content-Type': 'text/plain' }) },
  { name: 'a form without files or text', status: 400, code: 'empty_upload', send: () => post(form([], { text: '  ' })) },
  { name: 'a form whose files are all empty', status: 400, code: 'empty_upload', send: () => post(form([['a.txt', '']])) },
  {
    name: 'a file over the file limit',
    status: 413,
    code: 'payload_too_large',
    send: () => post(form([['big.txt', 'x'.repeat(17 * 1024)]])),
  },
  {
    name: 'a chunked multipart upload (no Content-Length: multer would buffer it all before the total is checked)',
    status: 411,
    code: 'length_required',
    send: async () => {
      const { bytes, type } = await multipartBytes(form([['big.txt', 'x'.repeat(40 * 1024)]]));
      return fetch(`${app.url}/api/v1/dumps`, {
        method: 'POST',
        body: chunked(bytes),
        headers: { 'Content-Type': type },
        duplex: 'half',
      } as RequestInit);
    },
  },
  {
    name: 'more files than a case may hold',
    status: 413,
    code: 'too_many_files',
    send: () =>
      post(
        form([
          ['1', 'a'],
          ['2', 'b'],
          ['3', 'c'],
          ['4', 'd'],
        ]),
      ),
  },
  {
    name: 'a request declaring more bytes than allowed',
    status: 413,
    code: 'payload_too_large',
    send: () => post('y'.repeat(65 * 1024), { 'Content-Type': 'text/plain' }),
  },
  {
    name: 'a raw body over the inflated limit',
    status: 413,
    code: 'payload_too_large',
    send: () => post('z'.repeat(20 * 1024), { 'Content-Type': 'text/plain' }),
  },
  {
    name: 'a gzip bomb (small on the wire, huge inflated)',
    status: 413,
    code: 'payload_too_large',
    send: () => post(new Uint8Array(gzipSync(Buffer.alloc(4 * 1024 * 1024))), { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }),
  },
  {
    name: 'a body that is not gzip but says so',
    status: 400,
    code: 'invalid_request',
    send: () => post('not gzip at all', { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }),
  },
  {
    name: 'an unknown Content-Encoding',
    status: 415,
    code: 'unsupported_media_type',
    send: () => post('x', { 'Content-Type': 'text/plain', 'Content-Encoding': 'compress' }),
  },
  {
    name: 'a gzip-encoded multipart body',
    status: 415,
    code: 'unsupported_media_type',
    send: async () => {
      const { bytes, type } = await multipartBytes(form([['a.txt', GDB]]));
      return post(new Uint8Array(gzipSync(bytes)), { 'Content-Type': type, 'Content-Encoding': 'gzip' });
    },
  },
  { name: 'an unknown format field', status: 400, code: 'invalid_request', send: () => post(form([['a.txt', GDB]], { format: 'windbg' })) },
  {
    name: 'an unknown ?format=',
    status: 400,
    code: 'invalid_request',
    send: () => post(GDB, { 'Content-Type': 'text/plain' }, '?format=windbg'),
  },
  {
    name: 'a file in a field other than `file`',
    status: 400,
    code: 'invalid_request',
    send: () => {
      const f = new FormData();
      f.append('upload_file', new Blob([GDB]), 'a.txt');
      return post(f);
    },
  },
  {
    name: 'a multipart body cut short',
    status: 400,
    code: 'invalid_request',
    send: () =>
      post('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nThread 1', {
        'Content-Type': 'multipart/form-data; boundary=XyZ',
      }),
  },
];

for (const r of refusals) {
  test(`refuses ${r.name} with ${r.status} ${r.code} and stores nothing`, async () => {
    const before = await snapshot();
    const res = await r.send();
    const text = await res.text();
    assert.equal(res.status, r.status, text);
    const body = ErrorBodySchema.parse(JSON.parse(text));
    assert.equal(body.error.code, r.code);
    assert.ok(body.error.message.length > 0);
    assert.equal(body.error.requestId, res.headers.get('x-request-id'));
    assert.deepEqual(await snapshot(), before);
  });
}

test('with STACKSIFT_TOKENS set, uploads need one of the bearer tokens', async () => {
  const guarded = await startTestApp(redis.url, prefix, { limits: LIMITS, tokens: ['s3cret', 'other'] });
  try {
    const before = await snapshot();
    for (const auth of [undefined, 'Bearer wrong', 'Basic czNjcmV0', 'Bearer s3cret2']) {
      const res = await post(GDB, { 'Content-Type': 'text/plain', ...(auth ? { Authorization: auth } : {}) }, '', guarded.url);
      assert.equal(res.status, 401, `Authorization: ${auth}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="stacksift"');
      assert.equal(ErrorBodySchema.parse(await res.json()).error.code, 'unauthorized');
    }
    assert.deepEqual(await snapshot(), before);
    await accepted(await post(GDB, { 'Content-Type': 'text/plain', Authorization: 'Bearer other' }, '', guarded.url));
    // Reading stays open: report ids are the secret.
    assert.equal((await fetch(`${guarded.url}/healthz`)).status, 200);
  } finally {
    await guarded.close();
  }
});

test('when the job cannot be queued the upload is withdrawn and answered 503', async () => {
  const broken = await startTestApp(redis.url, prefix, { limits: LIMITS });
  try {
    // The producer's own connection drops while the store's stays up.
    broken.queueConnection.disconnect();
    const before = await snapshot();
    const res = await post(GDB, { 'Content-Type': 'text/plain' }, '', broken.url);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(ErrorBodySchema.parse(await res.json()).error.code, 'not_ready');
    assert.deepEqual(await snapshot(), before);
  } finally {
    await broken.close();
  }
});

test('a plain body is capped at the request limit even when chunked; a gzip body at what it may inflate to', async () => {
  // The defaults' shape: the request limit is below the inflated-file limit.
  const limits: Limits = { ...DEFAULT_LIMITS, maxRequestBytes: 8 * 1024, maxFileBytes: 64 * 1024, maxCaseBytes: 128 * 1024 };
  const small = await startTestApp(redis.url, prefix, { limits });
  try {
    const before = await snapshot();
    const body = new TextEncoder().encode(`${GDB}\n${'#'.repeat(20 * 1024)}\n`);
    const res = await fetch(`${small.url}/api/v1/dumps`, {
      method: 'POST',
      body: chunked(body),
      headers: { 'Content-Type': 'text/plain' },
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    assert.equal(res.status, 413, text);
    assert.equal(ErrorBodySchema.parse(JSON.parse(text)).error.code, 'payload_too_large');
    assert.deepEqual(await snapshot(), before);
    // 20 KiB of text gzipped is far under 8 KiB on the wire and under 64 KiB inflated: accepted.
    await accepted(await post(new Uint8Array(gzipSync(body)), { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }, '', small.url));
  } finally {
    await small.close();
  }
});
