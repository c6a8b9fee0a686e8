/**
 * The report as a short text for a terminal: the problem first, then the evidence a person
 * needs to act, then what was read. A view of the model; it decides nothing.
 */
import { baseName, isInterpreterPlumbing, normalizeFunctionName } from '../analysis/frame-names.js';
import type { Frame, Report, ReportGroup, ReportThread } from './schema.js';

export interface TextOptions {
  /** Groups listed at most. */
  maxGroups?: number;
  /** Wrap width for diagnosis details. */
  width?: number;
}

/** Renders a report as plain text, ending with a newline. */
export function renderText(report: Report, options: TextOptions = {}): string {
  const maxGroups = options.maxGroups ?? 8;
  const width = options.width ?? 100;
  const out: string[] = [];
  out.push(report.summary, '');

  if (report.diagnoses.length > 0) {
    out.push('Findings');
    for (const d of report.diagnoses) {
      out.push(`  [${d.severity}] ${d.code}: ${d.title}`);
      for (const line of wrap(d.detail, width - 6)) out.push(`      ${line}`);
      const evidence = Object.entries(d.evidence)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      if (evidence) out.push(`      evidence: ${evidence}`);
      if (d.threadKeys.length > 0) out.push(`      threads: ${listKeys(d.threadKeys)}`);
    }
    out.push('');
  }

  const threadsByKey = new Map(report.threads.map((t) => [t.key, t]));
  if (report.groups.length > 0) {
    out.push(`Thread groups (${report.threads.length} threads in ${report.groups.length} groups)`);
    for (const g of report.groups.slice(0, maxGroups)) out.push(...renderGroup(g, threadsByKey));
    if (report.groups.length > maxGroups) out.push(`  … ${report.groups.length - maxGroups} more groups (see --json)`);
    out.push('');
  }

  out.push(...renderMovement(report.threads));

  if (report.processes.length > 0) {
    out.push('Processes');
    for (const p of report.processes.slice(0, 12)) {
      const cpu = p.cpuPercent === null ? '' : ` ${p.cpuPercent}% CPU`;
      const threads = p.threadCount === null ? '' : ` ${p.threadCount} threads`;
      out.push(
        `  ${p.pid}${p.ppid === null ? '' : ` (ppid ${p.ppid})`}${threads}${cpu}${p.state ? ` ${p.state}` : ''}  ${truncate(p.command ?? '', 60)}`,
      );
    }
    if (report.processes.length > 12) out.push(`  … ${report.processes.length - 12} more`);
    out.push('');
  }

  out.push('Inputs');
  for (const i of report.inputs) {
    const warn = i.warnings.length > 0 ? `, ${i.warnings.length} warning${i.warnings.length === 1 ? '' : 's'}` : '';
    out.push(
      `  ${i.name}: ${i.format}${i.detection.forced ? ' (forced)' : ` (confidence ${i.detection.confidence})`}, ${i.bytes} bytes${warn}`,
    );
    for (const w of i.warnings.slice(0, 3))
      out.push(`      ${w.line === null ? '' : `line ${w.line}: `}${w.code}: ${truncate(w.message, width - 20)}`);
    if (i.warnings.length > 3) out.push(`      … ${i.warnings.length - 3} more`);
  }
  return `${out.join('\n')}\n`;
}

/** Repeated captures: which threads never moved, which did, and how CPU moved. */
function renderMovement(threads: readonly ReportThread[]): string[] {
  const stuck = threads.filter((t) => t.movement === 'stuck');
  const changed = threads.filter((t) => t.movement === 'changed');
  const sampled = threads.filter((t) => t.cpuSamples.length >= 2);
  if (stuck.length === 0 && changed.length === 0 && sampled.length === 0) return [];
  const lines = ['Across repeated captures'];
  if (stuck.length > 0) lines.push(`  stuck (same stack every time): ${listKeys(stuck.map((t) => t.key))}`);
  if (changed.length > 0) lines.push(`  moved: ${listKeys(changed.map((t) => t.key))}`);
  const busiest = [...sampled].sort((a, b) => Math.max(...b.cpuSamples) - Math.max(...a.cpuSamples)).slice(0, 5);
  for (const t of busiest) lines.push(`  CPU of ${t.key}${t.name ? ` "${t.name}"` : ''}: ${t.cpuSamples.map((c) => `${c}%`).join(' → ')}`);
  lines.push('');
  return lines;
}

function renderGroup(g: ReportGroup, threads: ReadonlyMap<string, ReportThread>): string[] {
  const lines: string[] = [];
  const idle = g.idle ? ' idle' : '';
  const pids = g.pids.length > 1 ? ` across ${g.pids.length} processes` : '';
  lines.push(`  ${String(g.count).padStart(4)} × ${g.state}${idle} in ${g.blockingFrame ?? '(no blocking frame)'}${pids}`);
  const sample = threads.get(g.threadKeys[0] ?? '');
  if (sample) lines.push(`         e.g. ${sample.key}${sample.name ? ` "${sample.name}"` : ''}: ${sample.classification.why}`);
  const stack = readableStack(sample?.frames ?? g.representativeFrames, sample?.classification.frameIndex ?? null);
  if (stack) lines.push(`         ${truncate(stack, 110)}`);
  return lines;
}

/**
 * The stack from the frame that decided the state outwards (the libc wait internals below
 * it say nothing new), without interpreter plumbing and with repeats folded.
 */
function readableStack(frames: readonly Frame[], from: number | null): string {
  const labels: string[] = [];
  for (const f of frames.slice(from ?? 0)) {
    if (labels.length >= 7) break;
    // py-bt's `<built-in method sleep …>` repeats the native call just below it.
    if (f.language === 'python' && f.file === '<built-in>') continue;
    const label =
      f.language === 'python'
        ? `${baseName(f.file) || '?'}:${f.function ?? '?'}`
        : f.function === null
          ? '??'
          : normalizeFunctionName(f.function);
    if (f.language === 'native' && isInterpreterPlumbing(label)) continue;
    if (labels[labels.length - 1] === label) continue;
    labels.push(label);
  }
  return labels.join(' < ');
}

function listKeys(keys: readonly string[]): string {
  return keys.length <= 8 ? keys.join(', ') : `${keys.slice(0, 8).join(', ')} … (+${keys.length - 8})`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      if (word === '') continue;
      if (line.length + word.length + 1 > width && line) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}
