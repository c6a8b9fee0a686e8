/**
 * A dump reaches stacksift the way people paste it: quoted in an e-mail, indented in a
 * Markdown code block or with tabs, inside docker compose or Python logging output, from a
 * GitHub Actions log with a timestamp on every line. Each must read as the bare dump does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCase } from '../../analysis/triage.js';
import { CORPUS_DIR, hasCorpus } from '../support/corpus.js';

const STYLES: Array<{ name: string; wrap: (text: string) => string }> = [
  { name: 'a Markdown code block after a sentence', wrap: (t) => `Here is the backtrace:\n\n${indent(t, '    ')}` },
  { name: 'tab-indented', wrap: (t) => indent(t, '\t') },
  { name: 'an e-mail quote', wrap: (t) => prefix(t, '> ') },
  { name: 'docker compose logs', wrap: (t) => prefix(t, 'web-1  | ') },
  { name: 'Python logging', wrap: (t) => prefix(t, '2024-05-14 10:22:33,123 ERROR ') },
  {
    name: 'a GitHub Actions raw log (blank lines are the stamp alone)',
    wrap: (t) =>
      t
        .split('\n')
        .map((l) => (l === '' ? '2026-11-21T10:00:00.1234567Z' : `2026-11-21T10:00:00.1234567Z ${l}`))
        .join('\n'),
  },
];

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : by + l))
    .join('\n');
}

function prefix(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

const CASES = [
  { file: 'c-mutex-deadlock/gdb-bt.txt', format: 'gdb', threads: 4, code: 'deadlock' },
  { file: 'py-crash-abort/faulthandler.txt', format: 'faulthandler', threads: 5, code: 'crash' },
] as const;

if (!hasCorpus()) test('paste styles', (t) => t.skip('the shared corpus is not beside the repository'));

for (const c of hasCorpus() ? CASES : []) {
  const bare = readFileSync(join(CORPUS_DIR, c.file), 'utf8');
  for (const style of STYLES) {
    test(`${c.file} pasted as ${style.name}`, () => {
      const report = analyzeCase([{ name: 'paste.txt', bytes: new TextEncoder().encode(style.wrap(bare)) }]);
      assert.equal(report.inputs[0]?.format, c.format);
      assert.equal(report.threads.length, c.threads);
      assert.ok(
        report.diagnoses.some((d) => d.code === c.code),
        report.summary,
      );
      assert.deepEqual(report.inputs[0]?.warnings, [], 'no warnings: the wrapping was recognised, not tolerated');
    });
  }
}
