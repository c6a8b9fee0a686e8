/** @jsxImportSource preact */
/**
 * The top of a finished report: the one-line summary, status, id, when it was made, how often
 * this problem has been seen before, and the counts a team reads out loud on a call.
 */
import type { Report } from '../schema.js';
import { countOf, formatTimestamp } from './human-format.js';
import type { ReportStatus, SignatureStats } from './page-model.js';
import { StateBar } from './state-bar.js';

/** Other reports listed by link before the rest are only counted. */
const MAX_SEEN_LINKS = 20;

/** A timestamp shown readably with the machine value kept for the script and for copy-paste. */
export function Timestamp({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} class="js-relative">
      {formatTimestamp(iso)}
    </time>
  );
}

/** Status, id and creation time in one line. */
export function ReportMeta({ id, status, createdAt }: { id: string; status: ReportStatus; createdAt: string | null }) {
  return (
    <p class="report-meta">
      <span class={`badge status-${status}`}>{status}</span> <span>report</span> <code class="report-id">{id}</code>
      {createdAt === null ? null : (
        <span>
          {' '}
          · created <Timestamp iso={createdAt} />
        </span>
      )}
    </p>
  );
}

function SeenBefore({ stats, currentId }: { stats: SignatureStats; currentId: string }) {
  if (stats.count <= 1) return null;
  const others = stats.reportIds.filter((id) => id !== currentId);
  const shown = others.slice(0, MAX_SEEN_LINKS);
  return (
    <section class="seen-before" aria-label="Seen before">
      <p>
        <strong>Seen {countOf(stats.count, 'time')}</strong> since <Timestamp iso={stats.firstSeen} />; last seen{' '}
        <Timestamp iso={stats.lastSeen} />.{shown.length > 0 ? ' Other reports of the same problem:' : null}
      </p>
      {shown.length > 0 ? (
        <ul class="inline-list">
          {shown.map((id) => (
            <li>
              <a href={`/r/${encodeURIComponent(id)}`}>
                <code>{id}</code>
              </a>
            </li>
          ))}
          {others.length > shown.length ? <li class="muted">and {others.length - shown.length} more</li> : null}
        </ul>
      ) : null}
    </section>
  );
}

interface ReportHeaderProps {
  id: string;
  report: Report;
  createdAt: string | null;
  signatureStats: SignatureStats | null;
}

/** Summary, status line, repeat count and the state split of a finished report. */
export function ReportHeader({ id, report, createdAt, signatureStats }: ReportHeaderProps) {
  const warnings = report.inputs.reduce((sum, input) => sum + input.warnings.length, 0);
  return (
    <header class="report-header">
      <h1 class="summary">{report.summary}</h1>
      <ReportMeta id={id} status="done" createdAt={createdAt} />
      {signatureStats === null ? null : <SeenBefore stats={signatureStats} currentId={id} />}
      <ul class="counts">
        <li>
          <a href="#diagnoses">{countOf(report.diagnoses.length, 'diagnosis', 'diagnoses')}</a>
        </li>
        <li>
          <a href="#groups">{countOf(report.groups.length, 'group')}</a>
        </li>
        <li>
          <a href="#threads">{countOf(report.threads.length, 'thread')}</a>
        </li>
        <li>
          <a href="#processes">{countOf(report.processes.length, 'process', 'processes')}</a>
        </li>
        <li>
          <a href="#inputs">{countOf(report.inputs.length, 'input')}</a>
          {warnings > 0 ? <span class="muted"> ({countOf(warnings, 'warning')})</span> : null}
        </li>
      </ul>
      <StateBar threads={report.threads} />
    </header>
  );
}
