/**
 * The shared real-dump corpus (`../shared/corpus` beside the repository): its cases, their
 * files, and the facts each case's expect.json states.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseFile } from '../../analysis/triage.js';

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
