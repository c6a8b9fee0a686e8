/**
 * The report page in a real browser under the API's strict CSP: hand-built reports shaped
 * like the py-gil-gthread-40 corpus case (41 threads, 33 waiting for the GIL) and a hostile
 * one, served with web/static/ by a throwaway node:http server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { renderErrorPage, renderHomePage, renderReportPage } from '../../report/html/index.js';
import { type Frame, type Report, ReportSchema, type ReportThread } from '../../report/schema.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const STATIC_DIR = fileURLToPath(new URL('../../web/static/', import.meta.url));
const skip = browserSkipReason() ?? false;

// ---- fixtures: frames as gdb 13.1 and faulthandler print them for CPython 3.11 on glibc 2.36

const c = (fn: string, file: string | null = null, line: number | null = null): Frame => ({
  function: fn,
  file,
  line,
  library: null,
  language: 'native',
});
const py = (fn: string, file: string, line: number): Frame => ({ function: fn, file, line, library: null, language: 'python' });

const THREAD_BOOT = [
  c('_PyEval_EvalFrameDefault', '../Python/ceval.c', 5379),
  c('thread_run', '../Modules/_threadmodule.c', 1092),
  c('pythread_wrapper', '../Python/thread_pthread.h', 246),
  c('start_thread', './nptl/pthread_create.c', 442),
  c('clone3', '../sysdeps/unix/sysv/linux/x86_64/clone3.S', 81),
];
const POOL_WORKER = [
  py('_worker', '/usr/lib/python3.11/concurrent/futures/thread.py', 83),
  py('run', '/usr/lib/python3.11/threading.py', 975),
  py('_bootstrap_inner', '/usr/lib/python3.11/threading.py', 1038),
  py('_bootstrap', '/usr/lib/python3.11/threading.py', 995),
];
const GIL_LEAF = [
  c('__futex_abstimed_wait_common64', './nptl/futex-internal.c', 57),
  c('__futex_abstimed_wait_common', './nptl/futex-internal.c', 87),
  c('__GI___futex_abstimed_wait_cancelable64', './nptl/futex-internal.c', 139),
  c('__pthread_cond_wait_common', './nptl/pthread_cond_wait.c', 503),
  c('___pthread_cond_timedwait64', './nptl/pthread_cond_wait.c', 643),
  c('PyCOND_TIMEDWAIT', '../Python/condvar.h', 73),
  c('take_gil', '../Python/ceval_gil.h', 250),
];
const SLEEPER_GIL = [
  ...GIL_LEAF,
  c('PyEval_RestoreThread', '../Python/ceval_gil.c', 706),
  c('pysleep', '../Modules/timemodule.c', 2154),
  c('time_sleep', '../Modules/timemodule.c', 383),
  ...THREAD_BOOT,
  py('handle_request', '/srv/app/gthread_app.py', 41),
  ...POOL_WORKER,
];
const RENDER_GIL = [
  ...GIL_LEAF,
  c('eval_frame_handle_pending', '../Python/ceval.c', 1211),
  ...THREAD_BOOT,
  py('render_report', '/srv/app/gthread_app.py', 27),
  ...POOL_WORKER,
];
const RENDER_RUNNING = [...THREAD_BOOT, py('render_report', '/srv/app/gthread_app.py', 29), ...POOL_WORKER];
const IDLE_WORKER = [
  c('__futex_abstimed_wait_common64', './nptl/futex-internal.c', 57),
  c('do_futex_wait', './nptl/sem_waitcommon.c', 111),
  c('__new_sem_wait_slow64', './nptl/sem_waitcommon.c', 183),
  c('PyThread_acquire_lock_timed', '../Python/thread_pthread.h', 509),
  c('_queue_SimpleQueue_get_impl', '../Modules/_queuemodule.c', 252),
  ...THREAD_BOOT,
  py('_worker', '/usr/lib/python3.11/concurrent/futures/thread.py', 81),
  ...POOL_WORKER.slice(1),
];
const MAIN_LOOP = [
  c('epoll_wait', '../sysdeps/unix/sysv/linux/epoll_wait.c', 30),
  c('select_epoll_poll_impl', '../Modules/selectmodule.c', 1618),
  c('_PyEval_EvalFrameDefault', '../Python/ceval.c', 5379),
  c('Py_RunMain', '../Modules/main.c', 684),
  c('__libc_start_call_main', '../sysdeps/nptl/libc_start_call_main.h', 58),
  py('select', '/usr/lib/python3.11/selectors.py', 468),
  py('serve_forever', '/srv/app/gthread_app.py', 60),
  py('<module>', '/srv/app/gthread_app.py', 75),
];

function worker(lwp: number, over: Partial<ReportThread>): ReportThread {
  return {
    key: `p32100:t${lwp}`,
    pid: 32100,
    lwp,
    pthreadId: `0x7f4e${(0xa0000000 + (lwp - 32100) * 0x801000).toString(16)}`,
    name: 'python3',
    state: 'unknown',
    idle: false,
    blockingFrame: null,
    cpuPercent: 0.4,
    frames: [],
    sources: ['gdb-bt.txt', 'faulthandler.txt', 'ps-L.txt'],
    classification: { rule: 'none', why: 'no rule matched', frameIndex: null, confidence: 'low' },
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    greenlets: [],
    movement: null,
    cpuSamples: [],
    ...over,
  };
}

const GIL_WHY = 'waiting to take the GIL: take_gil under PyEval_RestoreThread after time.sleep';
const lwps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function gilReport(): Report {
  const sleepers = lwps(32107, 32135).map((lwp) =>
    worker(lwp, {
      state: 'gil_wait',
      blockingFrame: 'take_gil',
      frames: SLEEPER_GIL,
      classification: { rule: 'gil.restore', why: GIL_WHY, frameIndex: 6, confidence: 'high' },
      voluntarySwitchesPerSec: 812,
      involuntarySwitchesPerSec: 3.5,
    }),
  );
  const renderers = lwps(32102, 32106).map((lwp) =>
    lwp === 32105
      ? worker(lwp, {
          state: 'running',
          cpuPercent: 17.3,
          frames: RENDER_RUNNING,
          classification: {
            rule: 'running.python',
            why: 'executing Python code: no wait frame on the stack',
            frameIndex: 5,
            confidence: 'medium',
          },
        })
      : worker(lwp, {
          state: 'gil_wait',
          blockingFrame: 'take_gil',
          cpuPercent: 16 + (lwp % 3),
          frames: RENDER_GIL,
          classification: {
            rule: 'gil.eval_pending',
            why: 'asked to drop the GIL by the eval loop and waiting to take it back',
            frameIndex: 6,
            confidence: 'high',
          },
        }),
  );
  const idle = lwps(32136, 32141).map((lwp) =>
    worker(lwp, {
      state: 'lock_wait',
      idle: true,
      blockingFrame: 'SimpleQueue.get',
      cpuPercent: 0,
      frames: IDLE_WORKER,
      classification: {
        rule: 'pool.idle_get',
        why: 'a pool worker waiting for work in SimpleQueue.get',
        frameIndex: 4,
        confidence: 'high',
      },
    }),
  );
  const main = worker(32100, {
    key: 'p32100:t32100',
    pthreadId: '0x7f4f11ce2040',
    state: 'io_wait',
    idle: true,
    blockingFrame: 'epoll_wait',
    cpuPercent: 1.2,
    frames: MAIN_LOOP,
    classification: { rule: 'io.epoll_idle', why: 'an event loop waiting in epoll_wait with a timeout', frameIndex: 0, confidence: 'high' },
  });
  const threads = [main, ...renderers, ...sleepers, ...idle];
  const keysOf = (list: ReportThread[]) => list.map((t) => t.key);
  const gilWaiters = threads.filter((t) => t.state === 'gil_wait');
  const renderWaiters = renderers.filter((t) => t.state === 'gil_wait');
  const runner = renderers.filter((t) => t.state === 'running');
  const group = (key: string, members: ReportThread[], representative: ReportThread) => ({
    key,
    state: representative.state,
    blockingFrame: representative.blockingFrame,
    stackSignature: `v1:${key}`,
    count: members.length,
    threadKeys: keysOf(members),
    idle: representative.idle,
    representativeFrames: representative.frames,
    pids: [32100],
  });
  return {
    version: 1,
    id: 'r_01JD8GILCONTENTION',
    signature: 'v1:gil_contention:take_gil:render_report',
    summary: 'GIL contention: 33 of 41 threads wait for the GIL while 5 CPU-bound render_report threads hold it',
    inputs: [
      {
        name: 'gdb-bt.txt',
        format: 'gdb',
        bytes: 187_342,
        warnings: [
          {
            code: 'unrecognized_line',
            line: 43,
            message:
              "expected '#<n>  <addr> in <function>', found '30\t../sysdeps/unix/sysv/linux/epoll_wait.c: No such file or directory.'",
          },
        ],
        detection: {
          confidence: 0.98,
          forced: false,
          evidence: [{ line: 45, text: 'Thread 41 (Thread 0x7f4ebffef6c0 (LWP 32141) "python3"):' }],
        },
        snapshots: 1,
      },
      {
        name: 'faulthandler.txt',
        format: 'faulthandler',
        bytes: 9_214,
        warnings: [],
        detection: {
          confidence: 0.95,
          forced: false,
          evidence: [{ line: 1, text: 'Thread 0x00007f4ebffef6c0 (most recent call first):' }],
        },
        snapshots: 1,
      },
      {
        name: 'ps-L.txt',
        format: 'ps',
        bytes: 3_120,
        warnings: [
          {
            code: 'inconsistent_value',
            line: 2,
            message: 'the thread-group leader row shows the whole process CPU (103%), not the main thread',
          },
        ],
        detection: {
          confidence: 0.9,
          forced: false,
          evidence: [{ line: 1, text: '  PID   LWP %CPU STAT WCHAN                            COMMAND' }],
        },
        snapshots: 1,
      },
    ],
    processes: [
      {
        pid: 32100,
        ppid: 32097,
        command: 'python3 gthread_app.py',
        threadCount: 41,
        state: 'Sl',
        wchan: 'do_epoll_wait',
        cpuPercent: 103,
        children: [],
      },
    ],
    threads,
    groups: [
      group('g-sleepers', sleepers, sleepers[0] as ReportThread),
      group('g-idle', idle, idle[0] as ReportThread),
      group('g-render-gil', renderWaiters, renderWaiters[0] as ReportThread),
      group('g-render-run', runner, runner[0] as ReportThread),
      group('g-main', [main], main),
    ],
    diagnoses: [
      {
        code: 'gil_contention',
        severity: 'critical',
        title: 'GIL contention: 33 of 41 threads wait for the GIL',
        detail:
          'Most threads are ready to run Python code but are queued on the GIL. Five render_report threads run pure-Python loops and keep taking it back; the 29 request threads spend their time re-acquiring it after every 1 ms sleep. Move the CPU-bound work to processes, or release the GIL in it.',
        threadKeys: keysOf(gilWaiters),
        evidence: { gilWaiters: 33, threads: 41, runningPython: 1, cpus: 2, holderFunction: 'render_report' },
      },
      {
        code: 'high_cpu_thread',
        severity: 'info',
        title: 'Five threads use most of the CPU in render_report',
        detail: 'The render_report threads together take about 87% of a CPU while the process has 2.',
        threadKeys: keysOf(renderers),
        evidence: { cpuPercent: 87.2, hotFunction: 'render_report', fromPidstat: true },
      },
    ],
  };
}

// Payloads that would set window.__xss if any of them reached the DOM as markup.
const XSS = ['<script>window.__xss=1</script>', '"><img src=x onerror="window.__xss=2">', '</textarea><svg onload="window.__xss=3">'];

function hostileReport(): Report {
  const base = gilReport();
  const bad = XSS.join(' ');
  const victim = base.threads[1] as ReportThread;
  const evilKey = `p32100:${XSS[1]}`;
  const threads = base.threads.map((t) =>
    t === victim
      ? {
          ...t,
          key: evilKey,
          name: bad,
          blockingFrame: XSS[0] ?? '',
          frames: [c(bad, `/tmp/${XSS[2]}.c`, 1), py(XSS[1] ?? '', XSS[0] ?? '', 2), ...t.frames],
          classification: { ...t.classification, why: bad, rule: XSS[0] ?? '', frameIndex: (t.classification.frameIndex ?? 0) + 2 },
        }
      : t,
  );
  return {
    ...base,
    id: 'r_HOSTILE',
    summary: `Summary ${bad}`,
    threads,
    inputs: base.inputs.map((input) => ({
      ...input,
      name: `${input.name}${XSS[2]}`,
      warnings: [...input.warnings, { code: 'unrecognized_line', line: 7, message: bad }],
    })),
    processes: base.processes.map((p) => ({ ...p, command: bad })),
    groups: base.groups.map((g) => ({ ...g, threadKeys: g.threadKeys.map((k) => (k === victim.key ? evilKey : k)) })),
    diagnoses: base.diagnoses.map((d) => ({
      ...d,
      title: `${d.title} ${XSS[0]}`,
      detail: bad,
      evidence: { ...d.evidence, [XSS[1] ?? 'x']: bad },
      threadKeys: [evilKey, ...d.threadKeys.filter((k) => k !== victim.key)],
    })),
  };
}

const STATS = {
  signature: 'v1:gil_contention:take_gil:render_report',
  count: 3,
  firstSeen: '2026-11-19T08:14:03Z',
  lastSeen: '2026-11-21T14:02:51Z',
  reportIds: ['r_01JD2FIRST', 'r_01JD5SECOND', 'r_01JD8GILCONTENTION'],
};

// ---- a tiny server: pages by path, web/static/ under /static/, the API's CSP on every answer

let server: Server;
let origin = '';
let browser: TestBrowser | undefined;
const hits = new Map<string, number>();
const posts: string[] = [];
const pages = new Map<string, () => string>();
const shots = mkdtempSync(join(tmpdir(), 'stacksift-page-shots-'));
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };

async function answer(path: string): Promise<{ status: number; type: string; body: string | Buffer }> {
  if (path.startsWith('/static/')) {
    const file = normalize(join(STATIC_DIR, path.slice('/static/'.length)));
    if (!file.startsWith(STATIC_DIR.endsWith(sep) ? STATIC_DIR : STATIC_DIR + sep)) return { status: 404, type: 'text/plain', body: 'no' };
    try {
      return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
    } catch {
      return { status: 404, type: 'text/plain', body: 'not found' };
    }
  }
  const page = pages.get(path.replace(/^\/nocsp/, ''));
  if (page === undefined)
    return { status: 404, type: 'text/html; charset=utf-8', body: renderErrorPage(404, 'Not found', `Nothing at ${path}`) };
  return { status: 200, type: 'text/html; charset=utf-8', body: page() };
}

before(async () => {
  const report = gilReport();
  const pendingModel = {
    id: 'r_PENDING',
    status: 'processing' as const,
    report: null,
    error: null,
    createdAt: '2026-11-21T14:02:51Z',
    signatureStats: null,
  };
  pages.set('/', () =>
    renderHomePage({
      maxFiles: 32,
      maxUploadBytes: 64 * 1024 * 1024,
      formats: ['gdb', 'faulthandler', 'traceback_dump', 'ps', 'pstree', 'pidstat', 'top', 'strace', 'unknown'],
    }),
  );
  pages.set('/r/done', () =>
    renderReportPage({
      id: 'r_01JD8GILCONTENTION',
      status: 'done',
      report,
      error: null,
      createdAt: '2026-11-21T14:02:51Z',
      signatureStats: STATS,
    }),
  );
  pages.set('/r/hostile', () =>
    renderReportPage({ id: 'r_HOSTILE', status: 'done', report: hostileReport(), error: null, createdAt: null, signatureStats: null }),
  );
  pages.set('/r/failed', () =>
    renderReportPage({
      id: 'r_FAILED',
      status: 'failed',
      report: null,
      error: 'No input could be read: gdb-bt.txt is empty.',
      createdAt: null,
      signatureStats: null,
    }),
  );
  // Pending for two loads, then done: what a browser sees while the worker runs.
  pages.set('/r/pending', () =>
    (hits.get('/r/pending') ?? 0) < 3 ? renderReportPage(pendingModel) : renderReportPage({ ...pendingModel, status: 'done', report }),
  );
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.method === 'POST' && path === '/api/v1/dumps') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        posts.push(`${req.headers['content-type']}\n${Buffer.concat(chunks).toString('utf8')}`);
        res.writeHead(303, { location: '/r/done' }).end();
      });
      return;
    }
    answer(path).then(
      ({ status, type, body }) => {
        const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' };
        if (!path.startsWith('/nocsp/')) headers['content-security-policy'] = CSP;
        res.writeHead(status, headers).end(body);
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (skip === false) browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Watched {
  page: Page;
  problems: string[];
}

/** A new tab that records console errors, page errors, CSP violations and failed requests. */
async function watchedPage(viewport?: { width: number; height: number }): Promise<Watched> {
  assert.ok(browser, 'browser launched');
  const page = await browser.newPage(viewport);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, problems };
}

