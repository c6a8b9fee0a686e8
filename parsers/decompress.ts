/**
 * gzip inflation with a hard cap on the inflated size, so a small upload cannot become a
 * large allocation (a "gzip bomb"). Pure: bytes in, bytes out.
 */
import { constants, gunzipSync } from 'node:zlib';

export interface Inflated {
  bytes: Uint8Array;
  /** True when the file was gzip-compressed. */
  wasGzip: boolean;
  /** True when the inflated text was cut at the cap. */
  truncated: boolean;
  /** Set when the gzip stream is damaged; bytes then hold what could be inflated. */
  error: string | null;
}

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip bytes (any number of members) up to `maxBytes`; other bytes pass through,
 * cut at `maxBytes`. A damaged or cut stream keeps what inflated before the damage.
 */
export function inflateCapped(bytes: Uint8Array, maxBytes: number): Inflated {
  if (!isGzip(bytes)) {
    const truncated = bytes.length > maxBytes;
    return { bytes: truncated ? bytes.subarray(0, maxBytes) : bytes, wasGzip: false, truncated, error: null };
  }
  try {
    return { bytes: gunzipSync(bytes, { maxOutputLength: maxBytes }), wasGzip: true, truncated: false, error: null };
  } catch (err) {
    if (isTooLarge(err)) return { bytes: inflatePrefix(bytes, maxBytes), wasGzip: true, truncated: true, error: null };
    // A cut or damaged stream: keep what inflates with a sync flush instead of a finish.
    const partial = tryInflate(bytes, maxBytes);
    return { bytes: partial ?? new Uint8Array(0), wasGzip: true, truncated: false, error: describe(err) };
  }
}

function tryInflate(bytes: Uint8Array, maxBytes: number): Uint8Array | null {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxBytes });
  } catch {
    return null;
  }
}

/**
 * The longest inflation of a prefix of `bytes` that fits in `maxBytes`. zlib gives no
 * "stop at N bytes" for sync calls, so bisect over how much compressed input to feed;
 * each try is itself capped, and this path only runs for inputs already over the cap.
 */
function inflatePrefix(bytes: Uint8Array, maxBytes: number): Uint8Array {
  let lo = 0;
  let hi = bytes.length;
  let best: Uint8Array = new Uint8Array(0);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const out = tryInflate(bytes.subarray(0, mid), maxBytes);
    if (out) {
      best = out;
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return best;
}

function isTooLarge(err: unknown): boolean {
  return (
    err instanceof RangeError || (typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
  );
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').slice(0, 200);
}
