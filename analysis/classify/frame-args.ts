/**
 * Reading gdb's argument text, e.g. `fds=0x7fb715bbe040, nfds=1, timeout=timeout@entry=0` or
 * `futex_word=0xa563d0 <_PyRuntime+432>`, as name → value. gdb 13 prints `name@entry=v` for the
 * value at function entry, `<optimized out>` when it has none, and nests `{…}`, `(…)`, `<…>` and
 * quoted strings inside values (`kwdict={}, callargs=(3,)`, `buf=0x7f… ""`).
 */

const CLOSERS: Record<string, string> = { '(': ')', '{': '}', '[': ']', '<': '>' };

/** Top-level `name=value` pairs of a gdb argument list; names lose leading underscores (`__timeout` → `timeout`). */
export function parseFrameArgs(text: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  const parts: string[] = [];
  const stack: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (CLOSERS[c]) stack.push(CLOSERS[c]);
    else if (stack.length > 0 && c === stack[stack.length - 1]) stack.pop();
    else if (c === ',' && stack.length === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().replace(/^_+/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) continue;
    let value = part.slice(eq + 1).trim();
    const entry = value.lastIndexOf('@entry=');
    if (entry >= 0) value = value.slice(entry + '@entry='.length).trim();
    out.set(name, value);
  }
  return out;
}

/**
 * The decimal integer an argument value holds (`0`, `-1`, `300000`), or null. gdb prints `int`
 * parameters in decimal and pointers in hex, so `timeout=0x0` (ppoll's NULL timespec: wait
 * forever) is not a zero timeout, and `<optimized out>` is unknown.
 */
export function argDecimal(value: string | undefined): number | null {
  const m = value === undefined ? null : /^(-?\d+)(?:\s|$)/.exec(value);
  return m?.[1] ? Number(m[1]) : null;
}
