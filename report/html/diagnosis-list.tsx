/** @jsxImportSource preact */
/**
 * Diagnoses first, worst first: one card per finding with its plain-words detail, the
 * measurements that made it fire, and links to the threads that prove it.
 */
import { type Diagnosis, SEVERITIES } from '../schema.js';
import { countOf } from './human-format.js';
import type { PageAnchors } from './page-anchors.js';
import { SeverityBadge } from './state-badge.js';
import { ThreadLinks } from './thread-links.js';

function evidenceValue(value: number | string | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function DiagnosisCard({ diagnosis, index, anchors }: { diagnosis: Diagnosis; index: number; anchors: PageAnchors }) {
  const evidence = Object.entries(diagnosis.evidence);
  return (
    <article class={`diagnosis sev-${diagnosis.severity}`} id={`diagnosis-${index + 1}`}>
      <header>
        <SeverityBadge severity={diagnosis.severity} />
        <h3>{diagnosis.title}</h3>
        <code class="code-tag">{diagnosis.code}</code>
      </header>
      <p class="detail">{diagnosis.detail}</p>
      {evidence.length > 0 ? (
        <dl class="evidence">
          {evidence.map(([key, value]) => (
            <div>
              <dt>{key}</dt>
              <dd>{evidenceValue(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {diagnosis.threadKeys.length > 0 ? (
        <div class="diagnosis-threads">
          <h4>{countOf(diagnosis.threadKeys.length, 'thread')}</h4>
          <ThreadLinks keys={diagnosis.threadKeys} anchors={anchors} />
        </div>
      ) : null}
    </article>
  );
}

/** All diagnoses as severity-coloured cards, critical first, or a calm line when there are none. */
export function DiagnosisList({ diagnoses, anchors }: { diagnoses: readonly Diagnosis[]; anchors: PageAnchors }) {
  if (diagnoses.length === 0) {
    return <p class="all-clear">No known problem pattern was found. The groups below show what every thread was doing.</p>;
  }
  const ordered = diagnoses
    .map((diagnosis, index) => ({ diagnosis, index }))
    .sort((a, b) => SEVERITIES.indexOf(a.diagnosis.severity) - SEVERITIES.indexOf(b.diagnosis.severity) || a.index - b.index);
  return (
    <div class="diagnoses">
      {ordered.map(({ diagnosis, index }) => (
        <DiagnosisCard diagnosis={diagnosis} index={index} anchors={anchors} />
      ))}
    </div>
  );
}
