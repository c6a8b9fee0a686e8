/** @jsxImportSource preact */
/**
 * Groups of threads doing the same thing, largest first: what they wait on, how many,
 * from which processes, and one stack that stands for all of them.
 */
import type { ReportGroup, ReportProcess, ReportThread } from '../schema.js';
import type { FrameBudget } from './frame-budget.js';
import { isSameFrame } from './frame-text.js';
import { countOf, formatRatio } from './human-format.js';
import type { PageAnchors } from './page-anchors.js';
import { ProcessRef } from './process-table.js';
import { StackList } from './stack-list.js';
import { IdleMarker, StateBadge } from './state-badge.js';
import { ThreadLinks } from './thread-links.js';

/** The member whose own stack is the group's representative one, so its deciding frame can be marked. */
function representativeMember(group: ReportGroup, threads: ReadonlyMap<string, ReportThread>): ReportThread | null {
  for (const key of group.threadKeys) {
    const thread = threads.get(key);
    if (thread === undefined || thread.frames.length !== group.representativeFrames.length) continue;
    if (thread.frames.every((frame, i) => isSameFrame(frame, group.representativeFrames[i] ?? frame))) return thread;
  }
  return null;
}

interface GroupCardProps {
  group: ReportGroup;
  index: number;
  total: number;
  threads: ReadonlyMap<string, ReportThread>;
  processes: ReadonlyMap<number, ReportProcess>;
  anchors: PageAnchors;
  budget: FrameBudget;
}

function GroupCard({ group, index, total, threads, processes, anchors, budget }: GroupCardProps) {
  const member = representativeMember(group, threads);
  const isShown = budget.take(group.representativeFrames.length);
  return (
    <article class={`group group-${group.state}${group.idle ? ' is-idle' : ''}`} id={anchors.group(index)}>
      <header class="group-head">
        <a class="group-no" href={`#${anchors.group(index)}`}>
          #{index + 1}
        </a>
        <span class="group-count">
          <strong>{group.count}</strong> <span class="muted">{group.count === 1 ? 'thread' : 'threads'}</span>
          <span class="muted"> · {formatRatio(group.count / Math.max(total, 1))}</span>
        </span>
        <StateBadge state={group.state} />
        <IdleMarker idle={group.idle} />
        {group.blockingFrame === null ? (
          <span class="muted">no blocking frame</span>
        ) : (
          <span>
            in <code class="blocking-frame">{group.blockingFrame}</code>
          </span>
        )}
      </header>
      {member === null ? null : <p class="why">{member.classification.why}</p>}
      {group.pids.length > 0 ? (
        <p class="group-pids">
          from{' '}
          {group.pids.map((pid, i) => (
            <>
              {i > 0 ? ', ' : null}
              <ProcessRef pid={pid} processes={processes} anchors={anchors} />
            </>
          ))}
        </p>
      ) : null}
      <details class="stack-details">
        <summary>
          Representative stack <span class="muted">({countOf(group.representativeFrames.length, 'frame')}, innermost first)</span>
        </summary>
        {isShown ? (
          <StackList frames={group.representativeFrames} decidingIndex={member?.classification.frameIndex ?? null} />
        ) : (
          <p class="muted">This stack is left out to keep the page light; the JSON report has it.</p>
        )}
        <h4>Threads in this group</h4>
        <ThreadLinks keys={group.threadKeys} anchors={anchors} />
      </details>
    </article>
  );
}

interface GroupListProps {
  groups: readonly ReportGroup[];
  threads: ReadonlyMap<string, ReportThread>;
  processes: ReadonlyMap<number, ReportProcess>;
  anchors: PageAnchors;
  budget: FrameBudget;
}

/** Every group as a card, largest first, its stack folded into a `<details>`. */
export function GroupList({ groups, threads, processes, anchors, budget }: GroupListProps) {
  if (groups.length === 0) return <p class="muted">No threads to group.</p>;
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const ordered = groups.map((group, index) => ({ group, index })).sort((a, b) => b.group.count - a.group.count || a.index - b.index);
  return (
    <div class="groups">
      {ordered.map(({ group, index }) => (
        <GroupCard group={group} index={index} total={total} threads={threads} processes={processes} anchors={anchors} budget={budget} />
      ))}
    </div>
  );
}
