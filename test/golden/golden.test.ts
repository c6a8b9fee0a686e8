/**
 * The pipeline's output over the real corpus equals the reviewed golden files. A change that
 * moves them must come with `npm run golden:update` and a reviewed diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusCases, hasCorpus } from '../support/corpus.js';
import { GOLDEN_DIR, goldenOf } from '../support/golden.js';

if (!hasCorpus()) test('golden files', (t) => t.skip('the shared corpus is not beside the repository'));

for (const c of corpusCases()) {
  test(`golden ${c.name}`, () => {
    const dir = join(GOLDEN_DIR, c.name);
    assert.ok(existsSync(join(dir, 'report.json')), `no golden files for ${c.name}; run npm run golden:update and review them`);
    const g = goldenOf(c);
    assert.equal(g.summaryText, readFileSync(join(dir, 'summary.txt'), 'utf8'), `summary.txt of ${c.name} changed; review and run npm run golden:update`);
    assert.equal(g.reportJson, readFileSync(join(dir, 'report.json'), 'utf8'), `report.json of ${c.name} changed; review and run npm run golden:update`);
  });
}
