import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { TriageJobSchema } from '../worker/queue.js';
import { API_ERROR_CODES, API_ERROR_STATUS } from './errors.js';
import { multerLimits, rawBodyLimit, uploadError } from './limits.js';
import { DumpFormSchema, DumpQuerySchema } from './schemas.js';

test('every multer limit is set to a finite whole number (multer defaults them to Infinity)', () => {
  const limits = multerLimits(DEFAULT_LIMITS);
  for (const key of [
    'fileSize',
    'files',
    'fields',
    'fieldSize',
    'parts',
    'fieldNameSize',
    'headerPairs',
    'fieldNestingDepth',
    'fieldArrayIndexLimit',
  ] as const) {
    const value = limits[key];
    assert.ok(typeof value === 'number' && Number.isInteger(value) && value >= 0, `${key} = ${value}`);
  }
  assert.equal(limits.files, DEFAULT_LIMITS.maxFiles);
  assert.ok(Number.isFinite(rawBodyLimit(DEFAULT_LIMITS)));
});

test('upload-limit errors map one-to-one onto API codes', () => {
  const multer = (code: string) => uploadError(Object.assign(new Error(code), { name: 'MulterError', code }), DEFAULT_LIMITS)?.code;
  assert.equal(multer('LIMIT_FILE_SIZE'), 'payload_too_large');
  assert.equal(multer('LIMIT_FILE_COUNT'), 'too_many_files');
  assert.equal(multer('LIMIT_PART_COUNT'), 'too_many_files');
  assert.equal(multer('LIMIT_FIELD_VALUE'), 'payload_too_large');
  assert.equal(multer('LIMIT_UNEXPECTED_FILE'), 'invalid_request');
  assert.equal(uploadError(Object.assign(new Error('too large'), { type: 'entity.too.large' }), DEFAULT_LIMITS)?.code, 'payload_too_large');
  assert.equal(
    uploadError(Object.assign(new Error('x'), { type: 'encoding.unsupported' }), DEFAULT_LIMITS)?.code,
    'unsupported_media_type',
  );
  assert.equal(
    uploadError(Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' }), DEFAULT_LIMITS)?.code,
    'invalid_request',
  );
  assert.equal(uploadError(new Error('something else'), DEFAULT_LIMITS), null);
});

test('every error code has a status, 4xx for the client and 5xx for the service', () => {
  for (const code of API_ERROR_CODES) {
    const status = API_ERROR_STATUS[code];
    assert.ok(code === 'internal' || code === 'not_ready' ? status >= 500 : status >= 400 && status < 500, `${code} → ${status}`);
  }
});

test('request schemas never throw, whatever they are given', () => {
  fc.assert(
    fc.property(fc.anything(), (value) => {
      for (const schema of [DumpQuerySchema, DumpFormSchema, TriageJobSchema]) schema.safeParse(value);
    }),
    { numRuns: 2000 },
  );
});
