/**
 * The node whose definition contains a cursor position, from the ranges of the last `livedag/graph`
 * answer. With `definitionRange` (decorators..end of body) the innermost containing definition wins;
 * a server that sends only the name's `range` gets the node whose name is under the cursor, else the
 * nearest node defined at or above the cursor line (a function body runs until the next definition).
 */

import type { GraphNode, Position, Range } from './protocol';

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

function rangeSize(range: Range): [number, number] {
  return [range.end.line - range.start.line, range.end.character - range.start.character];
}

function innermost(nodes: readonly GraphNode[], rangeOf: (node: GraphNode) => Range | null | undefined, position: Position): GraphNode | undefined {
  let best: { node: GraphNode; size: [number, number] } | undefined;
  for (const node of nodes) {
    const range = rangeOf(node);
    if (range === null || range === undefined || !rangeContains(range, position)) {
      continue;
    }
    const size = rangeSize(range);
    if (best === undefined || size[0] < best.size[0] || (size[0] === best.size[0] && size[1] < best.size[1])) {
      best = { node, size };
    }
  }
  return best?.node;
}

export function nodeAtCursor(
  nodes: readonly GraphNode[],
  uri: string,
  position: Position,
): GraphNode | undefined {
  const inFile = nodes.filter((node) => node.uri === uri && node.range !== null);
  if (inFile.some((node) => node.definitionRange != null)) {
    return innermost(inFile, (node) => node.definitionRange, position);
  }
  const named = innermost(inFile, (node) => node.range, position);
  if (named !== undefined) {
    return named;
  }
  let above: GraphNode | undefined;
  for (const node of inFile) {
    const line = node.range?.start.line ?? Number.POSITIVE_INFINITY;
    if (line <= position.line && (above === undefined || line > (above.range?.start.line ?? -1))) {
      above = node;
    }
  }
  return above;
}

export interface Definition {
  uri: string;
  range: Range;
}

/**
 * Where to go when a node of the drawing is clicked: the node's definition, or for an external input
 * the definition of its first consumer (inputs have no definition of their own).
 */
export function definitionOf(
  nodes: readonly GraphNode[],
  inputs: readonly { name: string; consumers: string[] }[],
  name: string,
): Definition | undefined {
  const consumer = inputs.find((input) => input.name === name)?.consumers[0];
  const node = nodes.find((candidate) => candidate.name === name) ?? nodes.find((candidate) => candidate.name === consumer);
  return node?.uri != null && node.range !== null ? { uri: node.uri, range: node.range } : undefined;
}
