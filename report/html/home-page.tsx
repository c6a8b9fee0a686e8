/** @jsxImportSource preact */
/**
 * The upload page, `GET /`: a plain form that works without JavaScript. The server answers a
 * browser's post with 303 to `/r/:id`, so the browser lands on the (self-refreshing) report.
 */
import { formatBytes } from './human-format.js';
import { renderDocument } from './page-document.js';
import type { HomePageModel } from './page-model.js';

/** What each contract format word stands for, in the words of the tool that prints it. */
const FORMAT_HINTS: Readonly<Record<string, string>> = {
  gdb: 'gdb: thread apply all bt, bt full, info threads, py-bt, core backtraces',
  faulthandler: 'Python faulthandler.dump_traceback(all_threads=True)',
  traceback_dump: 'Python traceback.format_stack per thread (hand-written dump helpers)',
  ps: 'ps -L, ps -eLf, ps auxwL',
  pstree: 'pstree -p',
  pidstat: 'pidstat -t, pidstat -w',
  top: 'top -H -b',
  strace: 'strace -c, strace -f',
};

/** The value of the format select that leaves the choice to detection. */
export const AUTO_FORMAT = 'auto';

function HomePage({ model }: { model: HomePageModel }) {
  const formats = model.formats.filter((f) => f !== 'unknown');
  return (
    <>
      <header class="home-header">
        <h1>Why is it stuck?</h1>
        <p class="lede">
          Upload thread dumps and process listings taken at the same moment. stacksift reads every thread, tells what each one waits on,
          groups the ones doing the same thing, and names known problems: GIL contention, deadlocks, busy spins, blocked event loops,
          crashes.
        </p>
      </header>
      <form class="upload" method="post" action="/api/v1/dumps" enctype="multipart/form-data">
        <fieldset>
          <legend>Dump files</legend>
          <label for="file">Choose one or more files (gzip is fine)</label>
          <input id="file" type="file" name="file" multiple />
        </fieldset>
        <fieldset>
          <legend>…or paste a dump</legend>
          <label for="text">Dump text</label>
          <textarea id="text" name="text" rows={12} spellcheck={false} placeholder="Thread 2 (Thread 0x7f77e26006c0 (LWP 2320)):" />
        </fieldset>
        <fieldset>
          <legend>Format</legend>
          <label for="format">Format of the files</label>
          <select id="format" name="format">
            <option value={AUTO_FORMAT} selected>
              detect automatically
            </option>
            {formats.map((f) => (
              <option value={f}>{f}</option>
            ))}
          </select>
        </fieldset>
        <p class="limits">
          Up to {model.maxFiles} {model.maxFiles === 1 ? 'file' : 'files'} and {formatBytes(model.maxUploadBytes)} per upload. Files given
          together are one case: a gdb backtrace, a faulthandler dump and a <code>ps -L</code> taken together are joined thread by thread.
        </p>
        <button type="submit">Analyse</button>
      </form>
      <section class="formats" aria-labelledby="formats-title">
        <h2 id="formats-title">Accepted formats</h2>
        <ul>
          {formats.map((f) => (
            <li>
              <code>{f}</code>
              {FORMAT_HINTS[f] === undefined ? null : <span class="muted"> · {FORMAT_HINTS[f]}</span>}
            </li>
          ))}
        </ul>
        <p class="muted">
          From a terminal or CI: <code>bin/stacksift submit --wait dump.txt</code>, or <code>curl -F file=@dump.txt …/api/v1/dumps</code>.
        </p>
      </section>
    </>
  );
}

/** The upload page as a whole HTML document. */
export function renderHomePage(model: HomePageModel): string {
  return renderDocument({ title: 'stacksift · thread dump triage', children: <HomePage model={model} /> });
}
