/**
 * Upload limits for the HTTP layer, all taken from config/limits.ts, and the one-to-one map
 * from the errors multer and body-parser raise when one is hit onto API error codes.
 * Multer's limits all default to Infinity (ECOSYSTEM §2.2), so each is set here.
 */
import type { Options as MulterOptions } from 'multer';
import type { Limits } from '../config/limits.js';
import { ApiError } from './errors.js';

/** Form fields a client may send beside the files (`text`, `format`, a submit button, a few extra). */
export const MAX_FORM_FIELDS = 16;
/** Longest form field name. */
const MAX_FIELD_NAME_BYTES = 100;

/** multer limits derived from the service limits. */
export function multerLimits(limits: Limits): NonNullable<MulterOptions['limits']> {
  const fileBytes = Math.min(limits.maxRequestBytes, limits.maxFileBytes);
  return {
    fileSize: fileBytes,
    files: limits.maxFiles,
    fields: MAX_FORM_FIELDS,
    // The `text` field carries a pasted dump, so it may be as large as a file.
    fieldSize: fileBytes,
    fieldNameSize: MAX_FIELD_NAME_BYTES,
    parts: limits.maxFiles + MAX_FORM_FIELDS,
    headerPairs: 200,
    // Field names are flat (`file`, `text`, `format`): no nesting, no array indexes.
    fieldNestingDepth: 1,
    fieldArrayIndexLimit: 0,
  };
}

/**
 * Bytes a raw body may inflate to. body-parser counts inflated bytes, which is what makes
 * a gzip bomb harmless; the compressed request is capped separately by Content-Length.
 */
export function rawBodyLimit(limits: Limits): number {
  return Math.min(limits.maxFileBytes, limits.maxCaseBytes);
}

const MULTER_CODES: Record<string, (limits: Limits) => ApiError> = {
  LIMIT_FILE_SIZE: (l) => new ApiError('payload_too_large', `a file is larger than ${bytes(Math.min(l.maxRequestBytes, l.maxFileBytes))}`),
  LIMIT_FILE_COUNT: (l) => new ApiError('too_many_files', `a case holds at most ${l.maxFiles} files`),
  LIMIT_PART_COUNT: (l) =>
    new ApiError('too_many_files', `the form has too many parts (at most ${l.maxFiles} files and ${MAX_FORM_FIELDS} fields)`),
  LIMIT_FIELD_VALUE: (l) =>
    new ApiError('payload_too_large', `a form field is larger than ${bytes(Math.min(l.maxRequestBytes, l.maxFileBytes))}`),
  LIMIT_FIELD_COUNT: () => new ApiError('invalid_request', `the form has more than ${MAX_FORM_FIELDS} fields`),
  LIMIT_FIELD_KEY: () => new ApiError('invalid_request', `a form field name is longer than ${MAX_FIELD_NAME_BYTES} bytes`),
  LIMIT_UNEXPECTED_FILE: () => new ApiError('invalid_request', "files must be sent in form fields named 'file'"),
  MISSING_FIELD_NAME: () => new ApiError('invalid_request', 'a form part has no field name'),
  INVALID_FIELD_NAME: () => new ApiError('invalid_request', 'a form field name is not valid'),
  LIMIT_FIELD_NESTING: () => new ApiError('invalid_request', 'form field names must be flat (`file`, `text`, `format`)'),
  LIMIT_FIELD_ARRAY_INDEX: () => new ApiError('invalid_request', 'form field names must be flat (`file`, `text`, `format`)'),
  STREAM_DESTROYED: () => new ApiError('invalid_request', 'the upload was cut off'),
};

const BODY_PARSER_TYPES: Record<string, (limits: Limits) => ApiError> = {
  'entity.too.large': (l) =>
    new ApiError('payload_too_large', `the body is larger than ${bytes(l.maxRequestBytes)} (${bytes(rawBodyLimit(l))} once decompressed)`),
  'encoding.unsupported': () => new ApiError('unsupported_media_type', 'Content-Encoding must be gzip, deflate, br or identity'),
  'request.size.invalid': () => new ApiError('invalid_request', 'the body is shorter or longer than its Content-Length'),
  'request.aborted': () => new ApiError('invalid_request', 'the client aborted the upload'),
};

/** The ApiError for an error raised while reading an upload, or null when it is not an upload error. */
export function uploadError(err: unknown, limits: Limits): ApiError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { name?: string; code?: string; type?: string; message?: string };
  if (e.name === 'MulterError' && e.code)
    return MULTER_CODES[e.code]?.(limits) ?? new ApiError('invalid_request', e.message ?? 'bad multipart form');
  const fromBodyParser = e.type ? BODY_PARSER_TYPES[e.type] : undefined;
  if (fromBodyParser) return fromBodyParser(limits);
  // zlib errors while inflating a gzip/deflate body (body-parser passes them on as they are).
  if (e.code?.startsWith('Z_') || e.code === 'ERR_ZLIB_INITIALIZATION_FAILED')
    return new ApiError('invalid_request', 'the body is not valid gzip/deflate data');
  // busboy's own parse errors ("Unexpected end of form", "Malformed part header", "Boundary not found").
  if (/^(Unexpected end of form|Malformed part header|Multipart: Boundary not found)/.test(e.message ?? '')) {
    return new ApiError('invalid_request', `malformed multipart body: ${e.message}`);
  }
  return null;
}

function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
