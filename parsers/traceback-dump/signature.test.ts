import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGreenletTreeLine, parseGeventLine } from './gevent-monitor.js';
import { tracebackDumpSignature } from './signature.js';

const signatureCases: Array<{ text: string; want: number }> = [
  { text: 'Thread 0x7fd0ba4fe6c0 (gevent-monitor)', want: 1 },
  { text: 'Thread 0x7fd0ba4fe6c0 (None) (CURRENT)', want: 1 },
  { text: 'Greenlet 0x7fd0bb596750 (Hub)', want: 1 },
  { text: '# Thread: MainThread(140534490525760)', want: 1 },
  { text: '# ThreadID: 140534490525760', want: 1 },
  { text: '--- Thread 140534490525760 (worker-1) ---', want: 1 },
  { text: 'Thread MainThread (140534490525760)', want: 0.9 },
  { text: 'Process 1234: python app.py', want: 1 },
  { text: 'Python v3.11.2 (/usr/bin/python3.11)', want: 1 },
  { text: 'Thread 0x7F8E4B1FF700 (idle): "MainThread"', want: 1 },
  { text: 'Thread 1234 (active+gil): "MainThread"', want: 1 },
  { text: 'Blocked Stack (for thread id 0x7fd0bc62f040):', want: 1 },
  { text: '2026-11-21T23:26:55Z : Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked', want: 1 },
  { text: '  File "/srv/demo/gevent_app.py", line 74, in export_report', want: 0 },
  { text: 'File: "/srv/app/views.py", line 88, in handle', want: 0 },
  { text: 'Thread 0x00007fbf3a9756c0 (most recent call first):', want: 0 },
  { text: 'Current thread 0x00007fbf3c57f040 (most recent call first):', want: 0 },
  { text: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: 0 },
  {
    text: '* 1    Thread 0x7fbf3c57f040 (LWP 1092) __pthread_kill_implementation (threadid=<optimized out>) at ./nptl/pthread_kill.c:44',
    want: 0,
  },
  { text: '[New Thread 0x7ffff7d8a640 (LWP 1235)]', want: 0 },
  { text: 'Traceback (most recent call first):', want: 0 },
  { text: 'MainThread (140534490525760)', want: 0 },
  { text: '---- Thread boundary', want: 0 },
  { text: '', want: 0 },
];

for (const c of signatureCases)
  test(`signature ${c.want}: ${c.text || '(blank)'}`, () => assert.equal(tracebackDumpSignature(c.text), c.want));

const geventCases: Array<{ text: string; want: ReturnType<typeof parseGeventLine> }> = [
  {
    text: '2026-11-21T23:26:55Z : Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked',
    want: {
      kind: 'report',
      timestamp: '2026-11-21T23:26:55Z',
      message: 'Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked',
    },
  },
  { text: '    Reported by <gevent._gevent_c_tracer.GreenletTracer object at 0x7fd0bb5c7fb0>', want: { kind: 'reportedBy' } },
  { text: 'Blocked Stack (for thread id 0x7fd0bc62f040):', want: { kind: 'blockedStack', pthreadId: '0x7fd0bc62f040' } },
  { text: 'Blocked Stack (for thread id 0x7fd0bc62f040L):', want: { kind: 'blockedStack', pthreadId: '0x7fd0bc62f040' } },
  { text: "Unknown: No thread found for hub <Hub '' at 0x7f>", want: { kind: 'noHubThread' } },
  { text: 'Info:', want: { kind: 'info' } },
  { text: '* Threads', want: { kind: 'section', section: 'threads' } },
  { text: '* Greenlets', want: { kind: 'section', section: 'greenlets' } },
  { text: '\t...stack elided...', want: { kind: 'stackElided' } },
  {
    text: '/usr/lib/python3/dist-packages/gevent/_monitor.py:267: MonitorWarning: Unable to monitor memory usage. Install psutil.',
    want: { kind: 'warning' },
  },
  { text: '  warnings.warn("Unable to monitor memory usage. Install psutil.",', want: { kind: 'warning' } },
  { text: 'Thread 0x7fd0ba4fe6c0 (None) (CURRENT)', want: null },
];

for (const c of geventCases) test(`gevent line: ${c.text}`, () => assert.deepEqual(parseGeventLine(c.text), c.want));

test('greenlet tree lines are structure', () => {
  for (const line of [
    '---- Thread boundary',
    '<greenlet.greenlet object at 0x7fd0bb777400 (otid=0x7fd0bb5de670) current active started main>',
    ' :    Parent: None',
    ' +--- <Hub>',
    '            Spawned at:',
    '*'.repeat(80),
  ]) {
    assert.equal(isGreenletTreeLine(line), true, line);
  }
  for (const line of ['='.repeat(80), 'Thread 0x7f (a)', '2026-11-21T23:26:58Z : Greenlet <x> appears to be blocked'])
    assert.equal(isGreenletTreeLine(line), false, line);
});

test('signature stays linear on 1 MB lines', () => {
  for (const prefix of ['Thread ', 'Process 1: ', 'Python v3.1 (', 'Blocked Stack (', 'Greenlet 0x1 (', '# Thread: ', '/x.py:1: ', '']) {
    for (const fill of ['(', ' ', ':', '-']) tracebackDumpSignature(`${prefix}${fill.repeat(1_000_000)}appears to be blocked`);
  }
});
