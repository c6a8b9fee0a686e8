#!/usr/bin/env node
// Runs the test suites with node's test runner. Node 20 neither expands globs nor finds
// .ts files by itself, so this lists the files and hands them over explicitly.
//   node scripts/run-tests.mjs unit|integration|e2e|all
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SUITES = {
  // Pure stages: seconds, no Redis, no network.
  unit: ['config', 'parsers', 'analysis', 'report', 'cli', 'test/unit', 'test/golden'],
  // Real Redis, real HTTP, real child processes.
  integration: ['store', 'api', 'worker', 'test/integration'],
  // The whole service and a real browser.
  e2e: ['test/e2e'],
};

function listTests(dir) {
  const abs = join(root, dir);
  let entries;
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  const out = [];
  for (const name of entries.sort()) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const full = join(abs, name);
    if (statSync(full).isDirectory()) out.push(...listTests(relative(root, full)));
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, full));
  }
  return out;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

// A guard against hangs (a runaway regex, a lost connection), not a speed check: speed lives in bench/.
const TEST_TIMEOUT_MS = 180_000;

const which = process.argv[2] ?? 'all';
const suites = which === 'all' ? Object.keys(SUITES) : [which];
if (suites.some((s) => !SUITES[s])) {
  console.error(`usage: run-tests.mjs ${Object.keys(SUITES).join('|')}|all`);
  process.exit(2);
}
if (which === 'all') {
  // Static checks first: a type error or a lint finding fails the run before any test.
  if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);
  if (run('npx', ['biome', 'ci', '.']) !== 0) process.exit(1);
}
const files = suites.flatMap((s) => SUITES[s].flatMap(listTests));
if (files.length === 0) {
  console.error(`no test files found for '${which}'`);
  process.exit(1);
}
const reporter = process.stdout.isTTY ? ['--test-reporter=spec'] : [];
process.exit(
  run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, ...reporter, ...files]),
);
