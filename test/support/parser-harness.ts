/**
 * What parser tests share: running a format over text the way the pipeline does (cleaned
 * lines, a collecting context) and reading the real-dump corpus, which lives beside the
 * repository at `../shared/corpus` and may be absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Limits } from '../../config/limits.js';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import type { DumpFormat } from '../../parsers/format.js';
import { collectingContext } from '../../parsers/format.js';
import type { ParseWarning, Snapshot } from '../../parsers/model.js';
import { CORPUS_DIR } from './corpus.js';

export interface ParseRun {
  snapshots: Snapshot[];
  warnings: ParseWarning[];
}

/**
 * Runs a format's parser over the whole text and collects its warnings. Lines are cleaned as
 * parsers/lines.ts leaves them: no CR, trailing blanks trimmed.
 */
export function runFormat(format: DumpFormat, text: string, limits: Limits = DEFAULT_LIMITS): ParseRun {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trimEnd());
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const warnings: ParseWarning[] = [];
  const snapshots = format.parse(lines, 0, lines.length, collectingContext(limits, warnings));
  return { snapshots, warnings };
}

/** Text of one corpus file (`py-gil-gthread-40/ps-L.txt`), or null when the corpus or the file is missing. */
export function corpusText(relative: string): string | null {
  const path = join(CORPUS_DIR, relative);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
