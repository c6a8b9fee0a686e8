/**
 * How diagnoses name threads and numbers in titles and details, so every rule reads alike:
 * `'transfer' (LWP 405)`, `47,240`, `95.6 %`.
 */
import type { ClassifiedThread } from '../model.js';

/** A thread as a person reads it: `'audit' (LWP 406)`, `LWP 32102`, `thread 0x7f4f112ff6c0`, or its key. */
export function threadLabel(t: Pick<ClassifiedThread, 'name' | 'lwp' | 'pthreadId' | 'key'>): string {
  const id = t.lwp !== null ? `LWP ${t.lwp}` : t.pthreadId !== null ? `thread ${t.pthreadId}` : `thread ${t.key}`;
  return t.name ? `'${t.name}' (${id})` : id;
}

/** Up to `max` thread labels joined in prose, then `and N more`. */
export function listThreads(threads: readonly Pick<ClassifiedThread, 'name' | 'lwp' | 'pthreadId' | 'key'>[], max = 5): string {
  return listWords(threads.map(threadLabel), max);
}

/** Words joined in prose (`a, b and c`), cut after `max` with `and N more`. */
export function listWords(words: readonly string[], max = 5): string {
  if (words.length <= max) {
    if (words.length <= 1) return words[0] ?? '';
    return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  }
  return `${words.slice(0, max).join(', ')} and ${words.length - max} more`;
}

/** An integer with thousands separators (`47,240`), independent of the host's locale. */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  const digits = String(Math.abs(rounded));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return rounded < 0 ? `-${out}` : out;
}

/** A percentage with at most one decimal: `95.6 %`, `100 %`. */
export function formatPercent(p: number): string {
  return `${Math.round(p * 10) / 10} %`;
}

/** `1 thread`, `3 threads`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`;
}

/** The sentence with its first letter upper-cased (`process 9 …` → `Process 9 …`). */
export function capitalize(sentence: string): string {
  return sentence.length === 0 ? sentence : `${sentence[0]?.toUpperCase()}${sentence.slice(1)}`;
}
