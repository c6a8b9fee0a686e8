import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failingDiagnoses, parseFailOn } from './fail-on.js';

const found = [
  { code: 'gil_contention', severity: 'warning' },
  { code: 'thread_explosion', severity: 'info' },
] as const;

const cases: { name: string; value: string; want: string[] | 'error' }[] = [
  { name: 'a code that is present fails', value: 'gil_contention', want: ['gil_contention'] },
  { name: 'a code that is absent passes', value: 'deadlock', want: [] },
  { name: 'several codes, spaces around commas', value: 'deadlock , thread_explosion', want: ['thread_explosion'] },
  { name: 'critical does not include a warning', value: 'critical', want: [] },
  { name: 'warning includes warnings (and critical)', value: 'warning', want: ['gil_contention'] },
  { name: 'info includes everything', value: 'info', want: ['gil_contention', 'thread_explosion'] },
  { name: 'the mildest severity named wins', value: 'critical,warning', want: ['gil_contention'] },
  { name: 'codes and severities combine', value: 'critical,thread_explosion', want: ['thread_explosion'] },
  { name: 'an unknown word is a usage error', value: 'gil', want: 'error' },
  { name: 'an empty value is a usage error', value: ' , ', want: 'error' },
];

for (const c of cases) {
  test(`--fail-on ${c.name}`, () => {
    const failOn = parseFailOn(c.value);
    if (c.want === 'error') {
      assert.ok('error' in failOn);
      return;
    }
    assert.ok(!('error' in failOn), 'parsed');
    assert.deepEqual(
      failingDiagnoses(found, failOn).map((d) => d.code),
      c.want,
    );
  });
}
