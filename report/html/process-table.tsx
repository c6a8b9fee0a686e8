/** @jsxImportSource preact */
/** The processes the inputs named (ps, pstree, top, gdb), one row each with a fragment id. */
import type { ReportProcess } from '../schema.js';
import { formatPercent } from './human-format.js';
import type { PageAnchors } from './page-anchors.js';

/** `pid 32100 (python3)`, linked to the process row when the report lists it. */
export function ProcessRef({
  pid,
  processes,
  anchors,
}: {
  pid: number;
  processes: ReadonlyMap<number, ReportProcess>;
  anchors: PageAnchors;
}) {
  const command = processes.get(pid)?.command ?? null;
  const id = anchors.process(pid);
  const text = (
    <>
      pid <code>{pid}</code>
      {command === null ? null : <span class="muted"> ({command})</span>}
    </>
  );
  return id === null ? <span>{text}</span> : <a href={`#${id}`}>{text}</a>;
}

/** A bare pid for a table cell, linked to its process row, the command in the tooltip. */
export function PidLink({ pid, processes, anchors }: { pid: number; processes: ReadonlyMap<number, ReportProcess>; anchors: PageAnchors }) {
  const id = anchors.process(pid);
  if (id === null) return <code class="nowrap">{pid}</code>;
  return (
    <a href={`#${id}`} title={processes.get(pid)?.command ?? undefined}>
      <code class="nowrap">{pid}</code>
    </a>
  );
}

function Cell({ label, value, isNumber = false }: { label: string; value: string | number | null; isNumber?: boolean }) {
  return (
    <td data-label={label} class={isNumber ? 'num' : undefined}>
      {value === null ? <span class="muted">—</span> : value}
    </td>
  );
}

/** A table of every process with its parent, command, thread count, state and CPU. */
export function ProcessTable({ processes, anchors }: { processes: readonly ReportProcess[]; anchors: PageAnchors }) {
  if (processes.length === 0) return <p class="muted">No process listing was uploaded (ps, top or pstree would add one).</p>;
  return (
    <div class="table-scroll">
      <table class="processes responsive">
        <thead>
          <tr>
            <th scope="col">pid</th>
            <th scope="col">ppid</th>
            <th scope="col">command</th>
            <th scope="col">threads</th>
            <th scope="col">state</th>
            <th scope="col">wchan</th>
            <th scope="col">CPU</th>
            <th scope="col">children</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((process) => (
            <tr id={anchors.process(process.pid) ?? undefined}>
              <th scope="row" data-label="pid">
                <code>{process.pid}</code>
              </th>
              <Cell label="ppid" value={process.ppid} isNumber />
              <td data-label="command" class="command">
                {process.command === null ? <span class="muted">—</span> : <code>{process.command}</code>}
              </td>
              <Cell label="threads" value={process.threadCount} isNumber />
              <Cell label="state" value={process.state} />
              <Cell label="wchan" value={process.wchan} />
              <Cell label="CPU" value={process.cpuPercent === null ? null : formatPercent(process.cpuPercent)} isNumber />
              <Cell label="children" value={process.children.length === 0 ? null : process.children.join(', ')} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
