/**
 * Threads of the same state, blocking frame and normalized stack form a group. The stack
 * is normalized on a copy — no addresses, arguments, line numbers or pids, no interpreter
 * plumbing — and hashed into a signature that carries its normalization version, so a
 * change to normalization makes `v2:` signatures instead of silently regrouping history.
 */
import { createHash } from 'node:crypto';
import type { RawFrame } from '../parsers/model.js';
import { baseName, frameLabel, isInterpreterPlumbing, normalizeFunctionName } from './frame-names.js';
import type { ClassifiedThread, ThreadGroup } from './model.js';

export const STACK_SIGNATURE_VERSION = 'v1';
/** Frames from the innermost that a signature keeps: deep recursion must not split groups. */
const SIGNATURE_DEPTH = 48;

/** The normalized frames of a stack, innermost first, as short labels. */
export function normalizeStack(frames: readonly RawFrame[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    if (out.length >= SIGNATURE_DEPTH) break;
    if (f.language === 'python') {
      // Directories differ between hosts and virtualenvs; the module file and function do not.
      out.push(`py:${baseName(f.file) ?? '?'}:${f.function ?? '?'}`);
      continue;
    }
    if (f.function === null || f.isSignalTrampoline) {
      if (f.isSignalTrampoline) out.push('<signal>');
      continue;
    }
    const name = normalizeFunctionName(f.function);
    if (isInterpreterPlumbing(name)) continue;
    if (out[out.length - 1] === name) continue;
    out.push(name);
  }
  return out;
}

/** `v1:` and 16 hex digits of the SHA-256 of the normalized stack. */
export function stackSignature(frames: readonly RawFrame[]): string {
  const text = normalizeStack(frames).join('\n');
  return `${STACK_SIGNATURE_VERSION}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** Groups threads by state, blocking frame and stack signature; largest first, then by state severity. */
export function groupThreads(threads: readonly ClassifiedThread[]): ThreadGroup[] {
  const byKey = new Map<string, ThreadGroup>();
  for (const t of threads) {
    const signature = stackSignature(t.frames);
    const identity = `${t.state}\n${t.blockingFrame ?? ''}\n${signature}`;
    let group = byKey.get(identity);
    if (!group) {
      const key = `g-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
      group = { key, state: t.state, blockingFrame: t.blockingFrame, stackSignature: signature, idle: t.idle, threads: [] };
      byKey.set(identity, group);
    }
    group.threads.push(t);
    group.idle &&= t.idle;
  }
  return [...byKey.values()].sort(
    (a, b) => b.threads.length - a.threads.length || Number(a.idle) - Number(b.idle) || a.key.localeCompare(b.key),
  );
}

/** The member whose stack best represents a group: the one with the most frames known. */
export function representative(group: ThreadGroup): ClassifiedThread {
  let best = group.threads[0] as ClassifiedThread;
  for (const t of group.threads) if (t.frames.length > best.frames.length) best = t;
  return best;
}
