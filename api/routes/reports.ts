/** Report records and signature statistics as JSON. */
import { Router } from 'express';
import { isReportId } from '../../store/report-id.js';
import type { ReportStore } from '../../store/report-store.js';
import type { SignatureIndex } from '../../store/signature-index.js';
import { ApiError } from '../errors.js';
import { type ReportResponse, SignatureSchema } from '../schemas.js';

/** `GET /api/v1/reports/:id` and `GET /api/v1/signatures/:signature`. */
export function reportRoutes(store: ReportStore, signatures: SignatureIndex): Router {
  const router = Router();
  router.get('/api/v1/reports/:id', async (req, res) => {
    const { id } = req.params;
    if (!isReportId(id)) throw new ApiError('invalid_request', 'not a report id (expected r_ and 22 or more base64url characters)');
    const record = await store.get(id);
    if (record === null) throw new ApiError('not_found', `no report ${id} (it may have expired)`);
    const body: ReportResponse = {
      id: record.id,
      status: record.status,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...(record.report ? { report: record.report } : {}),
      ...(record.error !== null ? { error: record.error } : {}),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });
  router.get('/api/v1/signatures/:signature', async (req, res) => {
    const parsed = SignatureSchema.safeParse(req.params.signature);
    if (!parsed.success) throw new ApiError('invalid_request', 'not a report signature (expected e.g. v1:0f3a9c…)');
    const stats = await signatures.get(parsed.data);
    if (stats === null) throw new ApiError('not_found', `signature ${parsed.data} was never seen (or its counters expired)`);
    res.set('Cache-Control', 'no-store').json(stats);
  });
  return router;
}
