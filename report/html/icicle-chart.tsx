/** @jsxImportSource preact */
/**
 * The icicle of grouped stacks as plain SVG: no script, passes a strict CSP, prints.
 * Every label and tooltip is a JSX text child, so dump text is escaped like the rest of the page.
 */
import type { ReportGroup } from '../schema.js';
import { countOf } from './human-format.js';
import { FOOT_HEIGHT, type IcicleRect, layoutIcicle, MAX_ICICLE_DEPTH, ROW_HEIGHT } from './icicle-layout.js';
import type { PageAnchors } from './page-anchors.js';

interface IcicleChartProps {
  groups: readonly ReportGroup[];
  anchors: PageAnchors;
}

function Box({ rect, href }: { rect: IcicleRect; href: string | null }) {
  const box = (
    <g class={`ic ic-${rect.language}`}>
      <title>{rect.tooltip}</title>
      <rect x={rect.x.toFixed(2)} y={rect.y} width={Math.max(rect.width - 0.5, 0.5).toFixed(2)} height={ROW_HEIGHT - 1} fill={rect.fill} />
      {rect.label === '' ? null : (
        <text x={(rect.x + 3).toFixed(2)} y={rect.y + ROW_HEIGHT - 5}>
          {rect.label}
        </text>
      )}
    </g>
  );
  return href === null ? box : <a href={href}>{box}</a>;
}

/** The icicle chart section body: the SVG and a note on how to read it. */
export function IcicleChart({ groups, anchors }: IcicleChartProps) {
  const layout = layoutIcicle(groups);
  if (layout.rects.length === 0) return <p class="muted">No grouped stacks to draw.</p>;
  return (
    <figure class="icicle">
      <div class="icicle-scroll">
        <svg
          xmlns="http://www.w3.org/2000/svg"
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          role="img"
          aria-label={`Icicle chart of ${countOf(layout.total, 'thread')}: outermost frames at the top, each box as wide as the threads that pass through it`}
        >
          {layout.rects.map((rect) => (
            <Box rect={rect} href={rect.groupIndex === null ? null : `#${anchors.group(rect.groupIndex)}`} />
          ))}
          {layout.feet.map((foot) => (
            <a href={`#${anchors.group(foot.groupIndex)}`}>
              <rect class={`foot st-${foot.state}`} x={foot.x.toFixed(2)} y={foot.y} width={foot.width.toFixed(2)} height={FOOT_HEIGHT}>
                <title>{foot.tooltip}</title>
              </rect>
            </a>
          ))}
        </svg>
      </div>
      <figcaption>
        Outermost frame at the top, innermost at the bottom; a box is as wide as the threads running through it. Python frames are blue,
        native frames orange; the coloured strip under a stack's last frame is its group's state. Hover a box for the full frame, click it
        to jump to its group.
        {layout.isCut ? ` Stacks deeper than ${MAX_ICICLE_DEPTH - 1} frames are cut at their innermost end.` : ''}
        {layout.omitted > 0 ? ` ${countOf(layout.omitted, 'box', 'boxes')} too narrow to see are left out.` : ''}
      </figcaption>
    </figure>
  );
}
