/**
 * Rewrites test/golden/<case>/report.json and summary.txt from the real pipeline, after an
 * intended change. Review the diff like code: `git diff test/golden`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusCases, hasCorpus } from '../test/support/corpus.js';
import { GOLDEN_DIR, goldenOf } from '../test/support/golden.js';

if (!hasCorpus()) {
  console.error('update-golden: the shared corpus is not beside the repository (../shared/corpus)');
  process.exit(2);
}
for (const c of corpusCases()) {
  const dir = join(GOLDEN_DIR, c.name);
  mkdirSync(dir, { recursive: true });
  const g = goldenOf(c);
  writeFileSync(join(dir, 'report.json'), g.reportJson);
  writeFileSync(join(dir, 'summary.txt'), g.summaryText);
  console.log(`wrote ${c.name}`);
}
