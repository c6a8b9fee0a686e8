/**
 * The `traceback_dump` format: per-thread `traceback.format_stack` dumps written by hand-made
 * helpers, greenlet sections, `py-spy dump` output and gevent's blocked-hub monitor report.
 */
import type { DumpFormat } from '../format.js';
import { parseTracebackDump } from './parse.js';
import { tracebackDumpSignature } from './signature.js';

export const tracebackDumpFormat: DumpFormat = {
  name: 'traceback_dump',
  signature: tracebackDumpSignature,
  parse: parseTracebackDump,
};
