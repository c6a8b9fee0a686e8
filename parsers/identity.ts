/**
 * Thread identities shared across formats are normalized here and only here, so that
 * faulthandler's `Thread 0x00007f77e26006c0` and gdb's `Thread 0x7f77e26006c0 (LWP 2320)`
 * meet on the same value.
 */

/** A pthread_t is an address: the same normalization as {@link normalizeHex}. */
export function normalizePthreadId(text: string | null | undefined): string | null {
  return normalizeHex(text);
}

/** Lower-case hex with `0x` and no leading zeros (`0x00007F01` → `0x7f01`); null for anything that is not hex. */
export function normalizeHex(text: string | null | undefined): string | null {
  if (text == null) return null;
  let s = text.trim().toLowerCase();
  if (s.startsWith('0x')) s = s.slice(2);
  if (s.length === 0 || s.length > 16 || !/^[0-9a-f]+$/.test(s)) return null;
  s = s.replace(/^0+/, '');
  return `0x${s === '' ? '0' : s}`;
}

/** A pthread id printed as a decimal number (gdb `threadid=140388752762560`, Python `threading.get_ident()`). */
export function pthreadIdFromDecimal(text: string): string | null {
  if (!/^\d{1,20}$/.test(text)) return null;
  try {
    return normalizePthreadId(BigInt(text).toString(16));
  } catch {
    return null;
  }
}

/** A positive integer id (pid, lwp), or null. */
export function parseId(text: string | null | undefined): number | null {
  if (text == null || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n > 0 && n <= 0x7fffffff ? n : null;
}
