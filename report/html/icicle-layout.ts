/**
 * Geometry of the icicle chart: the groups' representative stacks merged into one tree,
 * outermost frame at the top, each frame a box as wide as the threads that pass through it.
 * Pure numbers and strings; `icicle-chart.tsx` draws them.
 */

import { baseName } from '../../analysis/frame-names.js';
import type { Frame, ReportGroup, ThreadState } from '../schema.js';
import { frameName, frameText } from './frame-text.js';

export const ICICLE_WIDTH = 1200;
export const ROW_HEIGHT = 18;
/** Height of the state strip under the frame where a group's stacks end. */
export const FOOT_HEIGHT = 5;
/** Rows drawn at most; a deeper stack is cut at its innermost end and the chart says so. */
export const MAX_ICICLE_DEPTH = 160;
/** Boxes drawn at most; past it the narrowest are left out (they would be slivers anyway). */
export const MAX_ICICLE_RECTS = 4000;
/** Boxes narrower than this many units are left out with everything under them. */
const MIN_RECT_WIDTH = 0.5;
const CHAR_WIDTH = 6.7;
const TEXT_PADDING = 6;

export interface IcicleRect {
  x: number;
  y: number;
  width: number;
  depth: number;
  /** Text that fits the box ('' when none fits). */
  label: string;
  tooltip: string;
  language: Frame['language'] | 'root';
  count: number;
  fill: string;
  /** The group all threads through this box belong to, or null when they come from several. */
  groupIndex: number | null;
}

/** Where a group's stacks end: a strip in the group's state colour under its innermost frame. */
export interface IcicleFoot {
  x: number;
  y: number;
  width: number;
  state: ThreadState;
  groupIndex: number;
  tooltip: string;
}

export interface IcicleLayout {
  width: number;
  height: number;
  total: number;
  rects: IcicleRect[];
  feet: IcicleFoot[];
  /** True when some stack was deeper than MAX_ICICLE_DEPTH. */
  isCut: boolean;
  /** Boxes left out for being too narrow or past MAX_ICICLE_RECTS. */
  omitted: number;
}

interface Node {
  frame: Frame | null;
  count: number;
  groups: Set<number>;
  children: Map<string, Node>;
  /** Groups whose stack ends here, with their thread counts. */
  ends: { groupIndex: number; count: number; state: ThreadState }[];
}

function newNode(frame: Frame | null): Node {
  return { frame, count: 0, groups: new Set(), children: new Map(), ends: [] };
}

/** Frames merge on what code they are, not on the line being run, as flame graphs do. */
function mergeKey(frame: Frame): string {
  return [frame.language, frame.function ?? '', frame.file ?? '', frame.library ?? ''].join('\u0000');
}

function buildTree(groups: readonly ReportGroup[]): { root: Node; isCut: boolean } {
  const root = newNode(null);
  let isCut = false;
  groups.forEach((group, groupIndex) => {
    root.count += group.count;
    root.groups.add(groupIndex);
    const outermostFirst = [...group.representativeFrames].reverse();
    if (outermostFirst.length > MAX_ICICLE_DEPTH - 1) isCut = true;
    let node = root;
    for (const frame of outermostFirst.slice(0, MAX_ICICLE_DEPTH - 1)) {
      const key = mergeKey(frame);
      let child = node.children.get(key);
      if (child === undefined) {
        child = newNode(frame);
        node.children.set(key, child);
      }
      child.count += group.count;
      child.groups.add(groupIndex);
      node = child;
    }
    node.ends.push({ groupIndex, count: group.count, state: group.state });
  });
  return { root, isCut };
}

