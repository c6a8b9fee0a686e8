/**
 * `POST /api/v1/dumps`: one request is one case. The case is stored (files + `queued` record,
 * in one Redis transaction) before the job is queued and before anyone hears "202", so a
 * worker never looks for files that are not there yet; when queueing fails, what was stored
 * is withdrawn and the client gets 503, so nothing is ever half-accepted.
 */

import type { Queue } from 'bullmq';
import express, { type Request, type RequestHandler, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Limits } from '../../config/limits.js';
import type { Format } from '../../parsers/model.js';
import type { StoredFile } from '../../store/case-codec.js';
import { newReportId } from '../../store/report-id.js';
import type { ReportStore } from '../../store/report-store.js';
import { enqueueTriage, type TriageJob } from '../../worker/queue.js';
import { ApiError } from '../errors.js';
import { multerLimits, rawBodyLimit } from '../limits.js';
import { baseUrl, prefersHtml } from '../respond.js';
import { AUTO_FORMAT, type DumpAccepted, DumpFormSchema, DumpQuerySchema } from '../schemas.js';

export interface DumpRouteDeps {
  store: ReportStore;
  queue: Queue<TriageJob>;
  limits: Limits;
  publicBaseUrl: string | null;
  /** Runs before the body is read (the bearer-token check). */
  guard: RequestHandler;
}

/** The upload route. */
export function dumpRoutes(deps: DumpRouteDeps): Router {
  const router = Router();
  const multipart = multer({ storage: multer.memoryStorage(), limits: multerLimits(deps.limits), defParamCharset: 'utf8' }).any();
  // body-parser's limit counts decoded bytes. A plain body (chunked ones too, which declare no
  // length) is capped at the request limit; a compressed one at what it may inflate to.
  const plain = express.raw({ type: () => true, limit: Math.min(deps.limits.maxRequestBytes, rawBodyLimit(deps.limits)), inflate: true });
  const compressed = express.raw({ type: () => true, limit: rawBodyLimit(deps.limits), inflate: true });
  router.post('/api/v1/dumps', deps.guard, checkDeclaredLength(deps.limits), (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase();
      return (encoding === 'identity' ? plain : compressed)(req, res, next);
    }
    // multer buffers every part before the request total can be checked, so a form must declare
    // its length (browsers, curl -F and `stacksift submit` do); the declared length is capped above.
    if (req.get('content-length') === undefined) {
      return next(new ApiError('length_required', 'a multipart upload must declare its Content-Length (send a raw body to stream)'));
    }
    // multer does not decode Content-Encoding; gzip the parts instead (they are inflated during triage).
    const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      return next(new ApiError('unsupported_media_type', 'a multipart body cannot be Content-Encoded; gzip the file parts instead'));
    }
    multipart(req, res, next);
  });
  router.post('/api/v1/dumps', async (req, res) => {
    const files = req.is('multipart/form-data') ? filesFromForm(req) : filesFromRawBody(req);
    const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    if (total === 0) {
      throw new ApiError('empty_upload', 'the upload holds no data: send files in `file` parts, a `text` field, or a raw body');
    }
    if (req.is('multipart/form-data') && total > deps.limits.maxRequestBytes) {
      throw new ApiError('payload_too_large', `the upload is larger than ${deps.limits.maxRequestBytes} bytes`);
    }
    const id = newReportId();
    try {
      await deps.store.accept(id, files);
    } catch (err) {
      req.log.error({ err }, 'could not store an upload');
      throw new ApiError('not_ready', 'the report store is unavailable; nothing was stored, try again');
    }
    try {
      await enqueueTriage(deps.queue, { reportId: id, files: files.length, bytes: total });
    } catch (err) {
      req.log.error({ err, reportId: id }, 'could not queue an upload; withdrawing it');
      await deps.store.withdraw(id).catch((e: unknown) => req.log.error({ err: e, reportId: id }, 'could not withdraw an unqueued upload'));
      throw new ApiError('not_ready', 'the job queue is unavailable; nothing was stored, try again');
    }
    const base = baseUrl(req, deps.publicBaseUrl);
    const accepted: DumpAccepted = { id, status: 'queued', reportUrl: `${base}/api/v1/reports/${id}`, webUrl: `${base}/r/${id}` };
    req.log.info({ reportId: id, files: files.length, bytes: total }, 'upload accepted');
    if (prefersHtml(req)) {
      res.redirect(303, `/r/${id}`);
      return;
    }
    res.status(202).location(accepted.reportUrl).json(accepted);
  });
  return router;
}

/** Rejects a declared Content-Length over the request limit before a byte of the body is read. */
function checkDeclaredLength(limits: Limits): RequestHandler {
  return (req, _res, next) => {
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
      return next(new ApiError('payload_too_large', `the request is larger than ${limits.maxRequestBytes} bytes`));
    }
    next();
  };
}

function filesFromForm(req: Request): StoredFile[] {
  const form = DumpFormSchema.safeParse(req.body ?? {});
  if (!form.success) throw new ApiError('invalid_request', z.prettifyError(form.error));
  const format = forcedFormat(form.data.format);
  const parts = Array.isArray(req.files) ? req.files : [];
  const files: StoredFile[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.fieldname !== 'file') throw new ApiError('invalid_request', `unexpected file field '${part.fieldname}': send files as 'file'`);
    // A browser sends an empty, nameless part for a file input left empty.
    if (part.size > 0) files.push({ name: safeFileName(part.originalname, `file-${i + 1}.txt`), bytes: part.buffer, format });
  }
  if (form.data.text !== undefined && form.data.text.trim() !== '') {
    files.push({ name: 'pasted.txt', bytes: Buffer.from(form.data.text, 'utf8'), format });
  }
  return files;
}

function filesFromRawBody(req: Request): StoredFile[] {
  const query = DumpQuerySchema.safeParse(req.query);
  if (!query.success) throw new ApiError('invalid_request', z.prettifyError(query.error));
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) || body.byteLength === 0) return [];
  return [{ name: safeFileName(query.data.name ?? '', 'upload.txt'), bytes: body, format: forcedFormat(query.data.format) }];
}

function forcedFormat(value: Format | typeof AUTO_FORMAT | undefined): Format | undefined {
  return value === AUTO_FORMAT ? undefined : value;
}

/** A client's file name as a plain name: no directories, no control characters, at most 255 characters. */
function safeFileName(given: string, fallback: string): string {
  const base = given.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}
