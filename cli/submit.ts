/**
 * `stacksift submit FILE...`: uploads the files as one case to a stacksift service, prints
 * the report link, and with `--wait` polls until the report is finished. Exit codes (CONTRACT
 * §1, ECOSYSTEM §4.3): 0 analysed, 1 a `--fail-on` diagnosis was found, 2 usage error, input
 * rejected (4xx) or unreadable, 3 service or network error or `--wait` timeout.
 */
import { openAsBlob, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { type DumpAccepted, DumpAcceptedSchema, FORCEABLE_FORMATS, type ReportResponse, ReportResponseSchema } from '../api/schemas.js';
import type { Report } from '../report/schema.js';
import { EXIT } from './exit-codes.js';
import { type FailOn, failingDiagnoses, parseFailOn } from './fail-on.js';
import { writeGithubOutputs } from './github-summary.js';

interface SubmitFlags {
  server?: string;
  token?: string;
  wait?: boolean;
  timeout: string;
  failOn?: string;
  format?: string;
  json?: boolean;
}

const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const POLL_MS = 1_000;
/** Polls in a row that may fail (a restarting server) before giving up early. */
const MAX_POLL_FAILURES = 5;

/** A failure that ends the command with an exit code and one line on stderr. */
class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Adds `submit` to the program. */
export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('upload dump files as one case to a stacksift server and print the report link')
    .argument('<files...>', 'dump files (gzip accepted); - reads stdin')
    .option('--server <url>', `server URL (default: $STACKSIFT_URL or ${DEFAULT_SERVER})`)
    .option('--token <token>', 'bearer token for uploads (default: $STACKSIFT_TOKEN)')
    .option('--wait', 'wait for the report and print a summary')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds (exit 3)', '300')
    .option(
      '--fail-on <codes>',
      "with --wait: exit 1 when one of these diagnoses is found: codes separated by commas, or 'critical' / 'warning' for a severity or worse",
    )
    .option('--format <format>', `read every file as this format instead of detecting it (${FORCEABLE_FORMATS.join(', ')})`)
    .option('--json', 'print JSON only on stdout: the report with --wait, else the upload answer')
    .action(async (files: string[], flags: SubmitFlags) => {
      try {
        process.exitCode = await runSubmit(files, flags);
      } catch (err) {
        if (!(err instanceof Exit)) throw err;
        process.stderr.write(`stacksift submit: ${err.message.split('\n')[0]}\n`);
        process.exitCode = err.code;
      }
    });
}

async function runSubmit(paths: readonly string[], flags: SubmitFlags): Promise<number> {
  const server = parseServer(flags.server ?? process.env.STACKSIFT_URL ?? DEFAULT_SERVER);
  const token = flags.token ?? process.env.STACKSIFT_TOKEN ?? '';
  const timeoutSeconds = Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new Exit(EXIT.usage, `--timeout must be a positive number of seconds, got '${flags.timeout}'`);
  const failOn = flags.failOn === undefined ? null : parseFailOn(flags.failOn);
  if (failOn !== null && 'error' in failOn) throw new Exit(EXIT.usage, failOn.error);
  if (flags.format !== undefined && !(FORCEABLE_FORMATS as readonly string[]).includes(flags.format)) {
    throw new Exit(EXIT.usage, `unknown format '${flags.format}'; one of ${FORCEABLE_FORMATS.join(', ')}`);
  }

  const form = await buildForm(paths, flags.format);
  const accepted = await upload(server, token, form);
  // With --json, stdout carries JSON only; the link still reaches a person on stderr.
  const out = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  out(`Report: ${accepted.webUrl}`);
  if (!flags.wait) {
    if (flags.json) process.stdout.write(`${JSON.stringify(accepted, null, 2)}\n`);
    writeGithubOutputs({ id: accepted.id, webUrl: accepted.webUrl, report: null });
    return EXIT.ok;
  }

  const finished = await waitForReport(server, accepted, timeoutSeconds * 1000);
  writeGithubOutputs({ id: accepted.id, webUrl: accepted.webUrl, report: finished.report ?? null, error: finished.error ?? null });
  if (finished.status === 'failed' || !finished.report) {
    throw new Exit(EXIT.usage, `the case could not be analysed: ${finished.error ?? 'no reason given'}`);
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(finished.report, null, 2)}\n`);
  else process.stdout.write(`${describe(finished.report)}\n`);
  return verdict(finished.report, failOn);
}

function parseServer(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url;
  } catch {
    throw new Exit(EXIT.usage, `--server must be an http(s) URL, got '${value}'`);
  }
}

async function buildForm(paths: readonly string[], format: string | undefined): Promise<FormData> {
  if (paths.filter((p) => p === '-').length > 1) throw new Exit(EXIT.usage, "'-' (stdin) can be given once");
  const form = new FormData();
  if (format !== undefined) form.append('format', format);
  for (const path of paths) {
    if (path === '-') {
      form.append('file', new Blob([readFileSync(0)]), 'stdin.txt');
      continue;
    }
    try {
      if (!statSync(path).isFile()) throw new Exit(EXIT.usage, `cannot read ${path}: not a file`);
      // openAsBlob streams the file into the request instead of loading it whole.
      form.append('file', await openAsBlob(path), basename(path));
    } catch (err) {
      if (err instanceof Exit) throw err;
      const code = (err as { code?: string }).code;
      throw new Exit(EXIT.usage, `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }
  return form;
}

