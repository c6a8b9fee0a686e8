/**
 * openapi.yaml is generated from the API's zod schemas and committed. This checks that the
 * committed file is what the generator prints today, that it names every route and error
 * code, and that live responses match the schemas the document was made from (with each
 * status they answered documented for their route).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import type { z } from 'zod';
import { API_ERROR_CODES, ErrorBodySchema } from '../../api/errors.js';
import { buildOpenApiDocument, openApiYaml } from '../../api/openapi.js';
import { DumpAcceptedSchema, HealthSchema, ReadySchema, ReportResponseSchema, SignatureStatsSchema } from '../../api/schemas.js';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { eventually, startTestRedis, type TestRedis, testPrefix } from '../helpers/redis.js';
import { REPO_ROOT, startTestApp, startTestWorker, type TestApp, type TestWorker } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const committed = readFileSync(join(REPO_ROOT, 'openapi.yaml'), 'utf8');
const doc = parse(committed) as Doc;

let redis: TestRedis;
let app: TestApp;
let worker: TestWorker;

before(async () => {
  redis = await startTestRedis();
  const prefix = testPrefix('openapi');
  app = await startTestApp(redis.url, prefix, { limits: { ...DEFAULT_LIMITS, maxRequestBytes: 256 * 1024 } });
  worker = await startTestWorker(redis.url, prefix);
});

after(async () => {
  await worker?.close();
  await app?.close();
  await redis?.stop();
});

test('the committed openapi.yaml is exactly what scripts/gen-openapi.ts generates (run `npm run openapi`)', () => {
  assert.equal(committed, openApiYaml());
});

test('the document is OpenAPI 3.1 and names every route of the service', () => {
  assert.match(String((parse(committed) as { openapi: string }).openapi), /^3\.1\./);
  for (const [path, method] of [
    ['/api/v1/dumps', 'post'],
    ['/api/v1/reports/{id}', 'get'],
    ['/api/v1/signatures/{signature}', 'get'],
    ['/r/{id}', 'get'],
    ['/', 'get'],
    ['/static/{file}', 'get'],
    ['/healthz', 'get'],
    ['/readyz', 'get'],
    ['/openapi.json', 'get'],
    ['/openapi.yaml', 'get'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  }
});

test('every error code of api/errors.ts appears in the document', () => {
  const errorSchema = JSON.stringify((parse(committed) as { components: { schemas: Record<string, unknown> } }).components.schemas.Error);
  for (const code of API_ERROR_CODES) {
    assert.ok(errorSchema.includes(`"${code}"`), `${code} in the Error schema`);
    assert.ok(committed.includes(`\`${code}\``) && /error\.code/.test(committed), `${code} documented on a response`);
  }
});

test('/openapi.json and /openapi.yaml serve the same document', async () => {
  const json = await (await fetch(`${app.url}/openapi.json`)).json();
  assert.deepEqual(json, JSON.parse(JSON.stringify(buildOpenApiDocument())));
  const yamlRes = await fetch(`${app.url}/openapi.yaml`);
  assert.match(yamlRes.headers.get('content-type') ?? '', /yaml/);
  assert.equal(await yamlRes.text(), committed);
});

/** Checks a live answer: its status is documented for the route and its body matches `schema`. */
async function conforms(res: Response, route: string, method: string, schema: z.ZodType): Promise<unknown> {
  const documented = doc.paths[route]?.[method]?.responses ?? {};
  assert.ok(String(res.status) in documented, `${res.status} is documented for ${method.toUpperCase()} ${route}`);
  const body: unknown = await res.json();
  const parsed = schema.safeParse(body);
  assert.ok(parsed.success, `${method.toUpperCase()} ${route} → ${res.status}: ${parsed.success ? '' : parsed.error.message}`);
  return parsed.data;
}

test('live responses match the schemas the document is made from', async () => {
  const form = new FormData();
  for (const f of ['faulthandler.txt', 'gdb-bt.txt'])
    form.append('file', new Blob([readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', f))]), f);
  const accepted = (await conforms(
    await fetch(`${app.url}/api/v1/dumps`, { method: 'POST', body: form }),
    '/api/v1/dumps',
    'post',
    DumpAcceptedSchema,
  )) as {
    id: string;
  };
  const id = accepted.id;
  const done = await eventually('the report to be done', async () => {
    const res = await fetch(`${app.url}/api/v1/reports/${id}`);
    const body = (await res.clone().json()) as { status: string };
    return body.status === 'done' || body.status === 'failed' ? res : undefined;
  });
  const record = (await conforms(done, '/api/v1/reports/{id}', 'get', ReportResponseSchema)) as {
    status: string;
    report: { signature: string };
  };
  assert.equal(record.status, 'done');
  await conforms(
    await fetch(`${app.url}/api/v1/signatures/${record.report.signature}`),
    '/api/v1/signatures/{signature}',
    'get',
    SignatureStatsSchema,
  );
  await conforms(await fetch(`${app.url}/healthz`), '/healthz', 'get', HealthSchema);
  await conforms(await fetch(`${app.url}/readyz`), '/readyz', 'get', ReadySchema);

  const errors: [Promise<Response>, string, string, string][] = [
    [
      fetch(`${app.url}/api/v1/dumps`, { method: 'POST', body: '', headers: { 'Content-Type': 'text/plain' } }),
      '/api/v1/dumps',
      'post',
      'empty_upload',
    ],
    [
      fetch(`${app.url}/api/v1/dumps`, { method: 'POST', body: 'x'.repeat(300 * 1024), headers: { 'Content-Type': 'text/plain' } }),
      '/api/v1/dumps',
      'post',
      'payload_too_large',
    ],
    [
      fetch(`${app.url}/api/v1/dumps?format=nope`, { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }),
      '/api/v1/dumps',
      'post',
      'invalid_request',
    ],
    [fetch(`${app.url}/api/v1/reports/r_AAAAAAAAAAAAAAAAAAAAAA`), '/api/v1/reports/{id}', 'get', 'not_found'],
    [fetch(`${app.url}/api/v1/reports/nope`), '/api/v1/reports/{id}', 'get', 'invalid_request'],
    [fetch(`${app.url}/api/v1/signatures/v1:ffffffffffff`), '/api/v1/signatures/{signature}', 'get', 'not_found'],
  ];
  for (const [pending, route, method, code] of errors) {
    const body = (await conforms(await pending, route, method, ErrorBodySchema)) as z.infer<typeof ErrorBodySchema>;
    assert.equal(body.error.code, code);
  }
});
