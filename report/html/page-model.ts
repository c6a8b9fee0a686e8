/**
 * What the web pages are rendered from: the stored report plus the job facts the API
 * knows about it. The report itself is the contract model (`report/schema.ts`).
 */
import type { Report } from '../schema.js';

/** How often one problem (one report `signature`) has been uploaded, and where. */
export interface SignatureStats {
  signature: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  reportIds: string[];
}

export type ReportStatus = 'queued' | 'processing' | 'done' | 'failed';

export interface ReportPageModel {
  id: string;
  status: ReportStatus;
  report: Report | null;
  error: string | null;
  createdAt: string | null;
  signatureStats: SignatureStats | null;
}

export interface HomePageModel {
  maxFiles: number;
  maxUploadBytes: number;
  formats: readonly string[];
}
