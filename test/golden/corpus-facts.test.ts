/**
 * The facts each real corpus case states (expect.json), asserted as facts: formats,
 * thread counts, the true state of named threads, the diagnoses that must and must not fire.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeCase } from '../../analysis/triage.js';
import { ReportSchema } from '../../report/schema.js';
import { caseFiles, corpusCases, hasCorpus } from '../support/corpus.js';

const normHex = (h: string) => `0x${h.toLowerCase().replace(/^0x0*/, '')}`;
const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

if (!hasCorpus()) test('corpus facts', (t) => t.skip('the shared corpus is not beside the repository'));

for (const c of corpusCases()) {
  test(`corpus ${c.name}: formats, threads, states and diagnoses`, () => {
    const report = analyzeCase(caseFiles(c));
    ReportSchema.parse(report);
    for (const file of c.fileNames) {
      const input = report.inputs.find((i) => i.name === file);
      assert.equal(input?.format, c.expect.files[file], `format of ${file}`);
    }
    const ex = c.expect.threads;
    if (ex) {
      const inPid = ex.pid ? report.threads.filter((t) => t.pid === null || t.pid === ex.pid) : report.threads;
      if (ex.count != null) assert.equal(inPid.length, ex.count, `thread count (keys: ${inPid.map((t) => t.key).join(' ')})`);
      for (const [lwp, want] of Object.entries(ex.byLwp ?? {})) {
        const t = report.threads.find((x) => x.lwp === Number(lwp));
        assert.ok(t, `thread with LWP ${lwp} is in the report`);
        assert.ok(asList(want).includes(t.state), `LWP ${lwp}: ${t.state} (${t.classification.rule}: ${t.classification.why}) should be ${asList(want).join('|')}`);
      }
      for (const [pt, want] of Object.entries(ex.byPthread ?? {})) {
        const t = report.threads.find((x) => x.pthreadId !== null && normHex(x.pthreadId) === normHex(pt));
        assert.ok(t && asList(want).includes(t.state), `pthread ${pt}: ${t?.state} should be ${asList(want).join('|')}`);
      }
      for (const [name, want] of Object.entries(ex.byName ?? {})) {
        const t = report.threads.find((x) => x.name === name);
        assert.ok(t && asList(want).includes(t.state), `thread ${name}: ${t?.state} should be ${asList(want).join('|')}`);
      }
    }
    const codes = new Set(report.diagnoses.map((d) => d.code));
    for (const code of c.expect.diagnoses?.expect ?? []) {
      assert.ok(code.split('|').some((x) => codes.has(x as never)), `diagnosis ${code} (got ${[...codes].join(', ') || 'none'})`);
    }
    for (const code of c.expect.diagnoses?.forbid ?? []) assert.ok(!codes.has(code as never), `diagnosis ${code} must not fire`);
    if (c.expect.diagnoses?.noCritical) assert.deepEqual(report.diagnoses.filter((d) => d.severity === 'critical').map((d) => d.code), []);
  });
}
