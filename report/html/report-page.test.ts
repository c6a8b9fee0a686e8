import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Frame, type Report, ReportSchema, type ReportThread } from '../schema.js';
import { type ReportPageModel, renderErrorPage, renderHomePage, renderReportPage } from './index.js';

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</textarea>'] as const;
const BAD = PAYLOADS.join(' ');

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/**
 * The start tags of an HTML string as a browser would tokenise them. The renderer escapes
 * every `<` in text and every `"` in attributes, so a literal `<` always opens a real tag;
 * escaping that failed shows up here as an extra tag or attribute.
 */
function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  let i = html.indexOf('<');
  while (i >= 0) {
    const nameMatch = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(i, i + 40));
    if (nameMatch === null) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const name = (nameMatch[1] ?? '').toLowerCase();
    const attrs = new Map<string, string>();
    let j = i + nameMatch[0].length;
    while (j < html.length && html[j] !== '>') {
      const attr = /^\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/.exec(html.slice(j));
      if (attr === null || attr[0] === '') {
        j++;
        continue;
      }
      attrs.set((attr[1] ?? '').toLowerCase(), attr[2] ?? attr[3] ?? attr[4] ?? '');
      j += attr[0].length;
    }
    tags.push({ name, attrs });
    i = html.indexOf('<', j);
  }
  return tags;
}

const native = (fn: string | null, file: string | null = null, line: number | null = null): Frame => ({
  function: fn,
  file,
  line,
  library: file === null ? '/lib/x86_64-linux-gnu/libc.so.6' : null,
  language: 'native',
});
const python = (fn: string, file: string, line: number): Frame => ({ function: fn, file, line, library: null, language: 'python' });

function thread(key: string, over: Partial<ReportThread> = {}): ReportThread {
  return {
    key,
    pid: 402,
    lwp: 405,
    pthreadId: '0x7faecdbd26c0',
    name: 'transfer',
    state: 'lock_wait',
    idle: false,
    blockingFrame: 'pthread_mutex_lock',
    cpuPercent: 0,
    frames: [
      native('futex_wait'),
      native('___pthread_mutex_lock', './nptl/pthread_mutex_lock.c', 93),
      native('apply_transfer', 'deadlock.c', 13),
    ],
    sources: ['gdb-bt.txt'],
    classification: { rule: 'lock.pthread_mutex', why: 'waiting for a pthread mutex', frameIndex: 1, confidence: 'high' },
    voluntarySwitchesPerSec: null,
    involuntarySwitchesPerSec: null,
    greenlets: [],
    movement: 'stuck',
    cpuSamples: [],
    ...over,
  };
}

/** A deadlock report (c-mutex-deadlock shape) with hostile text in every free-text field. */
function hostileReport(): Report {
  const evilKey = `p402:${PAYLOADS[1]}`;
  const threads = [
    thread('p402:t405'),
    thread(evilKey, {
      lwp: 406,
      name: BAD,
      blockingFrame: PAYLOADS[0],
      frames: [native(BAD, `/src/${PAYLOADS[2]}.c`, 32), python(PAYLOADS[1], `/app/${PAYLOADS[0]}.py`, 7), native(null)],
      classification: { rule: PAYLOADS[0], why: BAD, frameIndex: 0, confidence: 'medium' },
      greenlets: [{ id: PAYLOADS[2], name: BAD, frames: [python('run', PAYLOADS[1], 1)], source: PAYLOADS[0] }],
      sources: [`${PAYLOADS[2]}.txt`],
    }),
    thread('p402:t402', {
      lwp: 402,
      name: 'deadlock',
      state: 'child_wait',
      blockingFrame: null,
      classification: { rule: 'x', why: 'y', frameIndex: null, confidence: 'low' },
    }),
  ];
  return {
    version: 1,
    id: 'r_evil',
    signature: `v1:${BAD}`,
    summary: `Deadlock ${BAD}`,
    inputs: [
      {
        name: `gdb-bt${PAYLOADS[2]}.txt`,
        format: 'gdb',
        bytes: 4096,
        warnings: [{ code: 'unrecognized_line', line: 12, message: BAD }],
        detection: { confidence: 0.97, forced: false, evidence: [{ line: 9, text: BAD }] },
        snapshots: 1,
      },
    ],
    processes: [{ pid: 402, ppid: 1, command: BAD, threadCount: 4, state: PAYLOADS[1], wchan: PAYLOADS[0], cpuPercent: 0, children: [] }],
    threads,
    groups: [
      {
        key: 'g1',
        state: 'lock_wait',
        blockingFrame: PAYLOADS[0],
        stackSignature: `v1:${BAD}`,
        count: 2,
        threadKeys: ['p402:t405', evilKey],
        idle: false,
        representativeFrames: threads[1]?.frames ?? [],
        pids: [402],
      },
      {
        key: 'g2',
        state: 'child_wait',
        blockingFrame: null,
        stackSignature: 'v1:main',
        count: 1,
        threadKeys: ['p402:t402'],
        idle: false,
        representativeFrames: [],
        pids: [402],
      },
    ],
    diagnoses: [
      {
        code: 'deadlock',
        severity: 'critical',
        title: `Deadlock ${PAYLOADS[0]}`,
        detail: BAD,
        threadKeys: ['p402:t405', evilKey, 'p999:not-in-report'],
        evidence: { [PAYLOADS[1]]: BAD, cycleLength: 2, confirmed: true },
      },
      { code: 'thread_explosion', severity: 'info', title: 'A second finding', detail: 'plain', threadKeys: [], evidence: {} },
    ],
  };
}

