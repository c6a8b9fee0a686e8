import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCount, parseCpuTime, parseDecimal, splitRow, textOrNull, tokenize } from './columns.js';

test('tokenize keeps offsets and treats tabs as blanks', () => {
  assert.deepEqual(tokenize('  PID\tLWP  %CPU'), [
    { text: 'PID', start: 2, end: 5 },
    { text: 'LWP', start: 6, end: 9 },
    { text: '%CPU', start: 11, end: 15 },
  ]);
  assert.deepEqual(
    tokenize('a b c d', 2, 2).map((t) => t.text),
    ['b', 'c'],
  );
  assert.deepEqual(tokenize('   '), []);
});

const splits: Array<{ name: string; line: string; widths: number[]; variable: number | null; want: string[] | null }> = [
  { name: 'fixed columns', line: ' 402   404  0.0 Sl', widths: [1, 1, 1, 1], variable: null, want: ['402', '404', '0.0', 'Sl'] },
  { name: 'fixed columns, one token too many', line: ' 402 404 0.0 Sl x', widths: [1, 1, 1, 1], variable: null, want: null },
  {
    name: 'last column keeps its blanks',
    line: '1 S  python3  app.py --x',
    widths: [1, 1, 1],
    variable: 2,
    want: ['1', 'S', 'python3  app.py --x'],
  },
  {
    name: 'variable column in the middle',
    line: '1 python3 app.py 42',
    widths: [1, 1, 1],
    variable: 1,
    want: ['1', 'python3 app.py', '42'],
  },
  { name: 'variable column with nothing in it', line: '1 S', widths: [1, 1, 1], variable: 2, want: null },
  {
    name: 'a five-token column',
    line: '812 Fri Nov 21 23:24:55 2026 Ssl',
    widths: [1, 5, 1],
    variable: null,
    want: ['812', 'Fri Nov 21 23:24:55 2026', 'Ssl'],
  },
  { name: 'empty line', line: '', widths: [1], variable: null, want: null },
];

for (const c of splits)
  test(`splitRow: ${c.name}`, () => assert.deepEqual(splitRow(c.line, { widths: c.widths, variable: c.variable }), c.want));

test('splitRow starts at an offset', () => {
  assert.deepEqual(splitRow('23:24:56   0  7.92  python3', { widths: [1, 1, 1], variable: 2 }, 8), ['0', '7.92', 'python3']);
});

const decimals: Array<[string | null, number | null]> = [
  ['19.00', 19],
  ['19,00', 19],
  ['103', 103],
  ['-1.00', -1],
  ['0.0', 0],
  ['-', null],
  ['?', null],
  ['1.2.3', null],
  ['1e5', null],
  ['', null],
  [null, null],
];
for (const [text, want] of decimals) test(`parseDecimal(${JSON.stringify(text)})`, () => assert.equal(parseDecimal(text), want));

test('parseCount takes whole numbers only', () => {
  assert.equal(parseCount('41'), 41);
  assert.equal(parseCount('0'), 0);
  assert.equal(parseCount('4.1'), null);
  assert.equal(parseCount('-'), null);
});

const times: Array<[string, number | null]> = [
  ['0:07', 7],
  ['12:34', 754],
  ['00:01:02', 62],
  ['1-02:03:04', 93784],
  ['0:08.59', 8.59],
  ['12:34.5', 754.5],
  ['1234,56', 1234 * 3600 + 56 * 60],
  ['12h', 43200],
  ['3d', 259200],
  ['2W', 1209600],
  ['42', 42],
  ['?', null],
  ['-', null],
  ['1:2', null],
  ['abc', null],
];
for (const [text, want] of times) test(`parseCpuTime(${text})`, () => assert.equal(parseCpuTime(text), want));

test('textOrNull turns the no-value marks into null', () => {
  assert.equal(textOrNull('-'), null);
  assert.equal(textOrNull('?'), null);
  assert.equal(textOrNull('  '), null);
  assert.equal(textOrNull(' futex_do_wait '), 'futex_do_wait');
  assert.equal(textOrNull(undefined), null);
});
