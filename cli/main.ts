/**
 * `stacksift`: triage thread dumps locally (`analyze`), send them to a service (`submit`),
 * or run the service (`serve`, `api`, `worker`). Exit codes (CONTRACT.md §1): 0 analysed,
 * 1 a diagnosis listed in --fail-on was found, 2 usage error or nothing readable,
 * 3 service or network error.
 */
import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './analyze.js';
import { EXIT } from './exit-codes.js';

const program = new Command()
  .name('stacksift')
  .description(
    'Hang-and-crash triage for thread dumps: gdb backtraces, faulthandler and traceback dumps, ps/pstree/top/pidstat/strace snapshots.',
  )
  .version(process.env.npm_package_version ?? '0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerAnalyze(program);
// The service commands pull in express, BullMQ and ioredis; `analyze` runs in CI loops and
// on laptops, so it starts without loading them.
if (process.argv[2] !== 'analyze') {
  const [{ registerSubmit }, { registerServiceCommands }] = await Promise.all([import('./submit.js'), import('./serve.js')]);
  registerSubmit(program);
  registerServiceCommands(program);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end through exitOverride too, with code 0.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
  } else {
    // A bug, not the user's input: one line, no stack trace.
    process.stderr.write(`stacksift: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.usage;
  }
}
