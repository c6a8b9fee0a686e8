/**
 * What `stacksift submit` leaves for GitHub Actions: a Markdown job summary (appended to
 * $GITHUB_STEP_SUMMARY) and `report_url` / `report_id` step outputs ($GITHUB_OUTPUT).
 * GitHub rejects a step summary over 1 MiB, so the Markdown is cut well below that.
 */
import { appendFileSync } from 'node:fs';
import type { Report } from '../report/schema.js';

/** Markdown kept per summary; far below GitHub's 1 MiB step limit, room for other steps. */
export const MAX_SUMMARY_BYTES = 64 * 1024;
const MAX_GROUP_ROWS = 10;

export interface SubmittedReport {
  id: string;
  webUrl: string;
  /** Null when the command did not wait for the report. */
  report: Report | null;
  /** Set when the report failed. */
  error?: string | null;
}

/** The job-summary Markdown for one submitted report. */
export function renderGithubSummary(s: SubmittedReport): string {
  const head = [`### stacksift: ${cell(s.report?.summary ?? (s.error ? 'the case could not be analysed' : 'report queued'))}`, ''];
  head.push(`[Open the report](${s.webUrl}) · \`${s.id}\``, '');
  if (s.error) head.push(`> ${cell(s.error)}`, '');
  const body: string[] = [];
  const report = s.report;
  if (report) {
    if (report.diagnoses.length === 0) body.push('No diagnosis fired.', '');
    else {
      body.push('| severity | diagnosis | threads |', '|---|---|---|');
      for (const d of report.diagnoses) body.push(`| ${d.severity} | **${d.code}**: ${cell(d.title)} | ${d.threadKeys.length} |`);
      body.push('');
    }
    if (report.groups.length > 0) {
      body.push('| threads | state | blocking frame | idle |', '|---:|---|---|---|');
      for (const g of report.groups.slice(0, MAX_GROUP_ROWS)) {
        body.push(`| ${g.count} | ${g.state} | ${g.blockingFrame ? `\`${cell(g.blockingFrame)}\`` : '–'} | ${g.idle ? 'yes' : 'no'} |`);
      }
      if (report.groups.length > MAX_GROUP_ROWS) body.push('', `…and ${report.groups.length - MAX_GROUP_ROWS} more groups in the report.`);
      body.push('');
    }
  }
  return truncate([...head, ...body].join('\n'), s.webUrl);
}

/** Appends the summary and the step outputs when running in GitHub Actions; does nothing elsewhere. */
export function writeGithubOutputs(s: SubmittedReport, env: NodeJS.ProcessEnv = process.env): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${renderGithubSummary(s)}\n`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `report_url=${s.webUrl}\nreport_id=${s.id}\n`);
}

/** Table-cell text: one line, no pipe that would end the cell, not absurdly long. */
function cell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

function truncate(markdown: string, link: string): string {
  if (Buffer.byteLength(markdown) <= MAX_SUMMARY_BYTES) return markdown;
  const note = `\n\n…cut here; [see the full report](${link}).\n`;
  let cut = Buffer.from(markdown)
    .subarray(0, MAX_SUMMARY_BYTES - Buffer.byteLength(note))
    .toString('utf8');
  cut = cut.slice(0, cut.lastIndexOf('\n'));
  return cut + note;
}
