import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = new URL('.', import.meta.url).pathname;

/** Every non-test .ts file under src/core. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The top folder of src/core a file belongs to ('' for files at the root, such as inputIssue.ts). */
const folderOf = (path: string) => {
  const rel = relative(CORE, path).split(sep);
  return rel.length > 1 ? rel[0] : '';
};

/** Folder → the folders its modules import (relative imports, type-only ones included: they tie the folders too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(CORE)) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (!target.startsWith(CORE)) continue;
      const to = folderOf(target);
      if (to && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle of the graph as a path a → … → a, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

/**
 * The folders of src/core form layers (volume below case, model below tta, …): a folder-level
 * import cycle means two folders can no longer be understood, tested or moved one without the
 * other (the input size limits once sat in memory/, which imports tta/, which reaches volume/).
 */
describe('src/core folder imports', () => {
  it('finds the imports it checks (the parser sees the known edges)', () => {
    const graph = folderGraph();
    expect(graph.get('case')?.has('volume')).toBe(true);
    expect(graph.get('tta')?.has('model')).toBe(true);
  });

  it('have no cycle between folders', () => {
    const cycle = findCycle(folderGraph());
    expect(cycle, cycle ? `folder cycle: ${cycle.join(' → ')}` : '').toBeNull();
  });

  it('the cycle finder finds a planted cycle', () => {
    const graph = folderGraph();
    graph.set('volume', new Set([...(graph.get('volume') ?? []), 'tta']));
    expect(findCycle(graph)).not.toBeNull();
  });
});
