/**
 * Bytes to clean lines. Decoding, line splitting and the removal of what wraps a dump
 * when it is pasted from somewhere else (ANSI colours, CI timestamps, journald prefixes,
 * shell and gdb prompts) happen here once, so that every parser sees plain dump text and
 * line numbers that still point into the file the user sent.
 */
import type { Limits } from '../config/limits.js';
import type { ParseContext } from './format.js';

/** Text of one input, split into lines; `lines[i]` is line i + 1 of the file. */
export interface CleanText {
  lines: string[];
  /** Prefix kinds that were removed, for the detection explanation. */
  removed: string[];
}

// ESC [ … final byte, and OSC ESC ] … BEL/ST. Linear: each class is a single loop.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

interface PrefixRule {
  name: string;
  /** Must match the prefix only, anchored at the start. */
  pattern: RegExp;
}

/**
 * Prefixes that CI systems, loggers and terminals put before every line. A rule is removed
 * from the whole input only when most non-blank lines carry it, so a dump line that merely
 * looks like one (`12:00:01 ...` in pidstat) is never touched on its own.
 */
const PREFIX_RULES: PrefixRule[] = [
  // GitHub Actions raw log: "2026-11-21T10:00:00.1234567Z " (a blank log line is the stamp alone)
  { name: 'iso-timestamp', pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z?(?: |$)/u },
  // Python logging's default asctime, with or without a level: "2024-05-14 10:22:33,123 ERROR "
  {
    name: 'log-timestamp',
    pattern: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?: (?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL))?(?: |$)/u,
  },
  // docker compose logs: "web-1  | ", older "web_1  | "
  { name: 'compose', pattern: /^[\w.-]{1,64}[-_]\d{1,4} {1,32}\| ?/u },
  // A quoted paste (e-mail, GitHub comment): "> "
  { name: 'quote', pattern: /^> ?/u },
  // journald / syslog: "Nov 21 10:00:00 host app[123]: "
  { name: 'journald', pattern: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [^\s:]{1,64} [^\s:[]{1,64}(?:\[\d{1,10}\])?: /u },
  // docker/kubectl logs with a stream tag: "2026-11-21T10:00:00.123Z stdout F "
  { name: 'cri-log', pattern: /^\d{4}-\d\d-\d\dT\S{8,40} (?:stdout|stderr) [FP] /u },
];

// GitLab section markers and GitHub group commands are whole lines of their own.
const CI_MARKER =
  /^(?:section_(?:start|end):\d+:[\w.-]+\r?(?:\x1b\[0K)?|##\[(?:group|endgroup|section|command|debug|warning|error)\].*|::(?:group|endgroup|debug|notice|warning|error)(?: [^:]*)?::.*)$/u;
// "(gdb) bt" and "$ ps -eLf": the prompt goes, the command stays as a line of its own.
const PROMPT = /^(?:\(gdb\) |\(Pdb\) |\[[^\]]{1,64}\][$#] |[\w.@:~/-]{0,64}[$#] )/u;

const MAX_PROBE_LINES = 400;
/** A prompt (`user@host:~/dir$ `) ends within this many characters of the line start. */
const PROMPT_REACH = 96;

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD) and reports binary content. */
export function decodeText(bytes: Uint8Array, ctx: ParseContext): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const probe = bytes.subarray(0, Math.min(bytes.length, 8192));
  let nul = 0;
  for (const b of probe) if (b === 0) nul++;
  if (nul > 0) ctx.warn('binary_content', null, `the input holds ${nul} NUL bytes in its first 8 KiB; it may not be text`);
  return nul > 0 ? text.replace(/\0/g, '') : text;
}

/**
 * Splits text into lines (LF or CRLF; lone CR only when the text has no LF at all), caps line
 * length and removes wrapping noise. A CR inside a line is a terminal overwrite (progress
 * output, GitLab's `section_start:…\r\e[0KHeader`): what follows the last CR is what showed.
 */
export function cleanLines(text: string, limits: Limits, ctx: ParseContext): CleanText {
  const lines = text.includes('\n') ? text.split('\n') : text.split('\r');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const removed: string[] = [];
  let hasAnsi = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.length > limits.maxLineLength) {
      ctx.warn('line_too_long', i + 1, `line is ${line.length} characters long; kept the first ${limits.maxLineLength}`);
      line = line.slice(0, limits.maxLineLength);
    }
    if (line.includes('\r')) line = lastOverwrite(line);
    if (line.includes('\x1b')) {
      hasAnsi = true;
      line = line.replace(ANSI, '');
    }
    const last = line.charCodeAt(line.length - 1);
    lines[i] = last === 32 || last === 9 || last === 13 ? line.trimEnd() : line;
  }
  if (hasAnsi) removed.push('ansi-colours');

  for (const rule of PREFIX_RULES) {
    if (mostLinesMatch(lines, rule.pattern)) {
      for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] as string).replace(rule.pattern, '');
      removed.push(rule.name);
    }
  }
  let markers = 0;
  let prompts = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const first = line.charCodeAt(0);
    // CI markers start with `section_`, `##[` or `::`; only those lines pay for the regex.
    if ((first === 115 || first === 35 || first === 58) && CI_MARKER.test(line)) {
      lines[i] = '';
      markers++;
    } else if (first === 40 || first === 91 || line.lastIndexOf('$ ', PROMPT_REACH) >= 0 || line.lastIndexOf('# ', PROMPT_REACH) >= 0) {
      const m = PROMPT.exec(line);
      if (m && isPromptCommand(line.slice(m[0].length))) {
        lines[i] = line.slice(m[0].length);
        prompts++;
      }
    }
  }
  if (markers > 0) removed.push('ci-markers');
  if (prompts > 0) removed.push('prompts');
  return { lines, removed };
}

/** What a terminal showed of a line with carriage returns in it: the text after the last one (a trailing CR ends the line). */
function lastOverwrite(line: string): string {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  return body.slice(body.lastIndexOf('\r') + 1);
}

/** A prompt is only removed when a command follows it, so `# comment` or `$ 5` in a dump stays. */
function isPromptCommand(rest: string): boolean {
  return /^(?:bt|backtrace|thread|info|py-bt|where|gdb|ps|top|pidstat|pstree|strace|py-spy|cat|sudo|kill|python\d?(?:\.\d+)?|gcore|eu-stack|pstack|gstack|set|attach|detach|quit|q|continue|c|frame|f|up|down|x|p|print)\b/u.test(
    rest,
  );
}

function mostLinesMatch(lines: readonly string[], pattern: RegExp): boolean {
  let seen = 0;
  let hits = 0;
  for (let i = 0; i < lines.length && seen < MAX_PROBE_LINES; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    seen++;
    if (pattern.test(line)) hits++;
  }
  return seen >= 2 && hits / seen >= 0.6;
}
