/** @jsxImportSource preact */
/**
 * The report page, `GET /r/:id`: a finished report in full, or a kind page while the job is
 * queued, running or failed. The order follows how an incident call reads it: what is wrong
 * (diagnoses), what the threads do (groups, icicle), then every detail (threads, processes, inputs).
 */
import type { Report } from '../schema.js';
import { DiagnosisList } from './diagnosis-list.js';
import { FrameBudget } from './frame-budget.js';
import { GroupList } from './group-list.js';
import { countOf } from './human-format.js';
import { IcicleChart } from './icicle-chart.js';
import { InputList } from './input-list.js';
import { pageAnchorsFor } from './page-anchors.js';
import { renderDocument } from './page-document.js';
import type { ReportPageModel } from './page-model.js';
import { ProcessTable } from './process-table.js';
import { ReportHeader, ReportMeta } from './report-header.js';
import { ThreadTable } from './thread-table.js';

/** Seconds between reloads of a pending report page. */
export const PENDING_REFRESH_SECONDS = 2;
const MAX_TITLE_LENGTH = 90;

function jsonUrl(id: string): string {
  return `/api/v1/reports/${encodeURIComponent(id)}`;
}

function JsonLink({ id }: { id: string }) {
  return (
    <a href={jsonUrl(id)} type="application/json">
      This report as JSON
    </a>
  );
}

function titleFor(text: string): string {
  const line = text.length > MAX_TITLE_LENGTH ? `${text.slice(0, MAX_TITLE_LENGTH - 1)}…` : text;
  return `${line} · stacksift`;
}

function FinishedReport({ model, report }: { model: ReportPageModel; report: Report }) {
  const anchors = pageAnchorsFor(report);
  const budget = new FrameBudget();
  const threads = new Map(report.threads.map((t) => [t.key, t]));
  const processes = new Map(report.processes.map((p) => [p.pid, p]));
  const groupOf = new Map<string, number>();
  report.groups.forEach((group, index) => {
    for (const key of group.threadKeys) if (!groupOf.has(key)) groupOf.set(key, index);
  });
  return (
    <>
      <ReportHeader id={model.id} report={report} createdAt={model.createdAt} signatureStats={model.signatureStats} />
      <nav class="toc" aria-label="Sections">
        <a href="#diagnoses">Diagnoses</a>
        <a href="#groups">Groups</a>
        <a href="#icicle">Icicle</a>
        <a href="#threads">Threads</a>
        <a href="#processes">Processes</a>
        <a href="#inputs">Inputs</a>
      </nav>
      <section id="diagnoses" aria-labelledby="diagnoses-title">
        <h2 id="diagnoses-title">Diagnoses</h2>
        <DiagnosisList diagnoses={report.diagnoses} anchors={anchors} />
      </section>
      <section id="groups" aria-labelledby="groups-title">
        <h2 id="groups-title">
          Groups <span class="muted">· threads doing the same thing, largest first</span>
        </h2>
        <GroupList groups={report.groups} threads={threads} processes={processes} anchors={anchors} budget={budget} />
      </section>
      <section id="icicle" aria-labelledby="icicle-title">
        <h2 id="icicle-title">
          Icicle <span class="muted">· all grouped stacks merged</span>
        </h2>
        <IcicleChart groups={report.groups} anchors={anchors} />
      </section>
      <section id="threads" aria-labelledby="threads-title">
        <h2 id="threads-title">
          Threads <span class="muted">· {countOf(report.threads.length, 'thread')}</span>
        </h2>
        <div class="toolbar" data-toolbar hidden>
          <label>
            Filter <input type="search" data-thread-filter placeholder="key, name or state" />
          </label>
          <button type="button" data-expand="open">
            Expand all stacks
          </button>
          <button type="button" data-expand="close">
            Collapse all
          </button>
        </div>
        <ThreadTable threads={report.threads} processes={processes} groupOf={groupOf} anchors={anchors} budget={budget} />
      </section>
      <section id="processes" aria-labelledby="processes-title">
        <h2 id="processes-title">Processes</h2>
        <ProcessTable processes={report.processes} anchors={anchors} />
      </section>
      <section id="inputs" aria-labelledby="inputs-title">
        <h2 id="inputs-title">Inputs</h2>
        <InputList inputs={report.inputs} />
      </section>
    </>
  );
}

function PendingReport({ model }: { model: ReportPageModel }) {
  return (
    <section class="notice notice-pending" aria-live="polite">
      <h1>{model.status === 'queued' ? 'Waiting for a worker…' : 'Analysing the dump…'}</h1>
      <ReportMeta id={model.id} status={model.status} createdAt={model.createdAt} />
      <p>
        This page reloads itself every {PENDING_REFRESH_SECONDS} seconds and shows the report as soon as it is ready. You can share the link
        now: it stays the same.
      </p>
      <p class="spinner" aria-hidden="true" />
    </section>
  );
}

function FailedReport({ model, message }: { model: ReportPageModel; message: string }) {
  return (
    <section class="notice notice-failed">
      <h1>We could not analyse this upload</h1>
      <ReportMeta id={model.id} status={model.status} createdAt={model.createdAt} />
      <p>The analysis stopped with this message:</p>
      <blockquote class="error-message">{message}</blockquote>
      <p>
        Check that the files are thread dumps or process listings (gdb, faulthandler, a traceback dump, ps, pstree, pidstat, top or strace
        output), then <a href="/">try again with a new upload</a>.
      </p>
    </section>
  );
}

/** The report page as a whole HTML document, for any status of the report's job. */
export function renderReportPage(model: ReportPageModel): string {
  if (model.status === 'queued' || model.status === 'processing') {
    return renderDocument({
      title: `Analysing ${model.id} · stacksift`,
      refreshSeconds: PENDING_REFRESH_SECONDS,
      children: <PendingReport model={model} />,
    });
  }
  if (model.status === 'done' && model.report !== null) {
    const report = model.report;
    return renderDocument({
      title: titleFor(report.summary),
      isEnhanced: true,
      footer: <JsonLink id={model.id} />,
      children: <FinishedReport model={model} report={report} />,
    });
  }
  const message =
    model.status === 'failed'
      ? (model.error ?? 'The analysis failed without saying why.')
      : 'The report is marked finished but holds no result; it may have expired.';
  return renderDocument({
    title: `Analysis failed · stacksift`,
    children: <FailedReport model={model} message={message} />,
  });
}
