/**
 * The `faulthandler` format: CPython's faulthandler module (3.3–3.14, and the PyPI backport
 * for 2.7) and `Py_FatalError` reports, which print the same thread and frame lines.
 */
import type { DumpFormat } from '../format.js';
import { faulthandlerSignature } from './line-kinds.js';
import { parseFaulthandler } from './parse.js';

export const faulthandlerFormat: DumpFormat = {
  name: 'faulthandler',
  signature: faulthandlerSignature,
  parse: parseFaulthandler,
};
