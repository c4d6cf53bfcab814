/** Shared test data: graph nodes and answers built from compact rows. */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { GraphNode, GraphResult } from '../src/protocol';

/** vscode-extension/: the nearest directory above the compiled test holding build.mjs. */
function extensionRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'build.mjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no build.mjs above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

export const EXTENSION_ROOT = extensionRoot();
export const REPO_ROOT = path.resolve(EXTENSION_ROOT, '..');
export const VENV_PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
export const FIXTURE = path.join(EXTENSION_ROOT, 'test', 'fixtures', 'pipeline.py');
export const NUMBERS_FIXTURE = path.join(EXTENSION_ROOT, 'test', 'fixtures', 'doubling.py');

/** A node whose definition spans lines [from, to] (0-based, inclusive) of `uri`; its name is on line `from`. */
export function node(name: string, from: number, to: number, extra: Partial<GraphNode> = {}): GraphNode {
  return {
    name,
    kind: 'sync',
    type: 'int',
    uri: 'file:///p.py',
    range: { start: { line: from, character: 4 }, end: { line: from, character: 4 + name.length } },
    definitionRange: { start: { line: from, character: 0 }, end: { line: to, character: 20 } },
    dependencies: [],
    dependents: [],
    hasProblems: false,
    ...extra,
  };
}

export function answer(nodes: GraphNode[], extra: Partial<GraphResult> = {}): GraphResult {
  return {
    uri: 'file:///p.py',
    version: 1,
    mermaid: `flowchart LR\n${nodes.map((n, i) => `  n${i}["${n.name}"]`).join('\n')}\n`,
    nodes,
    inputs: [],
    problems: [],
    totalNodes: nodes.length,
    focus: null,
    depth: null,
    ...extra,
  };
}

/** Mermaid text from the real Python renderer (`livedag mermaid`). */
export function rendererMermaid(file: string, ...args: string[]): string {
  return execFileSync(VENV_PYTHON, ['-m', 'livedag', 'mermaid', file, ...args], { encoding: 'utf8' });
}

const RENDER_WITH_STATUSES = `
import json, sys
from livedag.cli.sources import read_sources
from livedag.graph import Graph
from livedag.render import to_mermaid
graph = Graph.from_sources(read_sources([sys.argv[1]]))
statuses = {name: status for name, status in json.loads(sys.argv[2]).items() if name in graph.nodes}
sys.stdout.write(to_mermaid(graph, statuses=statuses))
`;

/** Mermaid text with run statuses, from the Python renderer the server uses for livedag/graphChanged. */
export function rendererMermaidWithStatuses(file: string, statuses: Record<string, string>): string {
  return execFileSync(VENV_PYTHON, ['-c', RENDER_WITH_STATUSES, file, JSON.stringify(statuses)], { encoding: 'utf8' });
}