async function upload(server: URL, token: string, form: FormData): Promise<DumpAccepted> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== '') headers.Authorization = `Bearer ${token}`;
  const response = await request(new URL('api/v1/dumps', withSlash(server)), { method: 'POST', body: form, headers });
  if (response.status !== 202) throw await rejection(response, 'upload');
  const parsed = DumpAcceptedSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Exit(EXIT.service, `the server at ${server.origin} answered the upload with an unexpected body`);
  return parsed.data;
}

/**
 * Polls the report at the server the user named: the `reportUrl` in the answer is built from
 * the Host the server saw, which a proxy in between may have rewritten to an inside name.
 */
async function waitForReport(server: URL, accepted: DumpAccepted, timeoutMs: number): Promise<ReportResponse> {
  const reportUrl = new URL(`api/v1/reports/${encodeURIComponent(accepted.id)}`, withSlash(server));
  const deadline = Date.now() + timeoutMs;
  const spinner = progress();
  let failures = 0;
  let status = 'queued';
  try {
    for (;;) {
      try {
        const response = await request(reportUrl, { headers: { Accept: 'application/json' } });
        if (response.status !== 200) throw await rejection(response, 'report');
        const parsed = ReportResponseSchema.safeParse(await response.json().catch(() => null));
        if (!parsed.success) throw new Exit(EXIT.service, `the server answered report ${accepted.id} with an unexpected body`);
        failures = 0;
        status = parsed.data.status;
        if (status === 'done' || status === 'failed') return parsed.data;
      } catch (err) {
        if (!(err instanceof Exit) || err.code !== EXIT.service || ++failures >= MAX_POLL_FAILURES) throw err;
      }
      spinner.tick(status);
      if (Date.now() + POLL_MS > deadline) {
        throw new Exit(
          EXIT.service,
          `timed out after ${Math.round(timeoutMs / 1000)} s waiting for report ${accepted.id} (still ${status}); see ${accepted.webUrl}`,
        );
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  } finally {
    spinner.clear();
  }
}

async function request(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Exit(EXIT.service, `cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

/** 4xx: the input was refused (exit 2); anything else: the service failed (exit 3). */
async function rejection(response: Response, what: string): Promise<Exit> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const detail = body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
  const isClientError = response.status >= 400 && response.status < 500;
  return new Exit(isClientError ? EXIT.usage : EXIT.service, `the server refused the ${what} (${response.status} ${detail})`);
}

function describe(report: Report): string {
  const lines = [report.summary];
  for (const d of report.diagnoses) lines.push(`  ${d.severity.padEnd(8)} ${d.code}: ${d.title}`);
  if (report.diagnoses.length === 0) lines.push('  no diagnosis fired');
  return lines.join('\n');
}

function verdict(report: Report, failOn: FailOn | null): number {
  if (failOn === null) return EXIT.ok;
  const failing = failingDiagnoses(report.diagnoses, failOn);
  if (failing.length === 0) return EXIT.ok;
  process.stderr.write(`stacksift submit: --fail-on matched ${failing.map((d) => `${d.code} (${d.severity})`).join(', ')}\n`);
  return EXIT.findings;
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}

/** A one-line "waiting" indicator on stderr for people at a terminal; silent in CI and pipes. */
function progress(): { tick(status: string): void; clear(): void } {
  const live = process.stderr.isTTY === true && !process.env.CI;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let n = 0;
  return {
    tick(status) {
      if (live) process.stderr.write(`\r${frames[n++ % frames.length]} waiting for the report (${status})…  `);
    },
    clear() {
      if (live && n > 0) process.stderr.write('\r\x1b[2K');
    },
  };
}
