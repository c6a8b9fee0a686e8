/**
 * Every limit stacksift applies to untrusted input, in one place, shared by the API,
 * the worker and the CLI. A limit hit inside content truncates and warns; a limit hit
 * on an HTTP request answers 413 with a code.
 */
export interface Limits {
  /** Bytes of one HTTP request body (multipart or raw), before decompression. */
  maxRequestBytes: number;
  /** Bytes of one file after gzip inflation; reading stops at the cap. */
  maxFileBytes: number;
  /** Files in one case (one upload, one `analyze` call). */
  maxFiles: number;
  /** Bytes of all files of a case together, after inflation. */
  maxCaseBytes: number;
  /** Characters of one line; the rest of a longer line is dropped with a warning. */
  maxLineLength: number;
  /** Threads kept per snapshot. */
  maxThreads: number;
  /** Processes kept per snapshot (ps aux of a whole host, pstree). */
  maxProcesses: number;
  /** Frames kept per thread. */
  maxFramesPerThread: number;
  /** Snapshots kept per input (top -n, pidstat intervals, repeated captures). */
  maxSnapshots: number;
  /** Warnings kept per input; the rest are counted in one last warning. */
  maxWarnings: number;
  /** Characters of a frame's argument text kept (gdb prints whole Python dicts there). */
  maxArgsLength: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxRequestBytes: 64 * 1024 * 1024,
  maxFileBytes: 128 * 1024 * 1024,
  maxFiles: 32,
  maxCaseBytes: 256 * 1024 * 1024,
  maxLineLength: 64 * 1024,
  maxThreads: 20_000,
  maxProcesses: 20_000,
  maxFramesPerThread: 512,
  maxSnapshots: 256,
  maxWarnings: 200,
  maxArgsLength: 512,
});

/** Limits from defaults overridden by the environment variables named in the README. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
      throw new Error(`${name} must be a positive whole number, got '${raw}'`);
    }
    return value;
  };
  return {
    ...DEFAULT_LIMITS,
    maxRequestBytes: num('MAX_UPLOAD_BYTES', DEFAULT_LIMITS.maxRequestBytes),
    maxFileBytes: num('MAX_FILE_BYTES', DEFAULT_LIMITS.maxFileBytes),
    maxFiles: num('MAX_FILES', DEFAULT_LIMITS.maxFiles),
  };
}
