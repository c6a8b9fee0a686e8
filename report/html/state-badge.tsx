/** @jsxImportSource preact */
/**
 * The coloured word for a thread state, severity or status. The word is the contract's
 * (`gil_wait`), so what the page says matches the JSON and CI output; the colour comes
 * from a class in app.css and the meaning is in the tooltip and the legend.
 */
import type { Severity, ThreadState } from '../schema.js';

/** What each state means, in the words of CONTRACT.md §2. */
export const STATE_MEANINGS: Readonly<Record<ThreadState, string>> = {
  running: 'on CPU, in user code',
  gil_wait: 'waiting to take the Python GIL',
  lock_wait: 'waiting on a lock, semaphore, condition, futex, queue, event or join',
  io_wait: 'waiting for a file descriptor',
  sleep: 'sleeping on a timer',
  child_wait: 'waiting for a child process',
  unknown: 'none of these can be told',
};

/** A state as a coloured badge with its meaning as a tooltip. */
export function StateBadge({ state }: { state: ThreadState }) {
  return (
    <span class={`badge st-${state}`} title={STATE_MEANINGS[state]}>
      {state}
    </span>
  );
}

/** The `idle` marker: the wait is a known idle pattern, so it is probably not the problem. */
export function IdleMarker({ idle }: { idle: boolean }) {
  if (!idle) return null;
  return (
    <span class="badge idle" title="a known idle pattern (a pool worker waiting for work, an event loop waiting)">
      idle
    </span>
  );
}

/** A diagnosis severity as a badge. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span class={`badge sev-${severity}`}>{severity}</span>;
}
