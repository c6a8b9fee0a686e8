/**
 * The `pidstat` format: sysstat pidstat with -t, -u, -w, -d, -r, -v, -h, one snapshot per
 * interval plus the `Average:` rows. Quirks are in FORMAT.md.
 */
import { parseDecimal, tokenize } from '../columns.js';
import type { DumpFormat } from '../format.js';
import { hasPidstatColumn, isSysstatBanner, readPidstatHeader } from './header.js';
import { parsePidstat } from './parse.js';

const ID_CELL = /^(?:\d{1,10}|-)$/;

/**
 * An `Average:` row with pidstat's shape: ids (or `-`) after the label, at least one decimal,
 * and a command last (`Average:        0         -     32102    208.97    163.12  |__python3`).
 * mpstat and sar rows differ: `all` or a device name after the label, or numbers only.
 */
function isPidstatAverage(line: string): boolean {
  if (!line.startsWith('Average:') || line.length > 4096) return false;
  const tokens = tokenize(line, 0, 40).map((t) => t.text);
  const last = tokens[tokens.length - 1] ?? '';
  return (
    tokens[0] === 'Average:' &&
    tokens.length >= 5 &&
    ID_CELL.test(tokens[1] ?? '') &&
    ID_CELL.test(tokens[2] ?? '') &&
    tokens.some((t) => /^-?\d+[.,]\d+$/.test(t)) &&
    parseDecimal(last) === null &&
    last !== '-'
  );
}

/** 1 for the sysstat banner, a pidstat column header, or a pidstat `Average:` row; 0 otherwise. */
export function pidstatSignature(line: string): number {
  if (isSysstatBanner(line) || isPidstatAverage(line)) return 1;
  // A pidstat header names its id columns (PID, or TGID and TID).
  if (!line.includes('PID') && !line.includes('TID')) return 0;
  const header = readPidstatHeader(line, 0);
  return header !== null && hasPidstatColumn(header) ? 1 : 0;
}

export const pidstatFormat: DumpFormat = {
  name: 'pidstat',
  signature: pidstatSignature,
  parse: parsePidstat,
};
