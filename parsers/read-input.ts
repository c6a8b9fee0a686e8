/**
 * One uploaded or named file to parsed inputs: inflate (capped), decode, clean, find the
 * dumps in it, parse each. A file holding a gdb backtrace and then `ps` output becomes two
 * inputs, `name` and `name#2`. Never throws on content.
 */
import type { Limits } from '../config/limits.js';
import { inflateCapped } from './decompress.js';
import { dedentHiddenDumps } from './dedent.js';
import { collectingContext } from './format.js';
import { cleanLines, decodeText } from './lines.js';
import type { Format, ParsedInput, ParseWarning, Snapshot } from './model.js';
import { DUMP_FORMATS, formatByName, READABLE_FORMATS } from './registry.js';
import { STRONG_LINE, segmentConfidence, segmentLines } from './segment.js';

export interface InputFile {
  /** The name the user gave the file (never a server path). */
  name: string;
  bytes: Uint8Array;
  /** A format the user forces; detection is skipped. */
  format?: Format | undefined;
}

/** Reads one file into one parsed input per dump found in it (at least one, `unknown` when none). */
export function readInput(file: InputFile, limits: Limits): ParsedInput[] {
  const fileWarnings: ParseWarning[] = [];
  const ctx = collectingContext(limits, fileWarnings);
  const inflated = inflateCapped(file.bytes, limits.maxFileBytes);
  if (inflated.truncated)
    ctx.warn(
      'truncated_input',
      null,
      `the file is larger than ${limits.maxFileBytes} bytes${inflated.wasGzip ? ' once inflated' : ''}; only the first ${limits.maxFileBytes} bytes were read`,
    );
  if (inflated.error)
    ctx.warn('decode_error', null, `the gzip stream is damaged (${inflated.error}); read what inflated before the damage`);
  const text = decodeText(inflated.bytes, ctx);
  const { lines } = cleanLines(text, limits, ctx);
  dedentHiddenDumps(lines, isLandmark);

  const forced = file.format && file.format !== 'unknown' ? formatByName(file.format) : null;
  if (forced) {
    const warnings = [...fileWarnings];
    const snapshots = forced.parse(lines, 0, lines.length, collectingContext(limits, warnings));
    return [
      finish(
        {
          name: file.name,
          format: forced.name,
          bytes: inflated.bytes.length,
          warnings,
          detection: { format: forced.name, confidence: 1, evidence: [], forced: true },
          snapshots: [],
        },
        snapshots,
        limits,
      ),
    ];
  }

  const segments = segmentLines(lines, DUMP_FORMATS);
  if (segments.length === 0) {
    ctx.warn(
      'unknown_format',
      null,
      `no line looked like any format stacksift reads (${READABLE_FORMATS.join(', ')}); expected e.g. a gdb 'Thread 2 (Thread 0x7f… (LWP 9)):' header, a faulthandler 'Thread 0x… (most recent call first):' line or a ps header`,
    );
    return [
      {
        name: file.name,
        format: 'unknown',
        bytes: inflated.bytes.length,
        warnings: fileWarnings,
        detection: { format: 'unknown', confidence: 0, evidence: [], forced: false },
        snapshots: [],
      },
    ];
  }
  return segments.map((seg, k) => {
    const warnings = k === 0 ? [...fileWarnings] : [];
    const snapshots = seg.format.parse(lines, seg.start, seg.end, collectingContext(limits, warnings));
    const bytes = segments.length === 1 ? inflated.bytes.length : byteLength(lines, seg.start, seg.end);
    return finish(
      {
        name: k === 0 ? file.name : `${file.name}#${k + 1}`,
        format: seg.format.name,
        bytes,
        warnings,
        detection: { format: seg.format.name, confidence: segmentConfidence(seg), evidence: seg.evidence, forced: false },
        snapshots: [],
      },
      snapshots,
      limits,
    );
  });
}

/** True when some format claims the line as one only it prints. */
function isLandmark(line: string): boolean {
  for (const format of DUMP_FORMATS) if (format.signature(line) >= STRONG_LINE) return true;
  return false;
}

function finish(input: ParsedInput, snapshots: Snapshot[], limits: Limits): ParsedInput {
  input.snapshots = snapshots;
  for (const s of snapshots) {
    if (s.processes.length <= limits.maxProcesses) continue;
    input.warnings.push({
      code: 'too_many_threads',
      line: s.line,
      message: `kept the first ${limits.maxProcesses} of ${s.processes.length} processes of this capture`,
    });
    s.processes.length = limits.maxProcesses;
  }
  if (!snapshots.some(hasContent)) {
    input.warnings.push({
      code: 'missing_header',
      line: null,
      message: `the text looked like ${input.format} output, but no thread, process or system-call row could be read from it`,
    });
  }
  return input;
}

/** True when a snapshot holds anything analysis can use. */
export function hasContent(s: Snapshot): boolean {
  return s.threads.length > 0 || s.processes.length > 0 || (s.syscalls !== null && s.syscalls.length > 0) || s.crash !== null;
}

function byteLength(lines: readonly string[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += Buffer.byteLength(lines[i] as string) + 1;
  return n;
}
