/**
 * The node whose definition contains a cursor position, from the ranges of the last `livedag/graph`
 * answer. When definitions nest (a node defined inside another's range), the innermost one wins.
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

export function nodeAtCursor(
  nodes: readonly GraphNode[],
  uri: string,
  position: Position,
): GraphNode | undefined {
  let best: GraphNode | undefined;
  for (const node of nodes) {
    if (node.uri !== uri || !rangeContains(node.range, position)) {
      continue;
    }
    if (best === undefined) {
      best = node;
      continue;
    }
    const [lines, chars] = rangeSize(node.range);
    const [bestLines, bestChars] = rangeSize(best.range);
    if (lines < bestLines || (lines === bestLines && chars < bestChars)) {
      best = node;
    }
  }
  return best;
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
  const node = nodes.find((candidate) => candidate.name === name);
  if (node !== undefined) {
    return { uri: node.uri, range: node.range };
  }
  const consumer = inputs.find((input) => input.name === name)?.consumers[0];
  const consumerNode = nodes.find((candidate) => candidate.name === consumer);
  return consumerNode === undefined ? undefined : { uri: consumerNode.uri, range: consumerNode.range };
}
