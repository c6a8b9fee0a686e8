import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { collectingContext } from './format.js';
import { cleanLines, decodeText } from './lines.js';
import type { ParseWarning } from './model.js';

function clean(text: string, limits = DEFAULT_LIMITS) {
  const warnings: ParseWarning[] = [];
  const result = cleanLines(text, limits, collectingContext(limits, warnings));
  return { ...result, warnings };
}

const cases: Array<{ name: string; text: string; want: string[]; removed?: string[] }> = [
  { name: 'empty input', text: '', want: [] },
  { name: 'CRLF', text: 'a\r\nb\r\nc\n', want: ['a', 'b', 'c'] },
  { name: 'lone CR line ends when there is no LF at all', text: 'a\rb\rc', want: ['a', 'b', 'c'] },
  { name: 'a CR inside a line overwrites like a terminal', text: '10%\r50%\r100% done\nnext\n', want: ['100% done', 'next'] },
  { name: 'trailing blanks trimmed, tabs kept', text: '#0  f ()   \n\tin x.c  \n', want: ['#0  f ()', '\tin x.c'] },
  {
    name: 'ANSI colours from a gdb terminal',
    text: '#0  \x1b[34m0x00007f\x1b[m in \x1b[33mepoll_wait\x1b[m (\x1b[36mepfd\x1b[m=5)\n',
    want: ['#0  0x00007f in epoll_wait (epfd=5)'],
    removed: ['ansi-colours'],
  },
  {
    name: 'GitHub Actions timestamps on every line',
    text: '2026-11-21T10:00:00.1234567Z Thread 1 (LWP 5):\n2026-11-21T10:00:00.1234568Z #0  main () at a.c:3\n',
    want: ['Thread 1 (LWP 5):', '#0  main () at a.c:3'],
    removed: ['iso-timestamp'],
  },
  {
    name: 'journald prefixes',
    text: 'Nov 21 10:00:00 host app[123]: Thread 0x00007f (most recent call first):\nNov 21 10:00:00 host app[123]:   File "a.py", line 3 in f\n',
    want: ['Thread 0x00007f (most recent call first):', '  File "a.py", line 3 in f'],
    removed: ['journald'],
  },
  {
    name: 'a single timestamped line is left alone',
    text: '12:00:01 PM  0  -  42  1.00  |__python3\nsomething\nelse\n',
    want: ['12:00:01 PM  0  -  42  1.00  |__python3', 'something', 'else'],
  },
  {
    name: 'GitLab section markers and GitHub groups become blank lines',
    text: 'section_start:1700000000:dump\r\x1b[0K\n##[group]gdb\nThread 1 (LWP 5):\n::endgroup::\n',
    want: ['', '', 'Thread 1 (LWP 5):', ''],
    removed: ['ansi-colours', 'ci-markers'],
  },
  { name: 'gdb prompt before a command', text: '(gdb) thread apply all bt\n', want: ['thread apply all bt'], removed: ['prompts'] },
  {
    name: 'shell prompt before a command',
    text: 'root@host:~# ps -eLf\n$ gdb -p 42\n[me@box tmp]$ pidstat -t\n',
    want: ['ps -eLf', 'gdb -p 42', 'pidstat -t'],
    removed: ['prompts'],
  },
  { name: 'a dollar inside dump text is not a prompt', text: '$1 = 42\n', want: ['$1 = 42'] },
];

for (const c of cases) {
  test(`cleanLines: ${c.name}`, () => {
    const got = clean(c.text);
    assert.deepEqual(got.lines, c.want);
    for (const r of c.removed ?? []) assert.ok(got.removed.includes(r), `expected ${r} in ${got.removed.join(',')}`);
  });
}

test('cleanLines: a line over the limit is cut with a located warning', () => {
  const limits = { ...DEFAULT_LIMITS, maxLineLength: 100 };
  const got = clean(`ok\n${'x'.repeat(1_000_000)}\nend\n`, limits);
  assert.equal(got.lines[1]?.length, 100);
  assert.equal(got.lines[2], 'end');
  assert.equal(got.warnings[0]?.code, 'line_too_long');
  assert.equal(got.warnings[0]?.line, 2);
});

test('decodeText: NUL bytes are reported and removed, invalid UTF-8 is replaced', () => {
  const warnings: ParseWarning[] = [];
  const text = decodeText(new Uint8Array([0x61, 0x00, 0xff, 0x62]), collectingContext(DEFAULT_LIMITS, warnings));
  assert.equal(text, 'a\ufffdb');
  assert.equal(warnings[0]?.code, 'binary_content');
});

test('collectingContext: keeps at most maxWarnings and counts the rest', () => {
  const limits = { ...DEFAULT_LIMITS, maxWarnings: 5 };
  const warnings: ParseWarning[] = [];
  const ctx = collectingContext(limits, warnings);
  for (let i = 0; i < 50; i++) ctx.warn('unrecognized_line', i + 1, 'x');
  assert.equal(warnings.length, 5);
  assert.match(warnings[4]?.message ?? '', /46 more warnings/);
});