/** A viewport-sized screenshot starting at a section, readable at a glance (full-page shots are not). */
async function shootSection(page: Page, section: string, label: string): Promise<void> {
  await page.evaluate((id) => document.getElementById(id)?.scrollIntoView(), section);
  await page.screenshot({ path: join(shots, `report-${label}-${section}.png`) });
}

test('the hand-built reports are valid against ReportSchema', () => {
  for (const report of [gilReport(), hostileReport()]) {
    const parsed = ReportSchema.safeParse(report);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
  }
});

test('a finished report renders under the strict CSP with no errors, diagnoses before groups', { skip }, async (t) => {
  const { page, problems } = await watchedPage();
  await page.goto(`${origin}/r/done`, { waitUntil: 'load' });
  await page.screenshot({ path: join(shots, 'report-desktop.png'), fullPage: true });
  await page.screenshot({ path: join(shots, 'report-desktop-top.png') });
  for (const section of ['groups', 'icicle', 'threads', 'inputs']) await shootSection(page, section, 'desktop');
  assert.deepEqual(problems, []);
  assert.equal(await page.locator('h1.summary').textContent(), gilReport().summary);
  const order = await page.evaluate(() => {
    const diagnoses = document.getElementById('diagnoses');
    const groups = document.getElementById('groups');
    return diagnoses !== null && groups !== null && (diagnoses.compareDocumentPosition(groups) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  assert.ok(order, 'the diagnoses section comes before the groups section');
  const firstCard = await page.locator('.diagnosis').first().boundingBox();
  const firstGroup = await page.locator('.group').first().boundingBox();
  assert.ok(firstCard && firstGroup && firstCard.y < firstGroup.y, 'diagnosis cards are drawn above the groups');
  // The stylesheet applied: a critical badge is coloured, not the default transparent.
  const badge = await page
    .locator('.diagnosis .badge.sev-critical')
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(badge, 'rgba(0, 0, 0, 0)');
  assert.equal((await page.locator('#icicle svg rect').count()) > 10, true);
  assert.equal(await page.locator('.seen-before a[href="/r/r_01JD2FIRST"]').count(), 1);
  // The script ran (it is the only thing that unhides the toolbar): script-src 'self' lets it.
  assert.equal(await page.locator('[data-toolbar]').isVisible(), true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(shots, 'report-dark.png'), fullPage: false });
  await page.close();

  const phone = await watchedPage({ width: 390, height: 844 });
  await phone.page.goto(`${origin}/r/done`, { waitUntil: 'load' });
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.page.screenshot({ path: join(shots, 'report-phone.png'), fullPage: true });
  await phone.page.screenshot({ path: join(shots, 'report-phone-top.png') });
  for (const section of ['diagnoses', 'groups', 'icicle', 'threads', 'inputs']) await shootSection(phone.page, section, 'phone');
  assert.ok(overflow <= 0, `the phone layout does not scroll sideways (overflow ${overflow}px)`);
  assert.deepEqual(phone.problems, []);
  await phone.page.close();
  t.diagnostic(`screenshots in ${shots}`);
});

test('a group <details> expands to show its stack', { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(`${origin}/r/done`);
  const group = page.locator('.group').first();
  const stack = group.locator('.stack');
  assert.equal(await stack.isVisible(), false, 'folded at first');
  await group.locator('.stack-details > summary').click();
  assert.equal(await stack.isVisible(), true);
  assert.match((await stack.textContent()) ?? '', /take_gil/);
  assert.match((await group.locator('.frame.decider').textContent()) ?? '', /take_gil/);
  assert.equal(await group.locator('.frame-python').first().isVisible(), true);
  await page.screenshot({ path: join(shots, 'report-group-open.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a thread link in a diagnosis scrolls to that thread and unfolds it', { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(`${origin}/r/done`);
  const link = page.locator('.diagnosis a.thread-link', { hasText: 'p32100:t32126' });
  const href = await link.getAttribute('href');
  assert.equal(href, '#thread-p32100-t32126');
  await link.click();
  await page.waitForFunction(() => location.hash === '#thread-p32100-t32126');
  const target = page.locator('#thread-p32100-t32126');
  const box = await target.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && viewport && box.y >= 0 && box.y < viewport.height, `the thread row is on screen (y=${box?.y})`);
  assert.equal(await target.locator('details.thread-details').getAttribute('open'), '');
  assert.equal(await target.locator('.stack').isVisible(), true);
  await page.screenshot({ path: join(shots, 'report-thread-target.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the thread filter narrows the table, on a phone too', { skip }, async () => {
  const { page, problems } = await watchedPage({ width: 390, height: 844 });
  await page.goto(`${origin}/r/done`);
  await page.locator('[data-thread-filter]').fill('running');
  assert.equal(await page.locator('tbody.thread:visible').count(), 1);
  await page.locator('[data-thread-filter]').fill('gil_wait');
  assert.equal(await page.locator('tbody.thread:visible').count(), 33);
  await page.locator('[data-thread-filter]').fill('');
  assert.equal(await page.locator('tbody.thread:visible').count(), 41);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dump text never runs as script, with or without the CSP', { skip }, async () => {
  for (const path of ['/nocsp/r/hostile', '/r/hostile']) {
    const { page, problems } = await watchedPage();
    const before = hits.get('/x') ?? 0;
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    await page.locator('details').evaluateAll((all) => {
      for (const d of all) (d as HTMLDetailsElement).open = true;
    });
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, path);
    assert.equal(hits.get('/x') ?? 0, before, 'the <img src=x> payload was never requested');
    assert.match((await page.locator('h1.summary').textContent()) ?? '', /<script>window\.__xss=1<\/script>/);
    assert.equal(await page.locator('main script, main img, main svg[onload]').count(), 0);
    assert.deepEqual(problems, [], path);
    // The hostile key still gets a working anchor.
    await page.locator('.diagnosis a.thread-link').first().click();
    assert.equal(await page.locator('tbody.thread:target').count(), 1);
    await page.close();
  }
});

test('a pending report reloads itself every 2 s and shows the report when it is done', { skip }, async () => {
  const { page, problems } = await watchedPage();
  const start = hits.get('/r/pending') ?? 0;
  await page.goto(`${origin}/r/pending`);
  assert.match((await page.locator('h1').textContent()) ?? '', /Analysing/);
  await page.screenshot({ path: join(shots, 'report-pending.png') });
  await page.locator('h1.summary').waitFor({ timeout: 10_000 });
  assert.ok((hits.get('/r/pending') ?? 0) - start >= 3, 'the page was loaded again without any script');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a failed report shows its message kindly with a way back', { skip }, async () => {
  const { page, problems } = await watchedPage();
  await page.goto(`${origin}/r/failed`);
  assert.match((await page.locator('.error-message').textContent()) ?? '', /gdb-bt\.txt is empty/);
  await page.locator('main a[href="/"]').click();
  await page.waitForURL(`${origin}/`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the home page form posts a pasted dump as multipart without JavaScript help', { skip }, async () => {
  const { page, problems } = await watchedPage({ width: 390, height: 844 });
  await page.goto(`${origin}/`);
  await page.screenshot({ path: join(shots, 'home-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the home page does not scroll sideways on a phone (overflow ${overflow}px)`);
  await page.locator('textarea[name="text"]').fill('Thread 0x00007f4ebffef6c0 (most recent call first):\n  File "x.py", line 1 in f\n');
  await page.locator('select[name="format"]').selectOption('faulthandler');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(`${origin}/r/done`);
  const post = posts.at(-1) ?? '';
  assert.match(post, /^multipart\/form-data; boundary=/);
  assert.match(post, /name="text"\r\n\r\nThread 0x00007f4ebffef6c0/);
  assert.match(post, /name="format"\r\n\r\nfaulthandler/);
  assert.deepEqual(problems, []);
  await page.close();
});
