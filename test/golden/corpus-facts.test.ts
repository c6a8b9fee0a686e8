/**
 * The facts each real case states (expect.json), asserted as facts — formats, thread counts,
 * the true state of named threads, the diagnoses that must and must not fire — over the
 * shared corpus and over our own captured fixtures (test/fixtures, made by test/scenarios).
 */
import { test } from 'node:test';
import { analyzeCase } from '../../analysis/triage.js';
import { ReportSchema } from '../../report/schema.js';
import { assertCaseFacts, caseFiles, corpusCases, FIXTURES_DIR, hasCorpus } from '../support/corpus.js';

if (!hasCorpus()) test('shared corpus facts', (t) => t.skip('the shared corpus is not beside the repository'));

for (const [label, root] of [['corpus', undefined], ['fixture', FIXTURES_DIR]] as const) {
  for (const c of corpusCases(root)) {
    test(`${label} ${c.name}: formats, threads, states and diagnoses`, () => {
      const report = analyzeCase(caseFiles(c));
      ReportSchema.parse(report);
      assertCaseFacts(c, report);
    });
  }
}
