/** @jsxImportSource preact */
/**
 * How the threads split across states, as one stacked bar and a legend with counts: the
 * first thing to read after the summary. The bar is SVG so widths need no inline style.
 */
import { type ReportThread, THREAD_STATES } from '../schema.js';
import { formatRatio } from './human-format.js';
import { StateBadge } from './state-badge.js';

/** A stacked bar of thread states with a legend; nothing when there are no threads. */
export function StateBar({ threads }: { threads: readonly ReportThread[] }) {
  if (threads.length === 0) return null;
  const counts = THREAD_STATES.map((state) => ({
    state,
    count: threads.filter((t) => t.state === state).length,
    idle: threads.filter((t) => t.state === state && t.idle).length,
  })).filter((c) => c.count > 0);
  let x = 0;
  return (
    <div class="state-bar">
      <svg class="state-bar-svg" viewBox="0 0 1000 12" preserveAspectRatio="none" aria-hidden="true">
        {counts.map((c) => {
          const width = (c.count / threads.length) * 1000;
          const rect = <rect class={`st-${c.state}`} x={x.toFixed(2)} y={0} width={width.toFixed(2)} height={12} />;
          x += width;
          return rect;
        })}
      </svg>
      <ul class="legend">
        {counts.map((c) => (
          <li>
            <StateBadge state={c.state} /> {c.count} <span class="muted">({formatRatio(c.count / threads.length)})</span>
            {c.idle > 0 ? <span class="muted"> · {c.idle} idle</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
