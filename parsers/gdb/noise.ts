/**
 * Lines gdb prints around and between backtraces that carry nothing for triage. They are
 * recognised so that they never count as unrecognized lines inside a thread section.
 * Samples (gdb 13.1 unless noted):
 *
 *   `57\t./nptl/futex-internal.c: No such file or directory.`   source echo after a frame print
 *   `1871\t  for (p = v; *p != '\0'; p++)`                       the same with sources installed
 *   `\tin ../nptl/sysdeps/unix/sysv/linux/pt-raise.c`           gdb 7.0 repeating a missing file
 *   `warning: Section `.reg-xstate/1092' in core file too small.`
 *   `Backtrace stopped: previous frame inner to this frame (corrupt stack?)`
 *   `(More stack frames follow...)`                              after `bt N`
 *   `$1 = 0x0`, `No symbol "__glib_assert_msg" in current context.`   `print` output
 *   `rip            0x3848c0f30b\t0x3848c0f30b <raise+43>`      `info registers`
 *   `   0xb7792414 <+0>:\tpush   %ecx`, `=> 0xb7792424 <+16>:\tpop    %ebp`   `disassemble`
 *   `Downloading separate debug info for /lib/x86_64-linux-gnu/libc.so.6...`   debuginfod (gdb ≥ 10)
 *   `--Type <RET> for more, q to quit, c to continue without paging--`   the pager (gdb ≥ 9)
 *   `---Type <return> to continue, or q <return> to quit---`             the pager (gdb ≤ 8)
 *   the start-up banner and licence text, `Reading symbols from …`, `Quit`.
 */

/** True for a line outside frames that gdb prints and triage ignores. */
export function isNoiseLine(line: string): boolean {
  const c = line.charCodeAt(0);
  switch (c) {
    case 9:
      return line.startsWith('\tin ');
    case 32:
      return isIndentedNoise(line);
    case 36:
      return /^\$\d{1,9} = /.test(line);
    case 40:
      return (
        line.startsWith('(More stack frames follow') || line.startsWith('(*): Shared library') || line.startsWith('(No debugging symbols')
      );
    case 45:
      return pagerPromptEnd(line) > 0;
    case 61:
      return line.startsWith('=> 0x');
    case 65:
      return line.startsWith('A debugging session is active.');
    case 66:
      return line.startsWith('Backtrace stopped:');
    case 67:
      return (
        line.startsWith('Cannot access memory at address') ||
        line.startsWith('Copyright (C)') ||
        line.startsWith('Cannot find ') ||
        line === 'Continuing.'
      );
    case 68:
      return line.startsWith('Download') || line.startsWith('Dump of assembler code') || line.startsWith('Debuginfo absent');
    case 69:
      return line.startsWith('End of assembler dump.') || line.startsWith('Error occurred in Python') || line.startsWith('Error while ');
    case 70:
      return line.startsWith('Find the GDB manual') || line.startsWith('For help, type') || line.startsWith('For bug reporting');
    case 76:
      return line.startsWith('License GPLv3+');
    case 77:
      return line.startsWith('Missing separate debuginfo') || line.startsWith('Missing rpms');
    case 78:
      return line.startsWith('No symbol ') || line.startsWith('No frame selected.') || line.startsWith('No stack.');
    case 80:
      return line.startsWith('Python Exception ');
    case 81:
      return line === 'Quit' || line.startsWith('Quit anyway?');
    case 82:
      return line.startsWith('Reading symbols from') || line.startsWith('Run till exit');
    case 84:
      return (
        line.startsWith('This GDB was configured') ||
        line.startsWith('This is free software') ||
        line.startsWith('There is NO WARRANTY') ||
        line.startsWith('Type "') ||
        line.startsWith('Try: ')
      );
    case 85:
      return line.startsWith('Using host libthread_db library');
    case 60:
      return line.startsWith('<http');
    case 101:
      return line.startsWith('eu-stack: ');
    case 119:
      return line.startsWith('warning: ');
    default:
      if (c >= 48 && c <= 57) return isSourceEcho(line);
      if (c >= 97 && c <= 122) return isRegisterLine(line) || isCommandLine(line);
      return false;
  }
}

/** Noise after which no frame of the same stack can follow: a command, `info registers`, `print`, disassembly. */
export function endsSection(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 36) return true;
  if (c === 68 || c === 69) return line.startsWith('Dump of assembler') || line.startsWith('End of assembler');
  if (c >= 97 && c <= 122) return isCommandLine(line) || isRegisterLine(line);
  return false;
}

/** `57\t./nptl/futex-internal.c: No such file or directory.` — a line number, then a tab. */
export function isSourceEcho(line: string): boolean {
  let k = 0;
  while (k < line.length && k < 10) {
    const c = line.charCodeAt(k);
    if (c < 48 || c > 57) break;
    k++;
  }
  return k > 0 && line.charCodeAt(k) === 9;
}

const REGISTER = /^[a-z][a-z0-9_]{0,15} {2,}(?:\{|[^\t ]{1,40}\t)/;

/** `rax            0x0\t0`, `eflags         0x206\t[ PF IF ]`, `xmm0           {v8_bfloat16 = …`. */
export function isRegisterLine(line: string): boolean {
  return REGISTER.test(line);
}

const COMMAND =
  /^(?:bt|backtrace|where|bt full|thread apply all (?:bt|backtrace|py-bt|py-list|where)(?: full)?|thread(?: \d{1,10})?|info (?:threads|registers|all-registers|sharedlibrary|frame|locals|args)|py-bt(?:-full)?|py-list|frame(?: \d{1,6})?|f(?: \d{1,6})?|up|down|disassemble|x\/\S{1,16}(?: .{0,200})?|p(?:rint)? .{1,200}|set .{1,200}|detach|quit|q|continue|c|gcore(?: .{1,200})?|generate-core-file(?: .{1,200})?)$/;

/** A gdb command left on a line of its own once the `(gdb) ` prompt was removed. */
export function isCommandLine(line: string): boolean {
  return line.length <= 220 && COMMAND.test(line);
}

/** Index just after a pager prompt at the start of `line`, or 0 when there is none. */
export function pagerPromptEnd(line: string): number {
  if (line.startsWith('--Type <RET>')) {
    const end = line.indexOf('paging--');
    return end > 0 ? end + 8 : 0;
  }
  if (line.startsWith('---Type <return>')) {
    const end = line.indexOf('quit---');
    return end > 0 ? end + 7 : 0;
  }
  return 0;
}

function isIndentedNoise(line: string): boolean {
  let k = 0;
  while (k < line.length && line.charCodeAt(k) === 32) k++;
  if (k === line.length) return true;
  if (line.startsWith('0x', k) && k >= 3) return true;
  return line.startsWith('<http', k);
}
