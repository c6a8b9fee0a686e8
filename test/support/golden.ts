/**
 * Golden files over the real corpus: for each case, the real pipeline's report.json and the
 * text summary. `npm run golden:update` rewrites them; the diff is reviewed like code.
 */
import { join } from 'node:path';
import { analyzeCase } from '../../analysis/triage.js';
import { renderText } from '../../report/render-text.js';
import { type CorpusCase, caseFiles, REPO_ROOT } from './corpus.js';

export const GOLDEN_DIR = join(REPO_ROOT, 'test', 'golden');

/** What the golden files of a case hold, freshly computed. */
export function goldenOf(c: CorpusCase): { reportJson: string; summaryText: string } {
  const report = analyzeCase(caseFiles(c));
  return { reportJson: `${JSON.stringify(report, null, 2)}\n`, summaryText: renderText(report) };
}
