import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, type Limits } from '../../config/limits.js';
import { collectingContext } from '../format.js';
import type { ParseWarning, RawThread, Snapshot } from '../model.js';
import { tracebackDumpFormat } from './index.js';

function parse(text: string, limits: Limits = DEFAULT_LIMITS) {
  const lines = text === '' ? [] : text.split('\n');
  const warnings: ParseWarning[] = [];
  const snapshots = tracebackDumpFormat.parse(lines, 0, lines.length, collectingContext(limits, warnings));
  return { snapshots, warnings };
}

function threadView(t: RawThread) {
  return {
    kind: t.kind,
    id: t.pthreadId,
    lwp: t.lwp,
    pid: t.pid,
    name: t.name,
    current: t.isCurrent,
    frames: t.frames.map(
      (f) =>
        `${f.language === 'native' ? 'C:' : ''}${f.function}@${f.file ?? f.library}:${f.line}${f.sourceText ? ` | ${f.sourceText}` : ''}`,
    ),
    complete: t.hasCompleteStack,
    markers: t.pythonMarkers,
  };
}

function view(snapshots: Snapshot[]) {
  return snapshots.map((s) => ({
    line: s.line,
    label: s.label,
    pid: s.pid,
    processes: s.processes.map((p) => `${p.pid}<${p.ppid}:${p.command}`),
    notes: s.notes.map((n) => `${n.kind}:${n.pthreadId}:${n.message}`),
    threads: s.threads.map(threadView),
  }));
}

type ThreadView = ReturnType<typeof threadView>;
const T = (id: string | null, name: string | null, frames: string[], extra: Partial<ThreadView> = {}): ThreadView => ({
  kind: 'thread',
  id,
  lwp: null,
  pid: null,
  name,
  current: false,
  frames,
  complete: true,
  markers: [],
  ...extra,
});
const S = (line: number, threads: ThreadView[], extra: Partial<ReturnType<typeof view>[number]> = {}) => ({
  line,
  label: null,
  pid: null,
  processes: [] as string[],
  notes: [] as string[],
  threads,
  ...extra,
});

interface Case {
  name: string;
  text: string;
  limits?: Partial<Limits>;
  want: ReturnType<typeof view>;
  warnings?: Array<[string, number | null]>;
}

const MONITOR_REPORT = (time: string, sleeper: number) => [
  '='.repeat(80),
  '',
  `${time} : Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked`,
  '    Reported by <gevent._gevent_c_tracer.GreenletTracer object at 0x7fd0bb5c7fb0>',
  'Blocked Stack (for thread id 0x7fd0bc62f040):',
  '  File "/srv/demo/gevent_app.py", line 74, in export_report',
  '    return os.read(rfd, 4096)',
  '',
  'Info:',
  '*'.repeat(80),
  '* Threads',
  '*'.repeat(80),
  'Thread 0x7fd0ba4fe6c0 (None) (CURRENT)',
  '',
  '  File "/usr/lib/python3/dist-packages/gevent/_monitor.py", line 203, in __call__',
  '    f(hub)',
  '',
  '*'.repeat(80),
  'Thread 0x7fd0badff6c0 (None)',
  '',
  `  File "/srv/demo/gevent_app.py", line ${sleeper}, in stack_dumper`,
  '    real_sleep(0.1)',
  '',
  '*'.repeat(80),
  'Thread 0x7fd0bc62f040 (None)',
  '',
  '  File "/srv/demo/gevent_app.py", line 74, in export_report',
  '    return os.read(rfd, 4096)',
  '',
  '*'.repeat(80),
  '* Greenlets',
  '*'.repeat(80),
  '---- Thread boundary',
  '<greenlet.greenlet object at 0x7fd0bb758880 (otid=0x7fd0bb6874e0) suspended active started main>',
  ' :    Parent: None',
  ' +--- <Greenlet "Greenlet-9" at 0x7fd0bb5a9bc0: export_report(4)>',
  "            Parent: <Hub '' at 0x7fd0bb596750 epoll default pending=0 ref=-1 thread_ident=0x7fd0bc62f040>",
  '            Spawned at:',
  '              File "/srv/demo/gevent_app.py", line 122, in <module>',
  '                gs.append(gevent.spawn(export_report, r))',
];

