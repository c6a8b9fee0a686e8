/** @jsxImportSource preact */
/**
 * One stack, innermost first, numbered as gdb numbers it. Native and Python frames look
 * different (tag and colour), and the frame that decided the thread's state is marked in
 * words as well as colour, so it survives printing in black and white.
 */
import type { Frame } from '../schema.js';
import { frameLocation, frameName } from './frame-text.js';

interface StackListProps {
  frames: readonly Frame[];
  /** Index of the frame that decided the state (`classification.frameIndex`), or null. */
  decidingIndex: number | null;
}

/** A stack as an ordered list of frames with the deciding frame highlighted. */
export function StackList({ frames, decidingIndex }: StackListProps) {
  if (frames.length === 0) return <p class="muted">No stack in the dump for this one (process listings give states, not frames).</p>;
  return (
    <ol class="stack">
      {frames.map((frame, index) => {
        const isDecider = index === decidingIndex;
        const where = frameLocation(frame);
        return (
          <li class={`frame frame-${frame.language}${isDecider ? ' decider' : ''}`}>
            <span class="frame-no">#{index}</span>
            <span class="frame-lang" title={frame.language === 'python' ? 'Python frame' : 'native frame'}>
              {frame.language === 'python' ? 'py' : 'C'}
            </span>
            <code class="frame-fn">{frameName(frame)}</code>
            {where === null ? null : <span class="frame-loc">{where}</span>}
            {frame.file !== null && frame.library !== null ? <span class="frame-loc">{frame.library}</span> : null}
            {isDecider ? <strong class="decider-note">◀ decided the state</strong> : null}
          </li>
        );
      })}
    </ol>
  );
}
