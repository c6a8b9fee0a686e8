/**
 * `bin/stacksift analyze` as a user runs it, a child process with no server and no Redis:
 * CONTRACT.md §1's exit codes (0 analysed, 1 --fail-on matched, 2 usage or nothing readable),
 * `--json` printing the report and nothing else, `-` for stdin, gzip files read as they are.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ReportSchema } from '../../report/schema.js';
import { CORPUS_DIR, hasCorpus, REPO_ROOT } from '../support/corpus.js';

const BIN = join(REPO_ROOT, 'bin', 'stacksift');
const DEADLOCK = join(CORPUS_DIR, 'c-mutex-deadlock', 'gdb-bt.txt');

function analyze(args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(BIN, ['analyze', ...args], {
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    cwd: '/',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const skip = hasCorpus() ? false : 'the shared corpus is not beside the repository';

test('exit 0 with the problem on the first line; --json prints only the report', { skip }, () => {
  const text = analyze([DEADLOCK]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout.split('\n')[0] ?? '', /^Likely lock-order deadlock/);
  const json = analyze(['--json', DEADLOCK]);
  assert.equal(json.code, 0, json.stderr);
  const report = ReportSchema.parse(JSON.parse(json.stdout));
  assert.equal(report.id, null);
  assert.ok(report.diagnoses.some((d) => d.code === 'deadlock'));
});

test('exit 1 when --fail-on names a code or a severity that was found, 0 when it was not', { skip }, () => {
  assert.equal(analyze(['--fail-on', 'deadlock', DEADLOCK]).code, 1);
  assert.equal(analyze(['--fail-on', 'critical', DEADLOCK]).code, 1);
  assert.equal(analyze(['--fail-on', 'gil_contention', DEADLOCK]).code, 0);
});

test('- reads stdin; a gzip file is read as it is', { skip }, () => {
  const bytes = readFileSync(DEADLOCK);
  const stdin = analyze(['--json', '-'], { input: bytes });
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.equal(JSON.parse(stdin.stdout).inputs[0].name, 'stdin');
  const gz = analyze(['--json', '-'], { input: gzipSync(bytes) });
  assert.equal(JSON.parse(gz.stdout).threads.length, 4);
});

test('exit 2 with one line on stderr: no such file, nothing readable, a bad flag or setting', () => {
  for (const [args, env, pattern] of [
    [['/nonexistent/dump.txt'], {}, /no such file/],
    [['-'], {}, /could be read/],
    [['--format', 'windbg', '-'], {}, /unknown format/],
    [['--fail-on', 'nonsense', '-'], {}, /nonsense/],
    [['-'], { MAX_FILES: 'abc' }, /MAX_FILES/],
  ] as const) {
    const r = analyze([...args], { input: Buffer.from('hello\n'), env });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
});
