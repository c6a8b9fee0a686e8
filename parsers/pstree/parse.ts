/**
 * pstree output → one snapshot per tree. A branch connector's column tells the depth: the
 * parent of an entry is the nearest entry above whose name starts left of the connector.
 *   root:   "bash,1 run_mp.sh py-mp-queue-join-hang mp_queue_hang.py"   → branch | root
 *   branch: "  `-timeout,4 60 /usr/bin/python3 /srv/demo/mp_queue_hang.py" → branch | root
 * A root whose pid is already in the current tree starts a new snapshot (two captures pasted).
 */
import type { ParseContext } from '../format.js';
import type { RawProcess, RawThread, Snapshot } from '../model.js';
import { emptyProcess, emptySnapshot, emptyThread } from '../model.js';
import type { TreeEntry } from './tree-line.js';
import { readTreeLine } from './tree-line.js';

interface Node {
  column: number;
  pid: number | null;
}

interface Tree {
  snapshot: Snapshot;
  processes: Map<number, RawProcess>;
  /** Process names as printed, to tell `-t` thread names from the process name pstree repeats. */
  names: Map<number, string>;
  /** Threads listed under each process, collapsed `N*[{name}]` counting N. */
  threadsUnder: Map<number, number>;
  anyThread: boolean;
  warnedTooMany: boolean;
}

/** Parses pstree lines in lines[start, end) into snapshots of processes and threads. */
export function parsePstree(lines: readonly string[], start: number, end: number, ctx: ParseContext): Snapshot[] {
  const snapshots: Snapshot[] = [];
  let tree: Tree | null = null;
  let stack: Node[] = [];
  let idlessLine: number | null = null;
  let stopped = false;

  const finish = () => {
    if (tree !== null) snapshots.push(finishTree(tree));
    tree = null;
  };

  for (let i = start; i < end && !stopped; i++) {
    const text = lines[i] ?? '';
    const lineNo = i + 1;
    if (text.trim() === '') continue;
    const read = readTreeLine(text);
    const first = read?.entries[0];
    if (read === null || first === undefined) {
      if (tree !== null) ctx.warn('unrecognized_line', lineNo, "expected a pstree line such as '  |-sshd,900' or '`-{python3}(10)'");
      continue;
    }
    if (first.id === null && !read.entries.some((e) => e.id !== null)) {
      if (read.cut && tree !== null)
        ctx.warn('cut_short', lineNo, 'pstree cut this line at the terminal width (`+`); run pstree -l for whole lines');
      else if (tree !== null)
        ctx.warn('unrecognized_line', lineNo, "expected a process id after the name, as 'name,pid' (-ap) or 'name(pid)' (-p)");
      else if (read.connector !== null) idlessLine ??= lineNo;
      continue;
    }
    let parent: Node | null = null;
    if (read.connector === null) {
      if (tree === null || (first.id !== null && tree.processes.has(first.id))) {
        finish();
        if (snapshots.length >= ctx.limits.maxSnapshots) {
          ctx.warn('too_many_snapshots', lineNo, `kept the first ${ctx.limits.maxSnapshots} pstree captures`);
          stopped = true;
          continue;
        }
        tree = newTree(snapshots.length, lineNo);
      }
      stack = [];
    } else {
      while (stack.length > 0 && (stack[stack.length - 1] as Node).column >= read.connector) stack.pop();
      parent = stack[stack.length - 1] ?? null;
      if (tree === null) {
        tree = newTree(snapshots.length, lineNo);
        ctx.warn('missing_header', lineNo, 'this pstree branch has no root line above it; the parent of its first entry is unknown');
      }
    }
    const current: Tree = tree;
    for (const entry of read.entries) {
      if (entry.isThread) {
        addThread(current, parent?.pid ?? null, entry, lineNo, ctx);
        continue;
      }
      const node: Node = { column: entry.column, pid: entry.id };
      if (entry.id !== null) addProcess(current, parent?.pid ?? null, entry, lineNo, ctx);
      else if (read.cut)
        ctx.warn('cut_short', lineNo, `pstree cut '${entry.name.slice(0, 40)}' at the terminal width; run pstree -l for whole lines`);
      stack.push(node);
      parent = node;
    }
  }
  finish();
  if (snapshots.length === 0 && idlessLine !== null) {
    ctx.warn('unrecognized_line', idlessLine, 'this pstree output has no process ids; run pstree -ap (or -p) so processes can be matched');
  }
  return snapshots;
}

function newTree(index: number, line: number): Tree {
  return {
    snapshot: emptySnapshot(index, line),
    processes: new Map(),
    names: new Map(),
    threadsUnder: new Map(),
    anyThread: false,
    warnedTooMany: false,
  };
}

function addProcess(tree: Tree, ppid: number | null, entry: TreeEntry, line: number, ctx: ParseContext): void {
  const pid = entry.id as number;
  if (tree.processes.has(pid)) {
    ctx.warn('duplicate_thread', line, `process ${pid} appears twice in the tree starting on line ${tree.snapshot.line}; kept the first`);
    return;
  }
  const proc = emptyProcess(pid, line);
  proc.ppid = ppid;
  proc.command = entry.args === null ? entry.name : `${entry.name} ${entry.args}`;
  tree.processes.set(pid, proc);
  tree.names.set(pid, entry.name);
  tree.snapshot.processes.push(proc);
}

function addThread(tree: Tree, pid: number | null, entry: TreeEntry, line: number, ctx: ParseContext): void {
  tree.anyThread = true;
  if (pid !== null) tree.threadsUnder.set(pid, (tree.threadsUnder.get(pid) ?? 0) + entry.repeat);
  if (entry.id === null) return;
  if (tree.snapshot.threads.length >= ctx.limits.maxThreads) {
    if (!tree.warnedTooMany) ctx.warn('too_many_threads', line, `kept the first ${ctx.limits.maxThreads} threads of this pstree capture`);
    tree.warnedTooMany = true;
    return;
  }
  const t: RawThread = emptyThread(line);
  t.pid = pid;
  t.lwp = entry.id;
  // Without -t pstree prints the process's name in the braces, not the thread's own.
  t.name = pid !== null && tree.names.get(pid) === entry.name ? null : entry.name;
  tree.snapshot.threads.push(t);
}

function finishTree(tree: Tree): Snapshot {
  for (const proc of tree.snapshot.processes) {
    proc.threadCount = tree.anyThread ? 1 + (tree.threadsUnder.get(proc.pid) ?? 0) : null;
  }
  if (tree.snapshot.processes.length === 1) tree.snapshot.pid = tree.snapshot.processes[0]?.pid ?? null;
  return tree.snapshot;
}
