/**
 * The closed set of API errors. Handlers `throw new ApiError(code, message)`; the error
 * middleware answers `{ error: { code, message, requestId } }` with the code's status. Codes
 * are part of the public surface: the OpenAPI document lists them all (a test checks it).
 */
import { z } from 'zod';

export const API_ERROR_CODES = [
  'invalid_request',
  'payload_too_large',
  'too_many_files',
  'empty_upload',
  'unsupported_media_type',
  'length_required',
  'unauthorized',
  'not_found',
  'not_ready',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The HTTP status each code is answered with. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  empty_upload: 400,
  unauthorized: 401,
  not_found: 404,
  length_required: 411,
  payload_too_large: 413,
  too_many_files: 413,
  unsupported_media_type: 415,
  internal: 500,
  not_ready: 503,
} as const satisfies Record<ApiErrorCode, number>;

/** An error the API answers as is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = API_ERROR_STATUS[code];
  }
}

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES),
      message: z.string().meta({ description: 'What went wrong, in words for a person.' }),
      requestId: z.string().optional().meta({ description: 'Also in the X-Request-Id header; quote it when reporting a 500.' }),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The JSON body for `err`. */
export function errorBody(err: ApiError, requestId: string | undefined): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(requestId ? { requestId } : {}) } };
}
