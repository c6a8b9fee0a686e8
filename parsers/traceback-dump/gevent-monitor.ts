/**
 * gevent's blocked-hub report (gevent 1.3+ `GreenletTracer.did_block_hub_report`, printed by
 * the monitor thread when `GEVENT_MONITOR_THREAD_ENABLE` is set) and `gevent.util.format_run_info`
 * / `print_run_info`, which the report embeds:
 *
 *   ================================================================================
 *
 *   2026-11-21T23:26:55Z : Greenlet <Greenlet at 0x7fd0bb5a9bc0: export_report(4)> appears to be blocked
 *       Reported by <gevent._gevent_c_tracer.GreenletTracer object at 0x7fd0bb5c7fb0>
 *   Blocked Stack (for thread id 0x7fd0bc62f040):
 *     File "/srv/demo/gevent_app.py", line 74, in export_report
 *   Info:
 *   ********************************************************************************
 *   * Threads
 *   ********************************************************************************
 *   Thread 0x7fd0ba4fe6c0 (None) (CURRENT)
 *   …
 *   * Greenlets
 *   ---- Thread boundary
 *   <greenlet.greenlet object at 0x7fd0bb777400 (otid=0x7fd0bb5de670) current active started main>
 *    :    Parent: None
 *    +--- <Greenlet "Greenlet-0" at 0x7fd0bb5a9c60: handle_client(…)>
 */
import { normalizePthreadId } from '../identity.js';

export type GeventLine =
  /** `<timestamp> : Greenlet <…> appears to be blocked`; `message` drops the timestamp. */
  | { kind: 'report'; timestamp: string | null; message: string }
  | { kind: 'reportedBy' }
  /** `Blocked Stack (for thread id 0x…):`; Python 2's `hex()` adds an `L`. */
  | { kind: 'blockedStack'; pthreadId: string | null }
  /** `Unknown: No thread found for hub <Hub …>`: the hub's thread has died. */
  | { kind: 'noHubThread' }
  | { kind: 'info' }
  | { kind: 'section'; section: 'threads' | 'greenlets' }
  /** `\t...stack elided...` (format_run_info with thread_stacks=False). */
  | { kind: 'stackElided' }
  /** `/usr/lib/python3/…/_monitor.py:267: MonitorWarning: …` and its `  warnings.warn(…` line. */
  | { kind: 'warning' };

const REPORT = /^(?:(\S{1,64}) : )?(Greenlet .* appears to be blocked)$/;
const BLOCKED_STACK = /^Blocked Stack \(for thread id (0[xX][0-9a-fA-F]{1,16})L?\):$/;
const PY_WARNING = /^\S.{0,400}?:\d{1,7}: [A-Z]\w{0,60}Warning: /;

/** Reads one line of a gevent monitor report; null when it is not one of its own lines. */
export function parseGeventLine(text: string): GeventLine | null {
  if (text.endsWith('appears to be blocked')) {
    const m = REPORT.exec(text);
    if (m) return { kind: 'report', timestamp: m[1] ?? null, message: m[2] as string };
  }
  switch (text[0]) {
    case 'B': {
      const m = BLOCKED_STACK.exec(text);
      return m ? { kind: 'blockedStack', pthreadId: normalizePthreadId(m[1]) } : null;
    }
    case 'I':
      return text === 'Info:' ? { kind: 'info' } : null;
    case '*':
      if (text === '* Threads') return { kind: 'section', section: 'threads' };
      if (text === '* Greenlets') return { kind: 'section', section: 'greenlets' };
      return null;
    case 'U':
      return text.startsWith('Unknown: No thread found for hub') ? { kind: 'noHubThread' } : null;
    case ' ':
    case '\t': {
      const t = text.trim();
      if (t.startsWith('Reported by <')) return { kind: 'reportedBy' };
      if (t === '...stack elided...') return { kind: 'stackElided' };
      if (t.startsWith('warnings.warn(')) return { kind: 'warning' };
      return null;
    }
    default:
      return PY_WARNING.test(text) ? { kind: 'warning' } : null;
  }
}

/**
 * True for a line of the greenlet tree under `* Greenlets`, which is structure, not stacks:
 * its `*****` banner, `---- Thread boundary`, `<greenlet…>` roots and indented ` :`/` +---`
 * children, whose `Spawned at:` and `Running:` stacks are never thread frames.
 */
export function isGreenletTreeLine(text: string): boolean {
  const c = text[0];
  return c === ' ' || c === '\t' || c === '<' || c === '|' || text.startsWith('---- ') || /^\*+$/.test(text);
}
