/**
 * The shared real-dump corpus (`../shared/corpus` beside the repository): its cases, their
 * files, and the facts each case's expect.json states.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseFile } from '../../analysis/triage.js';
import { normalizePthreadId } from '../../parsers/identity.js';
import type { Report } from '../../report/schema.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS_DIR = join(REPO_ROOT, '..', 'shared', 'corpus');

export interface CaseExpectation {
  files: Record<string, string>;
  ignore?: string[];
  threads?: {
    count?: number | null;
    pid?: number;
    byLwp?: Record<string, string | string[]>;
    byPthread?: Record<string, string | string[]>;
    byName?: Record<string, string | string[]>;
  };
  diagnoses?: { expect?: string[]; forbid?: string[]; noCritical?: boolean };
}

export interface CorpusCase {
  name: string;
  dir: string;
  expect: CaseExpectation;
  /** File names of the case, minus the ignored ones, in name order. */
  fileNames: string[];
}

/** True when the corpus folder is present (it is beside the repository, not inside it). */
export function hasCorpus(): boolean {
  return existsSync(CORPUS_DIR);
}

/** Our own captured fixtures (test/fixtures/<case>/ with expect.json), in the corpus layout. */
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');

/** Every case folder of `root` (the shared corpus by default) that holds an expect.json, in name order. */
export function corpusCases(root: string = CORPUS_DIR): CorpusCase[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .map((name) => ({ name, dir: join(root, name) }))
    .filter((c) => statSync(c.dir).isDirectory() && existsSync(join(c.dir, 'expect.json')))
    .map((c) => {
      const expect = JSON.parse(readFileSync(join(c.dir, 'expect.json'), 'utf8')) as CaseExpectation;
      const fileNames = Object.keys(expect.files)
        .filter((f) => !(expect.ignore ?? []).includes(f))
        .sort();
      return { ...c, expect, fileNames };
    });
}

/** The files of a case as the CLI would read them (names as given on a command line). */
export function caseFiles(c: CorpusCase, names: readonly string[] = c.fileNames): CaseFile[] {
  return names.map((f) => ({ name: f, bytes: readFileSync(join(c.dir, f)) }));
}

const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Asserts every fact a case's expect.json states against a report: formats, thread count and states, diagnoses. */
export function assertCaseFacts(c: CorpusCase, report: Report): void {
  for (const file of c.fileNames) {
    const input = report.inputs.find((i) => i.name === file);
    assert.equal(input?.format, c.expect.files[file], `format of ${file}`);
  }
  const ex = c.expect.threads;
  if (ex) {
    const inPid = ex.pid ? report.threads.filter((t) => t.pid === null || t.pid === ex.pid) : report.threads;
    if (ex.count != null) assert.equal(inPid.length, ex.count, `thread count (keys: ${inPid.map((t) => t.key).join(' ')})`);
    const check = (label: string, t: Report['threads'][number] | undefined, want: string | string[]) => {
      assert.ok(t, `${label} is in the report`);
      assert.ok(
        asList(want).includes(t.state),
        `${label}: ${t.state} (${t.classification.rule}: ${t.classification.why}) should be ${asList(want).join('|')}`,
      );
    };
    for (const [lwp, want] of Object.entries(ex.byLwp ?? {}))
      check(
        `LWP ${lwp}`,
        report.threads.find((x) => x.lwp === Number(lwp)),
        want,
      );
    for (const [pt, want] of Object.entries(ex.byPthread ?? {}))
      check(
        `pthread ${pt}`,
        report.threads.find((x) => x.pthreadId !== null && normalizePthreadId(x.pthreadId) === normalizePthreadId(pt)),
        want,
      );
    for (const [name, want] of Object.entries(ex.byName ?? {}))
      check(
        `thread ${name}`,
        report.threads.find((x) => x.name === name),
        want,
      );
  }
  const codes = new Set<string>(report.diagnoses.map((d) => d.code));
  for (const code of c.expect.diagnoses?.expect ?? []) {
    assert.ok(
      code.split('|').some((x) => codes.has(x)),
      `diagnosis ${code} (got ${[...codes].join(', ') || 'none'})`,
    );
  }
  for (const code of c.expect.diagnoses?.forbid ?? []) assert.ok(!codes.has(code), `diagnosis ${code} must not fire`);
  if (c.expect.diagnoses?.noCritical)
    assert.deepEqual(
      report.diagnoses.filter((d) => d.severity === 'critical').map((d) => d.code),
      [],
    );
}
