/**
 * The OpenAPI 3.1 document, generated from the zod schemas the handlers use. Served at
 * /openapi.json and /openapi.yaml, and written to openapi.yaml by scripts/gen-openapi.ts.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { stringify } from 'yaml';
import { z } from 'zod';
import { API_ERROR_CODES, API_ERROR_STATUS, type ApiErrorCode, ErrorBodySchema } from './errors.js';
import {
  DumpAcceptedSchema,
  DumpFormSchema,
  DumpQuerySchema,
  HealthSchema,
  ReadySchema,
  ReportIdSchema,
  ReportResponseSchema,
  SignatureSchema,
  SignatureStatsSchema,
} from './schemas.js';

type ResponseConfig = { description: string; content?: Record<string, { schema: z.ZodType }> };

/** Error responses for the given codes, grouped by status, naming each code in the description. */
function errorResponses(codes: readonly ApiErrorCode[]): Record<number, ResponseConfig> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_ERROR_STATUS[code], [...(byStatus.get(API_ERROR_STATUS[code]) ?? []), code]);
  const out: Record<number, ResponseConfig> = {};
  for (const [status, list] of byStatus) {
    out[status] = {
      description: `Error with \`error.code\` ${list.map((c) => `\`${c}\``).join(' or ')}.`,
      content: { 'application/json': { schema: ErrorBodySchema } },
    };
  }
  return out;
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const html = { 'text/html': { schema: z.string() } };

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  // Reading is open (report ids are unguessable); only uploads may need a token.
  const register = (route: RouteConfig) => registry.registerPath({ security: [], ...route });
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Required on uploads when the server sets STACKSIFT_TOKENS.',
  });

  register({
    method: 'post',
    path: '/api/v1/dumps',
    operationId: 'uploadDumps',
    summary: 'Upload the dumps of one case for triage',
    description:
      'All files of one request are one case. Multipart: repeat the `file` field; a `text` field is taken as a file named `pasted.txt`; gzipped parts are accepted as is. ' +
      'Any other content type is one raw file (`?name=`, `?format=`), and `Content-Encoding: gzip` is inflated (the size limit counts inflated bytes). ' +
      'Answers 202 once the case is stored and queued; a browser form post (Accept prefers text/html) gets 303 to the report page instead.',
    security: [{ bearer: [] }, {}],
    request: {
      query: DumpQuerySchema,
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: DumpFormSchema.extend({
              file: z
                .array(z.string().meta({ format: 'binary' }))
                .optional()
                .meta({ description: 'One part per dump file (repeatable).' }),
            }),
          },
          'text/plain': { schema: z.string() },
          'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
        },
      },
    },
    responses: {
      202: {
        description: 'Accepted: the case is stored and queued.',
        headers: z.object({ Location: z.string().meta({ description: 'The report URL.' }) }),
        content: json(DumpAcceptedSchema),
      },
      303: { description: 'Browser form post: see the report page.' },
      ...errorResponses([
        'invalid_request',
        'empty_upload',
        'unauthorized',
        'payload_too_large',
        'too_many_files',
        'unsupported_media_type',
        'length_required',
        'internal',
        'not_ready',
      ]),
    },
  });

  register({
    method: 'get',
    path: '/api/v1/reports/{id}',
    operationId: 'getReport',
    summary: 'Status of a report, and the report once done',
    request: { params: z.object({ id: ReportIdSchema }) },
    responses: {
      200: { description: 'The report record.', content: json(ReportResponseSchema) },
      ...errorResponses(['invalid_request', 'not_found', 'not_ready', 'internal']),
    },
  });

  register({
    method: 'get',
    path: '/api/v1/signatures/{signature}',
    operationId: 'getSignature',
    summary: 'How often a problem signature was seen',
    request: { params: z.object({ signature: SignatureSchema }) },
    responses: {
      200: { description: 'Counters and the newest reports.', content: json(SignatureStatsSchema) },
      ...errorResponses(['invalid_request', 'not_found', 'not_ready', 'internal']),
    },
  });

  register({
    method: 'get',
    path: '/r/{id}',
    operationId: 'reportPage',
    summary: 'The report as a web page (also while queued or after a failure)',
    request: { params: z.object({ id: ReportIdSchema }) },
    responses: {
      200: { description: 'HTML page.', content: html },
      404: { description: 'HTML page: no such report.', content: html },
      503: { description: 'HTML page: the report store is unavailable; try again.', content: html },
    },
  });
  register({
    method: 'get',
    path: '/',
    operationId: 'homePage',
    summary: 'The upload page',
    responses: { 200: { description: 'HTML page.', content: html } },
  });
  register({
    method: 'get',
    path: '/static/{file}',
    operationId: 'staticFile',
    summary: 'Stylesheets and scripts of the pages',
    request: { params: z.object({ file: z.string() }) },
    responses: { 200: { description: 'A static file, cacheable.' }, 404: { description: 'No such file.' } },
  });
  register({
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive.', content: json(HealthSchema) } },
  });
  register({
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: Redis answers PING and the server is not shutting down',
    responses: { 200: { description: 'Ready.', content: json(ReadySchema) }, ...errorResponses(['not_ready']) },
  });
  for (const [path, type] of [
    ['/openapi.json', 'application/json'],
    ['/openapi.yaml', 'application/yaml'],
  ] as const) {
    register({
      method: 'get',
      path,
      operationId: path === '/openapi.json' ? 'openapiJson' : 'openapiYaml',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: { [type]: { schema: z.object({}).loose() } } } },
    });
  }
  return registry;
}

/** The OpenAPI 3.1 document of the service. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const generator = new OpenApiGeneratorV31(buildRegistry().definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'stacksift',
      version: '1.0.0',
      description: `Hang-and-crash triage for thread dumps. Errors answer \`{ "error": { "code", "message" } }\`; the codes are ${API_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'bin/stacksift serve' }],
  });
}

/** The document as YAML, exactly as committed in openapi.yaml. */
export function openApiYaml(): string {
  return stringify(buildOpenApiDocument(), { lineWidth: 0 });
}