const cases: Case[] = [
  {
    name: 'helper dump: hex ident and name, source lines, greenlets',
    text: [
      'Thread 0x7fd0badff6c0 (stack-dumper)',
      '  File "/srv/demo/gevent_app.py", line 57, in stack_dumper',
      '    dump_all_stacks(os.path.join(dc.OUT, "traceback-dump.txt"))',
      '  File "/srv/demo/gevent_app.py", line 37, in dump_all_stacks',
      '    out.extend(traceback.format_stack(frame))',
      '',
      'Greenlet 0x7fd0bb596750 (Hub)',
      '  File "/usr/lib/python3/dist-packages/gevent/hub.py", line 647, in run',
      '    loop.run()',
    ].join('\n'),
    want: [
      S(1, [
        T('0x7fd0badff6c0', 'stack-dumper', [
          'dump_all_stacks@/srv/demo/gevent_app.py:37 | out.extend(traceback.format_stack(frame))',
          'stack_dumper@/srv/demo/gevent_app.py:57 | dump_all_stacks(os.path.join(dc.OUT, "traceback-dump.txt"))',
        ]),
        T(null, 'Hub', ['run@/usr/lib/python3/dist-packages/gevent/hub.py:647 | loop.run()'], { kind: 'greenlet' }),
      ]),
    ],
  },
  {
    name: 'StackOverflow dumpstacks recipe (gunicorn example config): # Thread: name(ident) and File: lines',
    text: [
      '[2026-11-21 10:00:00 +0000] [123] [DEBUG] ',
      '# Thread: ThreadPoolExecutor-0_0(140534490525760)',
      'File: "/usr/lib/python3.11/threading.py", line 995, in _bootstrap',
      '  self._bootstrap_inner()',
      'File: "/usr/lib/python3.11/concurrent/futures/thread.py", line 81, in _worker',
      '  work_item = work_queue.get(block=True)',
      '',
      '# Thread: MainThread(140534490000000)',
      'File: "/srv/app.py", line 9, in <module>',
      '  main()',
    ].join('\n'),
    want: [
      S(2, [
        T('0x7fd0bc62f040', 'ThreadPoolExecutor-0_0', [
          '_worker@/usr/lib/python3.11/concurrent/futures/thread.py:81 | work_item = work_queue.get(block=True)',
          '_bootstrap@/usr/lib/python3.11/threading.py:995 | self._bootstrap_inner()',
        ]),
        T('0x7fd0bc5aea80', 'MainThread', ['<module>@/srv/app.py:9 | main()']),
      ]),
    ],
  },
  {
    name: "pyrasite's dump_stacks payload: a bare hex id, then print_stack",
    text: [
      'Thread 0x7fd0bc62f040',
      '  File "/srv/app.py", line 9, in <module>',
      '    main()',
      '  File "/srv/app.py", line 5, in main',
      '    time.sleep(60)',
      '',
    ].join('\n'),
    want: [S(1, [T('0x7fd0bc62f040', null, ['main@/srv/app.py:5 | time.sleep(60)', '<module>@/srv/app.py:9 | main()'])])],
  },
  {
    name: '# ThreadID: recipe, decorated and name-first headers, Thread repr',
    text: [
      '# ThreadID: 140534490525760',
      '  File "/a.py", line 1, in f',
      '--- Thread 140534490000000 (worker-1) ---',
      '  File "/b.py", line 2, in g',
      'Thread Dummy-3 (0x7f0000000010):',
      '  File "/c.py", line 3, in h',
      '<Thread(poller, started daemon 140534480000000)>',
      '  File "/d.py", line 4, in i',
    ].join('\n'),
    want: [
      S(1, [
        T('0x7fd0bc62f040', null, ['f@/a.py:1']),
        T('0x7fd0bc5aea80', 'worker-1', ['g@/b.py:2']),
        T('0x7f0000000010', 'Dummy-3', ['h@/c.py:3']),
        T('0x7fd0bbc25400', 'poller', ['i@/d.py:4']),
      ]),
    ],
  },
  {
    name: 'a weak "name (ident)" header counts only when frames follow',
    text: [
      'Started worker (12345)',
      'all good',
      'MainThread (140534490525760)',
      '  File "/srv/app.py", line 9, in <module>',
      '    main()',
    ].join('\n'),
    want: [S(3, [T('0x7fd0bc62f040', 'MainThread', ['<module>@/srv/app.py:9 | main()'])])],
  },
  {
    name: "Celery's cry(): thread name, a separator, print_stack, locals",
    text: [
      'MainThread',
      '=================================================',
      '  File "/usr/lib/python3/dist-packages/celery/apps/worker.py", line 340, in cry_handler',
      '    safe_say(cry())',
      '=================================================',
      'LOCAL VARIABLES',
      '=================================================',
      "{'signum': 21,",
      " 'frame': <frame at 0x7f>}",
      '',
      '',
    ].join('\n'),
    want: [S(1, [T(null, 'MainThread', ['cry_handler@/usr/lib/python3/dist-packages/celery/apps/worker.py:340 | safe_say(cry())'])])],
  },
  {
    name: 'py-spy dump: process, version, threads with status, locals and native frames',
    text: [
      'Process 32100: /usr/bin/python3 gthread_app.py',
      'Python v3.11.2 (/usr/bin/python3.11)',
      '',
      'Thread 32100 (idle): "MainThread"',
      '    select (selectors.py:468)',
      '        Arguments:',
      '            self: <EpollSelector at 0x7f4f11c0>',
      '            timeout: 1.0',
      '        Locals:',
      '            max_ev: 41',
      '    run (gthread_app.py:78)',
      '    <module> (gthread_app.py:86)',
      'Thread 0x7F4F112FF6C0 (active+gil): "ThreadPoolExecutor-0_0"',
      '    take_gil (ceval_gil.c:300)',
      '    epoll_wait (/lib/x86_64-linux-gnu/libc.so.6)',
      '    render_report (gthread_app.py:28)',
    ].join('\n'),
    want: [
      S(
        1,
        [
          T(null, 'MainThread', ['select@selectors.py:468', 'run@gthread_app.py:78', '<module>@gthread_app.py:86'], {
            lwp: 32100,
            pid: 32100,
            markers: ['py-spy:idle'],
          }),
          T(
            '0x7f4f112ff6c0',
            'ThreadPoolExecutor-0_0',
            ['C:take_gil@ceval_gil.c:300', 'C:epoll_wait@/lib/x86_64-linux-gnu/libc.so.6:null', 'render_report@gthread_app.py:28'],
            { pid: 32100, markers: ['py-spy:active', 'py-spy:gil'] },
          ),
        ],
        {
          pid: 32100,
          processes: ['32100<null:/usr/bin/python3 gthread_app.py'],
          notes: ['info:null:Python v3.11.2 (/usr/bin/python3.11)'],
        },
      ),
    ],
  },
  {
    name: 'py-spy dump --subprocesses: one snapshot per process',
    text: [
      'Process 7: python parent.py',
      'Python v3.11.2 (/usr/bin/python3.11)',
      '',
      'Thread 7 (idle): "MainThread"',
      '    poll (popen_fork.py:27)',
      '',
      '-'.repeat(60),
      'Process 9: python parent.py',
      'Python v3.11.2 (/usr/bin/python3.11)',
      'Parent Process 7: python parent.py',
      '',
      'Thread 10 (active)',
      '    _send (connection.py:367)',
    ].join('\n'),
    want: [
      S(1, [T(null, 'MainThread', ['poll@popen_fork.py:27'], { lwp: 7, pid: 7, markers: ['py-spy:idle'] })], {
        pid: 7,
        processes: ['7<null:python parent.py'],
        notes: ['info:null:Python v3.11.2 (/usr/bin/python3.11)'],
      }),
      S(8, [T(null, null, ['_send@connection.py:367'], { lwp: 10, pid: 9, markers: ['py-spy:active'] })], {
        pid: 9,
        processes: ['9<7:python parent.py'],
        notes: ['info:null:Python v3.11.2 (/usr/bin/python3.11)'],
      }),
    ],
  },
  {
    name: 'gevent monitor: two reports, threads listed, greenlet tree skipped',
    text: [
      '/usr/lib/python3/dist-packages/gevent/_monitor.py:267: MonitorWarning: Unable to monitor memory usage. Install psutil.',
      '  warnings.warn("Unable to monitor memory usage. Install psutil.",',
      ...MONITOR_REPORT('2026-11-21T23:26:55Z', 56),
      ...MONITOR_REPORT('2026-11-21T23:26:58Z', 59),
    ].join('\n'),
    want: [5, 45].map((line, i) =>
      S(
        line,
        [
          T('0x7fd0ba4fe6c0', null, ['__call__@/usr/lib/python3/dist-packages/gevent/_monitor.py:203 | f(hub)'], { current: true }),
          T('0x7fd0badff6c0', null, [`stack_dumper@/srv/demo/gevent_app.py:${i === 0 ? 56 : 59} | real_sleep(0.1)`]),
          T('0x7fd0bc62f040', null, ['export_report@/srv/demo/gevent_app.py:74 | return os.read(rfd, 4096)']),
        ],
        {
          label: i === 0 ? '2026-11-21T23:26:55Z' : '2026-11-21T23:26:58Z',
          notes: ['event_loop_blocked:0x7fd0bc62f040:Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked'],
        },
      ),
    ),
  },
  {
    name: 'gevent monitor without a thread list keeps the blocked stack (Python 2 hex with L)',
    text: [
      '2018-03-01T10:00:00Z : Greenlet <Greenlet at 0x10a: f> appears to be blocked',
      '    Reported by <gevent.__tracer.GreenletTracer object at 0x10b>',
      'Blocked Stack (for thread id 0x7fd0bc62f040L):',
      '  File "/srv/app.py", line 5, in f',
      '    time.sleep(10)',
      '  File "/srv/app.py", line 9, in g',
      '    f()',
      'Info:',
    ].join('\n'),
    want: [
      S(1, [T('0x7fd0bc62f040', null, ['g@/srv/app.py:9 | f()', 'f@/srv/app.py:5 | time.sleep(10)'])], {
        label: '2018-03-01T10:00:00Z',
        notes: ['event_loop_blocked:0x7fd0bc62f040:Greenlet <Greenlet at 0x10a: f> appears to be blocked'],
      }),
    ],
  },
  {
    name: 'gevent monitor: the hub thread died',
    text: [
      '2018-03-01T10:00:00Z : Greenlet <Greenlet at 0x10a: f> appears to be blocked',
      'Blocked Stack (for thread id 0x7fd0bc62f040):',
      "Unknown: No thread found for hub <Hub '' at 0x10c>",
      '',
      'Info:',
      '* Threads',
      'Thread 0x7fd0ba4fe6c0 (None) (CURRENT)',
      '\t...stack elided...',
    ].join('\n'),
    want: [
      S(1, [T('0x7fd0ba4fe6c0', null, [], { current: true, complete: false })], {
        label: '2018-03-01T10:00:00Z',
        notes: ['event_loop_blocked:0x7fd0bc62f040:Greenlet <Greenlet at 0x10a: f> appears to be blocked'],
      }),
    ],
  },
  {
    name: 'the same dump written twice: a repeated thread id starts a new snapshot',
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '  File "/a.py", line 1, in f',
      'Thread 0x7f0000000002 (worker)',
      '  File "/b.py", line 1, in g',
      'Thread 0x7f0000000001 (MainThread)',
      '  File "/a.py", line 2, in f',
    ].join('\n'),
    want: [
      S(1, [T('0x7f0000000001', 'MainThread', ['f@/a.py:1']), T('0x7f0000000002', 'worker', ['g@/b.py:1'])]),
      S(5, [T('0x7f0000000001', 'MainThread', ['f@/a.py:2'])]),
    ],
  },
  {
    name: 'Python 3.11+ position markers and collapsed recursion are not frames',
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '  File "/a.py", line 3, in main',
      '    result = divide(10, 0)',
      '             ^^^^^^^^^^^^^',
      '  File "/a.py", line 7, in recurse',
      '    return recurse(n - 1)',
      '           ~~~~~~~^^^^^^^',
      '  [Previous line repeated 996 more times]',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['recurse@/a.py:7 | return recurse(n - 1)', 'main@/a.py:3 | result = divide(10, 0)'])])],
  },
  {
    name: 'an exception traceback in the log is not a thread',
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '  File "/a.py", line 3, in main',
      'ERROR handler failed',
      'Traceback (most recent call last):',
      '  File "/srv/app.py", line 10, in handle',
      '    1 / 0',
      'ZeroDivisionError: division by zero',
      'Thread 0x7f0000000002 (worker)',
      '  File "/b.py", line 1, in g',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['main@/a.py:3']), T('0x7f0000000002', 'worker', ['g@/b.py:1'])])],
  },
  {
    name: 'a header underlined by a separator keeps its frames',
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '----------------------------------',
      '  File "/a.py", line 3, in main',
      '----------------------------------',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['main@/a.py:3'])])],
  },
  {
    name: 'a faulthandler header and frames inside a traceback dump keep faulthandler order',
    text: [
      'Thread 0x00007f0000000001 (most recent call first):',
      '  File "/a.py", line 3 in inner',
      '  File "/a.py", line 9 in outer',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', null, ['inner@/a.py:3', 'outer@/a.py:9'])])],
  },
  {
    name: 'frames without a header',
    text: ['  File "/a.py", line 9, in <module>', '    main()', '  File "/a.py", line 3, in main', '    time.sleep(1)'].join('\n'),
    want: [S(1, [T(null, null, ['main@/a.py:3 | time.sleep(1)', '<module>@/a.py:9 | main()'])])],
    warnings: [['missing_header', 1]],
  },
  {
    name: 'a helper printing faulthandler\'s "<no Python frame>" for a C thread',
    text: [
      'Thread 0x7f0000000001 (grpc_global_timer)',
      '  <no Python frame>',
      'Thread 0x7f0000000002 (MainThread)',
      '  File "/a.py", line 3, in main',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'grpc_global_timer', []), T('0x7f0000000002', 'MainThread', ['main@/a.py:3'])])],
  },
  { name: 'empty input', text: '', want: [] },
  { name: 'junk only', text: 'hello\n  world\nThread started\n=====\n', want: [] },
  {
    name: 'cut mid-frame at the end of the input',
    text: ['Thread 0x7f0000000001 (MainThread)', '  File "/a.py", line 3, in main', '    main()', '  File "/usr/lib/python3.11/thre'].join(
      '\n',
    ),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['main@/a.py:3 | main()'], { complete: false })])],
    warnings: [['cut_short', 4]],
  },
  {
    name: 'any deeper line under a frame is its source text',
    text: ['Greenlet 0x7f10 (Greenlet-1)', '  File "/a.py", line 3, in main', '    ??? garbage'].join('\n'),
    want: [S(1, [T(null, 'Greenlet-1', ['main@/a.py:3 | ??? garbage'], { kind: 'greenlet' })])],
  },
  {
    name: 'an unknown shallow line inside a thread warns',
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '    File "/a.py", line 3, in main',
      '  ??? garbage',
      '    File "/a.py", line 4, in main2',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['main2@/a.py:4', 'main@/a.py:3'])])],
    warnings: [['unrecognized_line', 3]],
  },
  {
    name: 'limits: frames keep the innermost, threads and snapshots are capped',
    limits: { maxThreads: 1, maxFramesPerThread: 2, maxSnapshots: 1 },
    text: [
      'Thread 0x7f0000000001 (MainThread)',
      '  File "/a.py", line 1, in outer',
      '  File "/a.py", line 2, in middle',
      '  File "/a.py", line 3, in inner',
      'Thread 0x7f0000000002 (worker)',
      '  File "/b.py", line 1, in g',
      'Process 5: python x.py',
    ].join('\n'),
    want: [S(1, [T('0x7f0000000001', 'MainThread', ['inner@/a.py:3', 'middle@/a.py:2'], { complete: false })])],
    warnings: [
      ['too_many_frames', 1],
      ['too_many_threads', 5],
      ['too_many_snapshots', 7],
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const { snapshots, warnings } = parse(c.text, { ...DEFAULT_LIMITS, ...c.limits });
    assert.deepEqual(view(snapshots), c.want);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.line]),
      c.warnings ?? [],
    );
    snapshots.forEach((s, i) => {
      assert.equal(s.index, i);
    });
  });
}

test('a 1 MB line inside a thread does not stop the parse', () => {
  const text = [
    'Thread 0x7f0000000001 (MainThread)',
    '  File "/a.py", line 3, in main',
    `    ${'('.repeat(1_000_000)}`,
    'x'.repeat(1_000_000),
    'Thread 0x7f0000000002 (w)',
  ].join('\n');
  const { snapshots } = parse(text);
  assert.equal(snapshots[0]?.threads.length, 2);
  assert.equal(snapshots[0]?.threads[0]?.frames[0]?.sourceText?.length, 1_000_000);
});
