/**
 * Finding dumps inside larger text. Every line is scored by every format's `signature`;
 * a line scoring at least STRONG_LINE is a landmark of that format. A segment runs from a
 * landmark up to the next landmark of another format, so a CI log holding a gdb backtrace
 * and then `ps -L` output gives two segments, and the chatter before the first landmark is
 * left out. Detection explains itself with the landmarks it saw.
 */
import type { DumpFormat } from './format.js';

/** A line scoring at least this much marks its format. */
export const STRONG_LINE = 0.5;
/** Landmark lines quoted as evidence per segment. */
const EVIDENCE_LINES = 3;
const EVIDENCE_WIDTH = 160;

export interface Segment {
  format: DumpFormat;
  /** 0-based line index range [start, end). */
  start: number;
  end: number;
  /** Number of landmark lines of this format inside the segment. */
  landmarks: number;
  /** Highest signature score seen in the segment. */
  topScore: number;
  evidence: Array<{ line: number; text: string }>;
}

/** Splits lines into segments of one format each, in order; empty when no line marks any format. */
export function segmentLines(lines: readonly string[], formats: readonly DumpFormat[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length === 0) continue;
    let best: DumpFormat | null = null;
    let bestScore = 0;
    // Inside a segment most lines are the current format's own landmarks (gdb frames, ps
    // rows…). A full score can only be outranked by a format earlier in the list (ties go to
    // the earlier one), so only those need asking: the same answer at a fraction of the cost.
    const currentIndex = current === null ? -1 : formats.indexOf(current.format);
    let askUpTo = formats.length;
    if (current !== null && current.format.signature(line) >= 1) {
      best = current.format;
      bestScore = 1;
      askUpTo = currentIndex;
    }
    for (let f = 0; f < askUpTo; f++) {
      const format = formats[f] as DumpFormat;
      if (format === best) continue;
      const score = format.signature(line);
      if (score > bestScore || (score === bestScore && score > 0 && best !== null && f < formats.indexOf(best))) {
        bestScore = score;
        best = format;
      }
    }
    if (best === null || bestScore < STRONG_LINE) continue;
    if (current === null || current.format !== best) {
      if (current) current.end = i;
      current = { format: best, start: i, end: lines.length, landmarks: 0, topScore: 0, evidence: [] };
      segments.push(current);
    }
    current.landmarks++;
    if (bestScore > current.topScore) current.topScore = bestScore;
    if (current.evidence.length < EVIDENCE_LINES) current.evidence.push({ line: i + 1, text: line.slice(0, EVIDENCE_WIDTH) });
  }
  return mergeStragglers(segments);
}

/**
 * A single stray landmark of another format inside a long segment (a `ps` header quoted in
 * a gdb `bt full` local, say) would split the segment in three. Fold segments holding one
 * landmark back into the same-format segments around them.
 */
function mergeStragglers(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    const prev = out[out.length - 1];
    const next = segments[i + 1];
    if (prev && next && seg.landmarks === 1 && prev.format === next.format && prev.landmarks > 1 && next.landmarks > 1) {
      prev.end = next.end;
      prev.landmarks += next.landmarks;
      prev.topScore = Math.max(prev.topScore, next.topScore);
      i++;
      continue;
    }
    if (prev && prev.format === seg.format) {
      prev.end = seg.end;
      prev.landmarks += seg.landmarks;
      prev.topScore = Math.max(prev.topScore, seg.topScore);
      continue;
    }
    out.push(seg);
  }
  return out;
}

/** Confidence 0..1 for a segment: the best landmark's score, firmer with more landmarks. */
export function segmentConfidence(seg: Segment): number {
  const support = Math.min(1, 0.6 + 0.1 * seg.landmarks);
  return Math.round(seg.topScore * support * 100) / 100;
}