function doneModel(report: Report, over: Partial<ReportPageModel> = {}): ReportPageModel {
  return { id: report.id ?? 'r', status: 'done', report, error: null, createdAt: '2026-11-21T14:02:51Z', signatureStats: null, ...over };
}

function allPages(): [string, string][] {
  const report = hostileReport();
  return [
    ['done', renderReportPage(doneModel(report))],
    ['queued', renderReportPage({ ...doneModel(report), status: 'queued', report: null })],
    ['failed', renderReportPage({ ...doneModel(report), status: 'failed', report: null, error: BAD })],
    ['home', renderHomePage({ maxFiles: 32, maxUploadBytes: 64 * 1024 * 1024, formats: ['gdb', 'ps', 'unknown'] })],
    ['error', renderErrorPage(404, PAYLOADS[0], BAD)],
  ];
}

test('the hostile fixture is a valid report', () => {
  const parsed = ReportSchema.safeParse(hostileReport());
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
});

test('dump text is shown as text: no payload survives as markup', () => {
  const html = renderReportPage(doneModel(hostileReport()));
  assert.ok(!html.includes('<script>alert(1)'), 'no raw <script>');
  assert.ok(!html.includes('<img src=x'), 'no raw <img>');
  assert.ok(!html.includes('</textarea>'), 'no raw </textarea>');
  assert.ok(html.includes('&lt;script>alert(1)&lt;/script>'), 'the script payload is there as text');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)>'), 'the img payload is there as text');
  for (const tag of startTags(html)) {
    assert.ok(tag.name !== 'img' || tag.attrs.get('src') === '/static/favicon.svg', `unexpected <img src="${tag.attrs.get('src')}">`);
    for (const name of tag.attrs.keys()) assert.ok(!name.startsWith('on'), `event handler attribute ${name} on <${tag.name}>`);
    const href = tag.attrs.get('href');
    if (href !== undefined) assert.match(href, /^(#[A-Za-z0-9_-]+|\/[A-Za-z0-9_./%-]*)$/, `href stays on this site: ${href}`);
    const id = tag.attrs.get('id');
    if (id !== undefined) assert.match(id, /^[A-Za-z0-9_-]+$/, `id is safe: ${id}`);
  }
  // Every free-text field is on the page, escaped.
  const escaped = BAD.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
  assert.ok(html.split(escaped).length > 8, 'the payload appears in the many fields that carry it');
});

test('no page has an inline script or a style attribute', () => {
  for (const [name, html] of allPages()) {
    assert.ok(html.startsWith('<!doctype html>'), `${name} is a whole document`);
    const tags = startTags(html);
    for (const tag of tags) {
      if (tag.name === 'script') assert.ok(tag.attrs.has('src'), `${name}: <script> without src`);
      assert.ok(!tag.attrs.has('style'), `${name}: style= on <${tag.name}>`);
      assert.notEqual(tag.name, 'style', `${name}: <style> element`);
    }
    for (const link of tags.filter((t) => t.name === 'link' || t.name === 'script')) {
      const url = link.attrs.get('href') ?? link.attrs.get('src') ?? '';
      assert.match(url, /^\/static\//, `${name}: asset from this site only: ${url}`);
    }
    assert.equal(tags.filter((t) => t.name === 'link' && t.attrs.get('rel') === 'stylesheet').length, 1, `${name} links app.css`);
  }
});

test('every diagnosis, group and thread is on the page, and thread links land on thread rows', () => {
  const report = hostileReport();
  const html = renderReportPage(doneModel(report));
  const tags = startTags(html);
  const ids = new Set(tags.flatMap((t) => (t.attrs.has('id') ? [t.attrs.get('id')] : [])));
  for (const d of report.diagnoses) assert.ok(html.includes(`>${d.code}<`), `diagnosis ${d.code}`);
  assert.equal(tags.filter((t) => t.attrs.get('class')?.startsWith('diagnosis ')).length, report.diagnoses.length);
  assert.equal(tags.filter((t) => t.name === 'article' && t.attrs.get('class')?.startsWith('group ')).length, report.groups.length);
  const threadRows = tags.filter((t) => t.name === 'tbody' && t.attrs.get('class')?.startsWith('thread '));
  assert.equal(threadRows.length, report.threads.length);
  assert.equal(new Set(threadRows.map((t) => t.attrs.get('id'))).size, report.threads.length, 'one unique anchor per thread');
  for (const t of report.threads) {
    const escapedKey = t.key.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
    assert.ok(html.includes(`<code>${escapedKey}</code>`), `thread ${t.key} is shown`);
  }
  for (const tag of tags) {
    const href = tag.attrs.get('href');
    if (href?.startsWith('#')) assert.ok(ids.has(href.slice(1)), `link ${href} has a target`);
  }
  // A key a diagnosis names but the report lacks is shown, not linked.
  assert.ok(html.includes('p999:not-in-report'));
  assert.ok(!html.includes('href="#thread-p999'));
});

test('the deciding frame is marked and native and Python frames are told apart', () => {
  const html = renderReportPage(doneModel(hostileReport()));
  const frames = startTags(html).filter((t) => t.name === 'li' && t.attrs.get('class')?.startsWith('frame '));
  const classes = frames.map((t) => t.attrs.get('class') ?? '');
  assert.ok(classes.includes('frame frame-native decider'));
  assert.ok(classes.includes('frame frame-python'));
  assert.ok(html.includes('◀ decided the state'));
  assert.ok(html.includes('<code class="frame-fn">??</code>'), 'an unknown function reads as gdb prints it');
});

test('a queued or processing report refreshes itself every 2 s; done and failed ones do not', () => {
  const report = hostileReport();
  for (const status of ['queued', 'processing'] as const) {
    const html = renderReportPage({ ...doneModel(report), status, report: null });
    assert.ok(html.includes('<meta http-equiv="refresh" content="2"/>'), status);
    assert.ok(html.includes(`>${status}<`), `${status} says so`);
  }
  assert.ok(!renderReportPage(doneModel(report)).includes('http-equiv="refresh"'));
  assert.ok(!renderReportPage({ ...doneModel(report), status: 'failed', error: 'x' }).includes('http-equiv="refresh"'));
});

test('a failed report shows its message and a way back', () => {
  const html = renderReportPage({
    ...doneModel(hostileReport()),
    status: 'failed',
    report: null,
    error: 'No input could be read: dump.txt is empty.',
  });
  assert.ok(html.includes('No input could be read: dump.txt is empty.'));
  assert.ok(html.includes('<a href="/">try again with a new upload</a>'));
  const silent = renderReportPage({ ...doneModel(hostileReport()), status: 'failed', report: null, error: null });
  assert.ok(silent.includes('failed without saying why'));
  const lost = renderReportPage({ ...doneModel(hostileReport()), report: null });
  assert.ok(lost.includes('holds no result'), 'done without a report is explained, not a crash');
});

test('a repeated problem says how often it was seen and links the other reports', () => {
  const report = hostileReport();
  const stats = {
    signature: report.signature,
    count: 3,
    firstSeen: '2026-11-19T08:14:03Z',
    lastSeen: '2026-11-21T14:02:51Z',
    reportIds: ['r_a', 'r_evil', 'r/b c'],
  };
  const html = renderReportPage(doneModel(report, { signatureStats: stats }));
  assert.ok(html.includes('Seen 3 times'));
  assert.ok(html.includes('2026-11-19 08:14:03 UTC'));
  assert.ok(html.includes('href="/r/r_a"'));
  assert.ok(html.includes('href="/r/r%2Fb%20c"'), 'ids are URL-encoded');
  assert.ok(!html.includes('href="/r/r_evil"'), 'no link to the page itself');
  const once = renderReportPage(doneModel(report, { signatureStats: { ...stats, count: 1, reportIds: ['r_evil'] } }));
  assert.ok(!once.includes('Seen 1 time'));
});

test('a huge report stays a bounded page and every thread keeps its row', () => {
  const frames = Array.from({ length: 200 }, (_, i) => native(`f${i}`, 'big.c', i));
  const threads = Array.from({ length: 1500 }, (_, i) =>
    thread(`p1:t${i}`, { pid: 1, lwp: i, frames, classification: { rule: 'r', why: 'w', frameIndex: 3, confidence: 'high' } }),
  );
  const report: Report = {
    ...hostileReport(),
    summary: 'many threads',
    threads,
    groups: [
      {
        key: 'g',
        state: 'lock_wait',
        blockingFrame: 'f0',
        stackSignature: 'v1:g',
        count: threads.length,
        threadKeys: threads.map((t) => t.key),
        idle: false,
        representativeFrames: frames,
        pids: [1],
      },
    ],
    diagnoses: [],
  };
  const html = renderReportPage(doneModel(report));
  const frameItems = html.split('<li class="frame ').length - 1;
  assert.ok(frameItems <= 60_000, `at most 60 000 frames written (${frameItems})`);
  assert.ok(frameItems >= 59_000, 'the budget is used, not wasted');
  assert.ok(html.includes('This stack is left out to keep the page light'));
  assert.equal(html.split('<tbody class="thread ').length - 1, threads.length);
  assert.ok(html.length < 40 * 1024 * 1024, `page size ${html.length}`);
});

test('the home page is a plain multipart form with the formats and limits', () => {
  const html = renderHomePage({ maxFiles: 8, maxUploadBytes: 16 * 1024 * 1024, formats: ['gdb', 'faulthandler', 'ps', 'unknown'] });
  const tags = startTags(html);
  const form = tags.find((t) => t.name === 'form');
  assert.equal(form?.attrs.get('method'), 'post');
  assert.equal(form?.attrs.get('action'), '/api/v1/dumps');
  assert.equal(form?.attrs.get('enctype'), 'multipart/form-data');
  const file = tags.find((t) => t.name === 'input' && t.attrs.get('type') === 'file');
  assert.equal(file?.attrs.get('name'), 'file');
  assert.ok(file?.attrs.has('multiple'));
  assert.ok(tags.some((t) => t.name === 'textarea' && t.attrs.get('name') === 'text'));
  assert.ok(tags.some((t) => t.name === 'select' && t.attrs.get('name') === 'format'));
  const options = tags.filter((t) => t.name === 'option').map((t) => t.attrs.get('value'));
  assert.deepEqual(options, ['auto', 'gdb', 'faulthandler', 'ps']);
  assert.ok(tags.some((t) => t.name === 'button' && t.attrs.get('type') === 'submit'));
  assert.ok(html.includes('Up to 8 files and 16 MiB per upload'));
  assert.ok(!tags.some((t) => t.name === 'script'), 'the form needs no script');
});

test('the error page shows the status and message as text', () => {
  const html = renderErrorPage(404, 'Not found', 'No report r_x <b>here</b>');
  assert.ok(html.includes('>404<'));
  assert.ok(html.includes('No report r_x &lt;b>here&lt;/b>'));
  assert.ok(html.includes('href="/"'));
});
