/**
 * `stacksift analyze [--json] [--fail-on CODES] [--format F] FILE...`: the same triage the
 * worker runs, in-process, with no Redis. All files are one case; `-` reads stdin; gzip
 * files are read as they are.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { analyzeCase, type CaseFile, UnreadableCaseError } from '../analysis/triage.js';
import { limitsFromEnv } from '../config/limits.js';
import { FORMATS, type Format } from '../parsers/model.js';
import { renderText } from '../report/render-text.js';
import { EXIT } from './exit-codes.js';
import { failingDiagnoses, parseFailOn } from './fail-on.js';

interface AnalyzeFlags {
  json?: boolean;
  failOn?: string;
  format?: string;
}

/** Adds the `analyze` command. */
export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('triage dump files locally (no server, no Redis); all FILEs are one case; - reads stdin')
    .argument('<files...>', 'gdb, faulthandler, traceback dump, ps, pstree, top, pidstat or strace output; gzip accepted')
    .option('--json', 'print the report JSON (and nothing else) on stdout')
    .option(
      '--fail-on <codes>',
      "exit 1 when one of these diagnoses is found: codes separated by commas, or 'critical' / 'warning' for a severity or worse",
    )
    .option(
      '--format <format>',
      `read every file as this format instead of detecting it (${FORMATS.filter((f) => f !== 'unknown').join(', ')})`,
    )
    .action((files: string[], flags: AnalyzeFlags) => {
      process.exitCode = runAnalyze(files, flags);
    });
}

function runAnalyze(paths: readonly string[], flags: AnalyzeFlags): number {
  const failOn = flags.failOn === undefined ? null : parseFailOn(flags.failOn);
  if (failOn !== null && 'error' in failOn) return usage(failOn.error);
  let format: Format | undefined;
  if (flags.format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(flags.format))
      return usage(`unknown format '${flags.format}'; one of ${FORMATS.join(', ')}`);
    format = flags.format as Format;
  }
  if (paths.filter((p) => p === '-').length > 1) return usage("'-' (stdin) can be given once");

  const files: CaseFile[] = [];
  for (const path of paths) {
    try {
      files.push({ name: path === '-' ? 'stdin' : path, bytes: readFileSync(path === '-' ? 0 : path), format });
    } catch (err) {
      return usage(`cannot read ${path}: ${describeFsError(err)}`);
    }
  }

  let limits: ReturnType<typeof limitsFromEnv>;
  try {
    limits = limitsFromEnv();
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  let report: ReturnType<typeof analyzeCase>;
  try {
    report = analyzeCase(files, { limits });
  } catch (err) {
    if (err instanceof UnreadableCaseError) return usage(err.message);
    throw err;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  if (failOn !== null && failingDiagnoses(report.diagnoses, failOn).length > 0) return EXIT.findings;
  return EXIT.ok;
}

function usage(message: string): number {
  process.stderr.write(`stacksift: ${message.split('\n')[0]}\n`);
  return EXIT.usage;
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}
