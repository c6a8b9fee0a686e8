import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseThreadHeader } from './thread-header.js';

type Want = {
  kind?: 'thread' | 'greenlet';
  pthreadId?: string | null;
  lwp?: number | null;
  name?: string | null;
  isCurrent?: boolean;
  isInnermostFirst?: boolean;
  hostPthreadId?: string | null;
  strength?: 'strong' | 'weak';
  score?: number;
} | null;

const cases: Array<{ text: string; want: Want }> = [
  {
    text: 'Thread 0x7fd0badff6c0 (stack-dumper)',
    want: { pthreadId: '0x7fd0badff6c0', name: 'stack-dumper', strength: 'strong', score: 1 },
  },
  { text: 'Thread 0x7fd0ba4fe6c0 (None) (CURRENT)', want: { pthreadId: '0x7fd0ba4fe6c0', name: null, isCurrent: true, score: 1 } },
  { text: 'Thread 0x7fd0bc62f040 (MainThread) (CURRENT)', want: { name: 'MainThread', isCurrent: true } },
  { text: 'Thread 0x7f12 (idle threadpool worker)', want: { pthreadId: '0x7f12', name: 'idle threadpool worker' } },
  { text: 'Thread 0x7f12 (Thread-3 (worker))', want: { name: 'Thread-3 (worker)' } },
  { text: 'Thread 0x7f12345678', want: { pthreadId: '0x7f12345678', name: null, score: 0.8 } },
  { text: 'Thread 140534490525760 (MainThread):', want: { pthreadId: '0x7fd0bc62f040', name: 'MainThread', score: 1 } },
  { text: '# Thread: MainThread(140534490525760)', want: { pthreadId: '0x7fd0bc62f040', name: 'MainThread', score: 1 } },
  { text: '# Thread: (140534490525760)', want: { pthreadId: '0x7fd0bc62f040', name: null } },
  { text: '# ThreadID: 140534490525760', want: { pthreadId: '0x7fd0bc62f040', name: null, score: 1 } },
  { text: 'Thread ID: 0x7f0e5c1f9700', want: { pthreadId: '0x7f0e5c1f9700' } },
  { text: '--- Thread 140534490525760 (worker-1) ---', want: { pthreadId: '0x7fd0bc62f040', name: 'worker-1' } },
  { text: '=== Thread 0x7f0e5c1f9700 (MainThread) ===', want: { pthreadId: '0x7f0e5c1f9700', name: 'MainThread' } },
  { text: 'Thread MainThread (140534490525760)', want: { pthreadId: '0x7fd0bc62f040', name: 'MainThread', score: 0.9 } },
  { text: 'Thread Dummy-1 (0x7f0e5c1f9700):', want: { pthreadId: '0x7f0e5c1f9700', name: 'Dummy-1' } },
  { text: '<Thread(worker-1, started daemon 140534490525760)>', want: { pthreadId: '0x7fd0bc62f040', name: 'worker-1', score: 0.9 } },
  { text: '<_MainThread(MainThread, started 140534490525760)>', want: { pthreadId: '0x7fd0bc62f040', name: 'MainThread' } },
  { text: '<Thread(Thread-2 (run), stopped 140534490525760)>', want: { name: 'Thread-2 (run)' } },
  { text: '<Thread(t, initial)>', want: { pthreadId: null, name: 't' } },
  { text: 'Thread 12345 (MainThread)', want: { pthreadId: '0x3039', score: 0.5 } },
  { text: 'Thread 0x7fd0bc62f040L (MainThread)', want: { pthreadId: '0x7fd0bc62f040' } },
  { text: 'Greenlet 0x7fd0bb596750 (Hub)', want: { kind: 'greenlet', pthreadId: null, name: 'Hub', hostPthreadId: null, score: 1 } },
  {
    text: 'Greenlet 0x7fd0bb5a9c60 (Greenlet-0) in thread 0x7fd0bc62f040',
    want: { kind: 'greenlet', name: 'Greenlet-0', hostPthreadId: '0x7fd0bc62f040' },
  },
  { text: 'MainThread (140534490525760)', want: { pthreadId: '0x7fd0bc62f040', name: 'MainThread', strength: 'weak', score: 0 } },
  { text: 'Thread-7 (0x7f0e5c1f9700):', want: { name: 'Thread-7', strength: 'weak' } },
  { text: 'Thread 0x00007fbf3a9756c0 (most recent call first):', want: { pthreadId: '0x7fbf3a9756c0', isInnermostFirst: true, score: 0 } },
  { text: 'Thread 0x7f77e26006c0 (LWP 2320)', want: { lwp: 2320, name: null, score: 0 } },
  { text: 'Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):', want: null },
  { text: '---- Thread boundary', want: null },
  { text: '  Thread 0x7f12 (indented)', want: null },
  { text: 'Thread started', want: null },
  { text: 'Process finished', want: null },
  { text: '', want: null },
];

for (const c of cases) {
  test(`header: ${c.text || '(blank)'}`, () => {
    const got = parseThreadHeader(c.text);
    if (c.want === null) {
      assert.equal(got, null);
      return;
    }
    assert.ok(got !== null, 'expected a header');
    const picked = Object.fromEntries(Object.keys(c.want).map((k) => [k, got[k as keyof typeof got]]));
    assert.deepEqual(picked, { ...c.want });
  });
}

test('greenlet keys and thread keys never collide', () => {
  assert.equal(parseThreadHeader('Greenlet 0x7f12 (a)')?.key, 'g:0x7f12');
  assert.equal(parseThreadHeader('Thread 0x7f12 (a)')?.key, 't:0x7f12');
});

test('header recognition stays linear on 1 MB lines', () => {
  for (const prefix of ['Thread ', 'Thread: ', '# Thread: a', '<Thread(', 'Greenlet 0x1 (', '--- Thread 1 (', 'name ', '#a']) {
    for (const fill of [' ', '(', '-', ')']) parseThreadHeader(`${prefix}${fill.repeat(1_000_000)}x`);
  }
});
