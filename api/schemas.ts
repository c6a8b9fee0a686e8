/**
 * The request and response shapes of the HTTP API, defined once with zod. Handlers validate
 * with them, tests check live responses against them, and scripts/gen-openapi.ts turns the
 * same objects into openapi.yaml, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { FORMATS } from '../parsers/model.js';
import { ReportSchema } from '../report/schema.js';
import { REPORT_ID_PATTERN } from '../store/report-id.js';
import { REPORT_STATUSES } from '../store/report-store.js';

/** Formats a client may force; `unknown` means "detect", which is what omitting it does. */
export const FORCEABLE_FORMATS = FORMATS.filter((f) => f !== 'unknown');

export const ReportIdSchema = z
  .string()
  .regex(REPORT_ID_PATTERN)
  .meta({ description: 'Report id: `r_` and at least 22 base64url characters.', example: 'r_3q2-7wAAAAB8m1c0d9Xyzw' });

// `v1:` + hex today (analysis/summary.ts); the shape is checked loosely so v2 signatures still route.
export const SignatureSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,32}:[A-Za-z0-9._-]{1,200}$/)
  .meta({ description: 'A report signature, stable across re-uploads of the same problem.', example: 'v1:0f3a9c1e5b7d2a4c6e8f' });

/** The format value meaning "detect" (the upload page's default choice). */
export const AUTO_FORMAT = 'auto';

export const FormatSchema = z
  .enum([AUTO_FORMAT, ...FORCEABLE_FORMATS])
  .meta({ description: 'Forces this parser for every file instead of detecting it; `auto` (or leaving it out) detects.' });

export const DumpQuerySchema = z.object({
  name: z.string().min(1).max(255).optional().meta({ description: 'File name for a raw body (default `upload.txt`).' }),
  format: FormatSchema.optional(),
});

/** Text fields of a multipart upload; other fields are ignored. */
export const DumpFormSchema = z.object({
  text: z.string().optional().meta({ description: 'Pasted dump text, analysed as a file named `pasted.txt`.' }),
  format: FormatSchema.optional(),
});

export const DumpAcceptedSchema = z
  .object({
    id: ReportIdSchema,
    status: z.literal('queued'),
    reportUrl: z.url().meta({ description: 'Poll this for the report JSON.' }),
    webUrl: z.url().meta({ description: 'The report page, the link a team shares.' }),
  })
  .meta({ id: 'DumpAccepted' });
export type DumpAccepted = z.infer<typeof DumpAcceptedSchema>;

/** Report v1 as a named component of the document. */
export const ReportComponentSchema = ReportSchema.meta({ id: 'Report' });

export const ReportStatusSchema = z.enum(REPORT_STATUSES).meta({ id: 'ReportStatus' });

export const ReportResponseSchema = z
  .object({
    id: ReportIdSchema,
    status: ReportStatusSchema,
    createdAt: z.string().meta({ description: 'When the upload was accepted (ISO 8601).' }),
    updatedAt: z.string().meta({ description: 'Last change of status (ISO 8601).' }),
    report: ReportComponentSchema.optional(),
    error: z.string().optional().meta({ description: 'Why, when `status` is `failed`.' }),
  })
  .meta({ id: 'ReportResponse' });
export type ReportResponse = z.infer<typeof ReportResponseSchema>;

export const SignatureStatsSchema = z
  .object({
    signature: SignatureSchema,
    count: z.number().int().positive().meta({ description: 'Finished reports with this signature.' }),
    firstSeen: z.string(),
    lastSeen: z.string(),
    reportIds: z.array(ReportIdSchema).meta({ description: 'The newest reports with this signature, newest first (at most 20).' }),
  })
  .meta({ id: 'SignatureStats' });

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const ReadySchema = z.object({ status: z.literal('ready') }).meta({ id: 'Ready' });