/** A stable colour per function: warm for native code, cool for Python, grey for the root. */
function fillFor(frame: Frame | null): string {
  if (frame === null) return 'hsl(220, 10%, 70%)';
  let hash = 0;
  for (const ch of frameName(frame)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = frame.language === 'python' ? 190 + (hash % 40) : 12 + (hash % 36);
  const light = 62 + ((hash >>> 8) % 12);
  return `hsl(${hue}, 70%, ${light}%)`;
}

function labelFor(frame: Frame | null, total: number): string {
  if (frame === null) return `all threads (${total})`;
  const name = frameName(frame);
  return frame.language === 'python' && frame.file !== null ? `${name} (${baseName(frame.file)})` : name;
}

/** The text that fits a box `width` units wide, cut with an ellipsis. */
export function fitLabel(text: string, width: number): string {
  const chars = Math.floor((width - TEXT_PADDING) / CHAR_WIDTH);
  if (chars < 3) return '';
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

function share(count: number, total: number): string {
  return `${count} of ${total} ${total === 1 ? 'thread' : 'threads'} (${Math.round((count / total) * 100)}%)`;
}

interface Placed {
  node: Node;
  x: number;
  width: number;
  depth: number;
}

/** Lays out the icicle of the groups' stacks; an empty layout when no group has threads. */
export function layoutIcicle(groups: readonly ReportGroup[], width: number = ICICLE_WIDTH): IcicleLayout {
  const { root, isCut } = buildTree(groups);
  const total = root.count;
  if (total === 0) return { width, height: 0, total, rects: [], feet: [], isCut: false, omitted: 0 };
  const unit = width / total;

  const placed: Placed[] = [];
  const feet: { foot: IcicleFoot; above: Node }[] = [];
  let omitted = 0;
  let queue: Placed[] = [{ node: root, x: 0, width, depth: 0 }];
  while (queue.length > 0) {
    const next: Placed[] = [];
    for (const item of queue) {
      placed.push(item);
      let x = item.x;
      const children = [...item.node.children.values()].sort((a, b) => b.count - a.count);
      for (const child of children) {
        const w = child.count * unit;
        if (w >= MIN_RECT_WIDTH) next.push({ node: child, x, width: w, depth: item.depth + 1 });
        else omitted++;
        x += w;
      }
      for (const end of item.node.ends) {
        const w = end.count * unit;
        const group = groups[end.groupIndex];
        if (w >= MIN_RECT_WIDTH && group !== undefined) {
          feet.push({
            above: item.node,
            foot: {
              x,
              y: (item.depth + 1) * ROW_HEIGHT,
              width: w,
              state: end.state,
              groupIndex: end.groupIndex,
              tooltip: `group ${end.groupIndex + 1}: ${share(end.count, total)} end here, ${end.state}${group.blockingFrame === null ? '' : ` in ${group.blockingFrame}`}`,
            },
          });
        }
        x += w;
      }
    }
    queue = next;
  }

  // Breadth-first order puts a parent before its children and a parent is never narrower,
  // so a stable sort by width keeps every kept box's parent.
  const kept =
    placed.length > MAX_ICICLE_RECTS ? [...placed].sort((a, b) => b.node.count - a.node.count).slice(0, MAX_ICICLE_RECTS) : placed;
  omitted += placed.length - kept.length;
  const keptNodes = new Set(kept.map((p) => p.node));
  const maxDepth = kept.reduce((deepest, p) => Math.max(deepest, p.depth), 0);

  const rects: IcicleRect[] = kept.map(({ node, x, width: w, depth }) => {
    const label = labelFor(node.frame, total);
    const [onlyGroup] = node.groups;
    return {
      x,
      y: depth * ROW_HEIGHT,
      width: w,
      depth,
      label: fitLabel(label, w),
      tooltip: node.frame === null ? label : `${frameText(node.frame)}\n${share(node.count, total)}`,
      language: node.frame === null ? 'root' : node.frame.language,
      count: node.count,
      fill: fillFor(node.frame),
      groupIndex: node.groups.size === 1 && onlyGroup !== undefined ? onlyGroup : null,
    };
  });
  return {
    width,
    height: (maxDepth + 1) * ROW_HEIGHT + FOOT_HEIGHT,
    total,
    rects,
    feet: feet.filter((f) => keptNodes.has(f.above)).map((f) => f.foot),
    isCut,
    omitted,
  };
}
