/** @jsxImportSource preact */
/**
 * A list of thread keys as links to their rows. Long lists show the first few and fold the
 * rest into a `<details>`, so a 300-thread diagnosis does not push everything else away.
 */
import type { PageAnchors } from './page-anchors.js';

const SHOWN_BEFORE_FOLD = 24;

function ThreadLink({ threadKey, anchors }: { threadKey: string; anchors: PageAnchors }) {
  const id = anchors.thread(threadKey);
  if (id === null) {
    return (
      <code class="missing" title="this thread is not in the report's thread list">
        {threadKey}
      </code>
    );
  }
  return (
    <a href={`#${id}`} class="thread-link">
      <code>{threadKey}</code>
    </a>
  );
}

/** Thread keys as anchor links, folded past the first couple of dozen. */
export function ThreadLinks({ keys, anchors }: { keys: readonly string[]; anchors: PageAnchors }) {
  if (keys.length === 0) return null;
  const first = keys.slice(0, SHOWN_BEFORE_FOLD);
  const rest = keys.slice(SHOWN_BEFORE_FOLD);
  return (
    <div class="thread-links">
      <ul class="inline-list">
        {first.map((key) => (
          <li>
            <ThreadLink threadKey={key} anchors={anchors} />
          </li>
        ))}
      </ul>
      {rest.length > 0 ? (
        <details class="more">
          <summary>{rest.length} more</summary>
          <ul class="inline-list">
            {rest.map((key) => (
              <li>
                <ThreadLink threadKey={key} anchors={anchors} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
