// Resident memory of a process and all its descendants, from /proc (Linux). The embedded executor samples it
// to enforce `memory_mb`: a cgroup would be exact, but delegated cgroups v2 are rarely available to an
// unprivileged process, and RLIMIT_AS breaks runtimes that reserve large address spaces (Node, JVM, Go).

import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

interface ProcStat {
  pid: number;
  ppid: number;
  rssBytes: number;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE_BYTES };
  } catch {
    return undefined;
  }
}

/** `root` and its descendants (empty when /proc is unavailable or `root` is gone). */
function processTree(root: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, ProcStat[]>();
  let rootStat: ProcStat | undefined;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    if (stat.pid === root) rootStat = stat;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  if (!rootStat) return [];
  const tree: ProcStat[] = [];
  const stack = [rootStat];
  while (stack.length > 0) {
    const node = stack.pop() as ProcStat;
    tree.push(node);
    stack.push(...(children.get(node.pid) ?? []));
  }
  return tree;
}

/** Sum of RSS over `root` and its descendants, in bytes. */
export function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, node) => sum + node.rssBytes, 0);
}

/** PIDs of `root` and its descendants. */
export function treePids(root: number): number[] {
  return processTree(root).map((node) => node.pid);
}
