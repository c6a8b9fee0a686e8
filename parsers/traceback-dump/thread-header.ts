/**
 * The header lines hand-written thread-dump helpers print before each `traceback.format_stack`
 * block. Every shape is a line naming a thread by a hex or decimal id and/or a name; the
 * recipes below are the common ones (real samples in FORMAT.md):
 *
 *   `Thread 0x7fd0badff6c0 (stack-dumper)`               helper writing hex(ident) and the name
 *   `Thread 0x7fd0bc62f040`                               pyrasite's dump_stacks payload
 *   `Thread 0x7fd0ba4fe6c0 (None) (CURRENT)`              gevent.util.format_run_info (1.3+)
 *   `# Thread: MainThread(140534490525760)`               StackOverflow 132058 recipe, gunicorn example config
 *   `# ThreadID: 140534490525760`                         the same recipe's shorter variant
 *   `--- Thread 140534490525760 (worker-1) ---`           decorated variants of the above
 *   `Thread MainThread (140534490525760)`                 name first, id in parentheses
 *   `<Thread(worker-1, started daemon 140534490525760)>`  `repr(threading.Thread)` (2.7–3.13)
 *   `Greenlet 0x7fd0bb596750 (Hub)`                       greenlets, which are not OS threads
 *
 * Decimal ids are `threading.get_ident()` values, i.e. the pthread_t (Linux, macOS) or the
 * Windows thread id, the same number faulthandler prints in hex.
 */
import { normalizePthreadId, parseId, pthreadIdFromDecimal } from '../identity.js';
import type { ExecutionKind } from '../model.js';

export interface ThreadHeader {
  kind: ExecutionKind;
  pthreadId: string | null;
  lwp: number | null;
  name: string | null;
  isCurrent: boolean;
  /** True when the header says its frames are listed `most recent call first`. */
  isInnermostFirst: boolean;
  /** For greenlets: the OS thread the header says it runs on. */
  hostPthreadId: string | null;
  /** Identity within one capture (`t:0x7f…`, `g:0x7f…`), or null when the header names no id. */
  key: string | null;
  /**
   * 'strong' headers say "thread" or "greenlet" in their own words and open a thread at once;
   * a 'weak' one (`MainThread (140534490525760)`) only opens one when frames follow it.
   */
  strength: 'strong' | 'weak';
  /** How strongly the line marks a traceback dump (`DumpFormat.signature`). */
  score: number;
}

const ID = String.raw`0[xX][0-9a-fA-F]{1,16}L?|\d{1,20}`;
const LEAD_DECORATION = /^[#=*>~-]+\s*/;
const THREAD_ID_LABEL = new RegExp(String.raw`^Thread[ _-]?I[Dd]\s*[:=]\s*(${ID})(?:\s+\((.*)\))?:?$`);
// Single optional spaces around lazy groups keep these linear on long runs of blanks.
const THREAD_COLON = new RegExp(String.raw`^Thread: ?(.*?) ?\((${ID})\):?$`);
const THREAD_ID_FIRST = new RegExp(String.raw`^Thread:?\s+(${ID})(?:\s+\((.*)\))?(?:\s*:)?$`);
const THREAD_NAME_FIRST = new RegExp(String.raw`^Thread (.+?) ?\((${ID})\):?$`);
const THREAD_REPR = /^<(\w{1,64})\((.*), (?:initial|started|stopped)(?: daemon)?(?: (\d{1,20}))?\)>:?$/;
const GREENLET =
  /^Greenlet:?\s+(0[xX][0-9a-fA-F]{1,16})(?:\s+\((.*?)\))?(?:\s+(?:in|on)\s+thread\s+(0[xX][0-9a-fA-F]{1,16}|\d{1,20}))?(?:\s*:)?$/;
const WEAK = /^(\S.{0,200}?) \((0[xX][0-9a-fA-F]{4,16}L?|\d{4,20})\):?$/;
const GDB_LWP = /^LWP (\d{1,10})$/;
const STACK_OF = new RegExp(String.raw`^(\S.{0,200}?) \((${ID})\)$`);

interface Id {
  pthreadId: string | null;
  isLong: boolean;
}

function readId(text: string): Id {
  const t = text.endsWith('L') ? text.slice(0, -1) : text;
  if (/^0[xX]/.test(t)) return { pthreadId: normalizePthreadId(t), isLong: true };
  return { pthreadId: pthreadIdFromDecimal(t), isLong: t.length >= 6 };
}

/** `--- Thread 1 (a) ---` → `Thread 1 (a)`; a loop, as a trailing-anchored regex would rescan runs. */
function withoutTrailingDecoration(text: string): string {
  let end = text.length;
  while (end > 0 && '#=*<~-'.includes(text[end - 1] as string)) end--;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end);
}

function cleanName(text: string | undefined): string | null {
  if (text === undefined) return null;
  const t = text.trim();
  return t === '' || t === 'None' ? null : t;
}

