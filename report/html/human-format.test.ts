import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf, formatBytes, formatPercent, formatRatio, formatTimestamp } from './human-format.js';

const cases: { name: string; got: string; want: string }[] = [
  { name: 'zero bytes', got: formatBytes(0), want: '0 bytes' },
  { name: 'one byte', got: formatBytes(1), want: '1 byte' },
  { name: 'kibibytes with a decimal', got: formatBytes(1536), want: '1.5 KiB' },
  { name: 'whole kibibytes drop .0', got: formatBytes(2048), want: '2 KiB' },
  { name: 'mebibytes', got: formatBytes(64 * 1024 * 1024), want: '64 MiB' },
  { name: 'ISO time in UTC', got: formatTimestamp('2026-11-21T15:02:51+01:00'), want: '2026-11-21 14:02:51 UTC' },
  { name: 'unparsable time kept', got: formatTimestamp('yesterday'), want: 'yesterday' },
  { name: 'unknown CPU', got: formatPercent(null), want: '—' },
  { name: 'fractional CPU', got: formatPercent(16.25), want: '16.3%' },
  { name: 'whole CPU', got: formatPercent(103), want: '103%' },
  { name: 'singular', got: countOf(1, 'thread'), want: '1 thread' },
  { name: 'irregular plural', got: countOf(2, 'diagnosis', 'diagnoses'), want: '2 diagnoses' },
  { name: 'ratio', got: formatRatio(0.805), want: '81%' },
];

for (const c of cases) test(c.name, () => assert.equal(c.got, c.want));
