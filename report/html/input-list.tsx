/** @jsxImportSource preact */
/**
 * What was uploaded and how it was read: format, size, how sure the detection was and on
 * which lines, and every warning the parser left, so a surprising result can be traced to
 * the text that caused it.
 */
import type { ReportInput } from '../schema.js';
import { countOf, formatBytes, formatRatio } from './human-format.js';

/** Detection evidence lines shown per input; the JSON report keeps them all. */
const MAX_EVIDENCE_LINES = 3;

function Warnings({ input }: { input: ReportInput }) {
  if (input.warnings.length === 0) return <p class="muted">No warnings: every line was understood.</p>;
  return (
    <details class="warnings" open={input.warnings.length <= 5}>
      <summary class="warnings-summary">{countOf(input.warnings.length, 'warning')}</summary>
      <table class="warning-table">
        <thead>
          <tr>
            <th scope="col">line</th>
            <th scope="col">code</th>
            <th scope="col">message</th>
          </tr>
        </thead>
        <tbody>
          {input.warnings.map((warning) => (
            <tr>
              <td class="num">{warning.line ?? '—'}</td>
              <td>
                <code>{warning.code}</code>
              </td>
              <td class="message">{warning.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function InputCard({ input }: { input: ReportInput }) {
  const { detection } = input;
  const evidence = detection.evidence.slice(0, MAX_EVIDENCE_LINES);
  return (
    <article class="input">
      <h3>
        <code>{input.name}</code>
      </h3>
      <dl class="facts">
        <div>
          <dt>format</dt>
          <dd>
            <code>{input.format}</code>
          </dd>
        </div>
        <div>
          <dt>size</dt>
          <dd>{formatBytes(input.bytes)}</dd>
        </div>
        <div>
          <dt>detection</dt>
          <dd>{detection.forced ? 'format given by the uploader' : `${formatRatio(detection.confidence)} confident`}</dd>
        </div>
        <div>
          <dt>snapshots</dt>
          <dd>{input.snapshots}</dd>
        </div>
      </dl>
      {evidence.length > 0 ? (
        <div class="detection-evidence">
          <p class="muted">Recognised from:</p>
          <ul>
            {evidence.map((e) => (
              <li>
                <span class="muted">line {e.line}:</span> <code>{e.text}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Warnings input={input} />
    </article>
  );
}

/** Every input with its format, size, detection confidence and warnings. */
export function InputList({ inputs }: { inputs: readonly ReportInput[] }) {
  if (inputs.length === 0) return <p class="muted">No inputs.</p>;
  return (
    <div class="inputs">
      {inputs.map((input) => (
        <InputCard input={input} />
      ))}
    </div>
  );
}
