/** @jsxImportSource preact */
/**
 * Every thread, one row each, with a fragment id per thread so a diagnosis, a group or a
 * colleague's link lands on it. Each thread is its own `<tbody>`: the facts row, then a row
 * whose `<details>` holds the full stack and why the thread got its state.
 */
import type { ReportProcess, ReportThread } from '../schema.js';
import type { FrameBudget } from './frame-budget.js';
import { countOf, formatPercent } from './human-format.js';
import type { PageAnchors } from './page-anchors.js';
import { PidLink } from './process-table.js';
import { StackList } from './stack-list.js';
import { IdleMarker, StateBadge } from './state-badge.js';

const COLUMNS = ['key', 'pid', 'lwp', 'pthread id', 'name', 'state', 'idle', 'blocking frame', 'CPU', 'sources'] as const;

function Dash() {
  return <span class="muted">—</span>;
}

function perSecond(value: number | null): string {
  return value === null ? '—' : `${value}/s`;
}

interface ThreadDetailProps {
  thread: ReportThread;
  groupIndex: number | null;
  anchors: PageAnchors;
  isStackShown: boolean;
}

function ThreadDetail({ thread, groupIndex, anchors, isStackShown }: ThreadDetailProps) {
  const { classification } = thread;
  return (
    <details class="thread-details">
      <summary>
        Stack <span class="muted">({countOf(thread.frames.length, 'frame')})</span> · <span class="why">{classification.why}</span>
      </summary>
      <dl class="classification">
        <div>
          <dt>rule</dt>
          <dd>
            <code>{classification.rule}</code>
          </dd>
        </div>
        <div>
          <dt>why</dt>
          <dd>{classification.why}</dd>
        </div>
        <div>
          <dt>confidence</dt>
          <dd class={`conf-${classification.confidence}`}>{classification.confidence}</dd>
        </div>
        <div>
          <dt>deciding frame</dt>
          <dd>{classification.frameIndex === null ? 'none (decided without a frame)' : `#${classification.frameIndex}`}</dd>
        </div>
        {groupIndex === null ? null : (
          <div>
            <dt>group</dt>
            <dd>
              <a href={`#${anchors.group(groupIndex)}`}>#{groupIndex + 1}</a>
            </dd>
          </div>
        )}
        {thread.movement === null ? null : (
          <div>
            <dt>across captures</dt>
            <dd>{thread.movement === 'stuck' ? 'stuck: the same stack every time' : 'changed between captures'}</dd>
          </div>
        )}
        {thread.cpuSamples.length < 2 ? null : (
          <div>
            <dt>CPU per interval</dt>
            <dd>{thread.cpuSamples.map((c) => `${c} %`).join(' → ')}</dd>
          </div>
        )}
        {thread.voluntarySwitchesPerSec === null && thread.involuntarySwitchesPerSec === null ? null : (
          <div>
            <dt>context switches</dt>
            <dd>
              {perSecond(thread.voluntarySwitchesPerSec)} voluntary, {perSecond(thread.involuntarySwitchesPerSec)} involuntary
            </dd>
          </div>
        )}
      </dl>
      {isStackShown ? (
        <StackList frames={thread.frames} decidingIndex={classification.frameIndex} />
      ) : (
        <p class="muted">
          This stack is left out to keep the page light
          {groupIndex === null ? '' : '; its group shows the same shape'}. The JSON report has every frame.
        </p>
      )}
      {thread.greenlets.length > 0 ? (
        <div class="greenlets">
          <h4>{countOf(thread.greenlets.length, 'greenlet')} on this thread</h4>
          {thread.greenlets.map((greenlet) => (
            <details>
              <summary>
                <code>{greenlet.name ?? greenlet.id ?? 'greenlet'}</code>{' '}
                <span class="muted">
                  ({countOf(greenlet.frames.length, 'frame')}, from {greenlet.source})
                </span>
              </summary>
              <StackList frames={greenlet.frames} decidingIndex={null} />
            </details>
          ))}
        </div>
      ) : null}
    </details>
  );
}

interface ThreadTableProps {
  threads: readonly ReportThread[];
  processes: ReadonlyMap<number, ReportProcess>;
  groupOf: ReadonlyMap<string, number>;
  anchors: PageAnchors;
  budget: FrameBudget;
}

/** The table of all threads, each expandable to its stack and classification. */
export function ThreadTable({ threads, processes, groupOf, anchors, budget }: ThreadTableProps) {
  if (threads.length === 0) return <p class="muted">The inputs named no threads.</p>;
  return (
    <div class="table-scroll">
      <table class="threads responsive">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        {threads.map((thread) => {
          const id = anchors.thread(thread.key);
          const isStackShown = budget.take(thread.frames.length + thread.greenlets.reduce((n, g) => n + g.frames.length, 0));
          return (
            <tbody
              class={`thread thread-${thread.state}`}
              id={id ?? undefined}
              data-search={`${thread.key} ${thread.name ?? ''} ${thread.state}`}
            >
              <tr>
                <th scope="row" data-label="key" class="key-cell">
                  <a href={id === null ? undefined : `#${id}`}>
                    <code>{thread.key}</code>
                  </a>
                </th>
                <td data-label="pid">
                  {thread.pid === null ? <Dash /> : <PidLink pid={thread.pid} processes={processes} anchors={anchors} />}
                </td>
                <td data-label="lwp">{thread.lwp ?? <Dash />}</td>
                <td data-label="pthread id">{thread.pthreadId === null ? <Dash /> : <code class="nowrap">{thread.pthreadId}</code>}</td>
                <td data-label="name">{thread.name ?? <Dash />}</td>
                <td data-label="state">
                  <StateBadge state={thread.state} />
                </td>
                <td data-label="idle">{thread.idle ? <IdleMarker idle /> : <span class="muted">no</span>}</td>
                <td data-label="blocking frame" class="blocking-cell">
                  {thread.blockingFrame === null ? <Dash /> : <code>{thread.blockingFrame}</code>}
                </td>
                <td data-label="CPU" class="num">
                  {formatPercent(thread.cpuPercent)}
                </td>
                <td data-label="sources">{thread.sources.length === 0 ? <Dash /> : thread.sources.join(', ')}</td>
              </tr>
              <tr class="thread-more">
                <td colSpan={COLUMNS.length}>
                  <ThreadDetail
                    thread={thread}
                    groupIndex={groupOf.get(thread.key) ?? null}
                    anchors={anchors}
                    isStackShown={isStackShown}
                  />
                </td>
              </tr>
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
