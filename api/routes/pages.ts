/** The web pages: the upload form and the report page, rendered on the server. */
import { Router } from 'express';
import type { Limits } from '../../config/limits.js';
import { renderErrorPage, renderHomePage, renderReportPage } from '../../report/html/index.js';
import { isReportId } from '../../store/report-id.js';
import type { ReportStore } from '../../store/report-store.js';
import type { SignatureIndex } from '../../store/signature-index.js';
import { FORCEABLE_FORMATS } from '../schemas.js';

/** Seconds after which a browser reloads a page whose report is not finished yet. */
const PENDING_REFRESH_SECONDS = 2;

/** `GET /` and `GET /r/:id`. */
export function pageRoutes(store: ReportStore, signatures: SignatureIndex, limits: Limits): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res
      .type('html')
      .send(renderHomePage({ maxFiles: limits.maxFiles, maxUploadBytes: limits.maxRequestBytes, formats: FORCEABLE_FORMATS }));
  });
  router.get('/r/:id', async (req, res) => {
    const { id } = req.params;
    const record = isReportId(id) ? await store.get(id) : null;
    if (record === null) {
      res
        .status(404)
        .type('html')
        .send(
          renderErrorPage(
            404,
            'Report not found',
            'There is no report with this link; reports expire after a while. Upload the dumps again.',
          ),
        );
      return;
    }
    const signatureStats = record.report ? await signatures.get(record.report.signature) : null;
    const pending = record.status === 'queued' || record.status === 'processing';
    // The Refresh header reloads pending pages without any script (the CSP allows none inline).
    if (pending) res.set('Refresh', String(PENDING_REFRESH_SECONDS));
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderReportPage({
          id: record.id,
          status: record.status,
          report: record.report,
          error: record.error,
          createdAt: record.createdAt || null,
          signatureStats,
        }),
      );
  });
  return router;
}