function threadHeader(id: Id, name: string | null, score: number, extra: Partial<ThreadHeader> = {}): ThreadHeader {
  return {
    kind: 'thread',
    pthreadId: id.pthreadId,
    lwp: null,
    name,
    isCurrent: false,
    isInnermostFirst: false,
    hostPthreadId: null,
    key: id.pthreadId === null ? null : `t:${id.pthreadId}`,
    strength: 'strong',
    score,
    ...extra,
  };
}

/** Reads a thread or greenlet header line of a traceback dump, or returns null. */
export function parseThreadHeader(text: string): ThreadHeader | null {
  const c = text.charCodeAt(0);
  // Headers start at the line start: indented lines are frames and source text.
  if (text.length < 8 || c === 32 || c === 9) return null;
  let t = text;
  const lead = LEAD_DECORATION.exec(t);
  if (lead) t = withoutTrailingDecoration(t.slice(lead[0].length));
  // pytest-timeout (`timeout_method=thread`) and faulthandler-less helpers of its kind:
  //   `~~~~~~~~~~~~~ Stack of Thread-2 (t2) (139889154209472) ~~~~~~~~~~~~~`
  if (lead && t.startsWith('Stack of ')) return stackOf(t.slice(9));
  switch (t[0]) {
    case 'T':
      return threadWord(t);
    case '<':
      return threadRepr(t);
    case 'G':
      return greenlet(t);
    default:
      return weak(t);
  }
}

function threadWord(t: string): ThreadHeader | null {
  if (!t.startsWith('Thread')) return weak(t);
  let m = THREAD_ID_LABEL.exec(t);
  if (m) return threadHeader(readId(m[1] as string), cleanName(m[2]), 1);
  m = THREAD_COLON.exec(t);
  if (m) return threadHeader(readId(m[2] as string), cleanName(m[1]), 1);
  m = THREAD_ID_FIRST.exec(t);
  if (m) return idFirst(readId(m[1] as string), m[2]);
  m = THREAD_NAME_FIRST.exec(t);
  if (m) {
    const id = readId(m[2] as string);
    return threadHeader(id, cleanName(m[1]), id.isLong ? 0.9 : 0.5);
  }
  return weak(t);
}

/** `Thread <id> (<rest>)`: the rest is a name, gevent's `name) (CURRENT`, or another tool's words. */
function idFirst(id: Id, rest: string | undefined): ThreadHeader | null {
  if (rest === undefined) return threadHeader(id, null, id.isLong ? 0.8 : 0.3);
  // faulthandler's own header (`Thread 0x… (most recent call first):`) read inside a traceback dump.
  if (rest === 'most recent call first') return threadHeader(id, null, 0, { isInnermostFirst: true });
  // gdb: `Thread 2 (Thread 0x7f… (LWP 9)):` and `Thread 0x7f… (LWP 9)` belong to gdb's parser.
  if (rest.startsWith('Thread ')) return null;
  const lwp = GDB_LWP.exec(rest);
  if (lwp) return threadHeader(id, null, 0, { lwp: parseId(lwp[1]) });
  let name = rest;
  let isCurrent = false;
  if (name.endsWith(') (CURRENT')) {
    isCurrent = true;
    name = name.slice(0, -') (CURRENT'.length);
  }
  return threadHeader(id, cleanName(name), id.isLong ? 1 : 0.5, { isCurrent });
}

function threadRepr(t: string): ThreadHeader | null {
  const m = THREAD_REPR.exec(t);
  if (!m) return null;
  const ident = m[3];
  const id = ident === undefined ? { pthreadId: null, isLong: false } : readId(ident);
  return threadHeader(id, cleanName(m[2]), 0.9);
}

function greenlet(t: string): ThreadHeader | null {
  const m = GREENLET.exec(t);
  if (!m) return weak(t);
  const address = normalizePthreadId(m[1]);
  const host = m[3] === undefined ? null : readId(m[3]).pthreadId;
  return {
    kind: 'greenlet',
    pthreadId: null,
    lwp: null,
    name: cleanName(m[2]),
    isCurrent: false,
    isInnermostFirst: false,
    hostPthreadId: host,
    key: address === null ? null : `g:${address}`,
    strength: 'strong',
    score: 1,
  };
}

/** `Thread-2 (t2) (139889154209472)`, `MainThread (140…)`: a thread name (3.10+ names carry the target in parentheses), then the ident. */
function stackOf(t: string): ThreadHeader | null {
  const m = STACK_OF.exec(t);
  if (!m) return null;
  const id = readId(m[2] as string);
  return threadHeader(id, cleanName(m[1]), id.isLong ? 1 : 0.5);
}

function weak(t: string): ThreadHeader | null {
  const m = WEAK.exec(t);
  if (!m) return null;
  return { ...threadHeader(readId(m[2] as string), cleanName(m[1]), 0), strength: 'weak' };
}
