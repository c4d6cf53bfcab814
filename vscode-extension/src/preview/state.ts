/**
 * What the preview should show for a graph of a given size: the whole graph, or — past
 * `livedag.preview.maxNodes` — the neighbourhood of the node at the cursor, because laying out a
 * large graph freezes the pane (~1 s per 100 nodes). Pure; the controller feeds it.
 */

import type { GraphNode, GraphParams, PreviewView } from '../protocol';

export interface PreviewSettings {
  maxNodes: number;
  defaultDepth: number;
}

/** Choices the user made in the preview for the current file. */
export interface PreviewChoices {
  depth: number | null;
  wholeRequested: boolean;
  lastFocus: string | null;
  /** A node picked with the code lens: its neighbourhood is shown until the user asks for the whole graph. */
  pinnedFocus: string | null;
}

export const INITIAL_CHOICES: PreviewChoices = { depth: null, wholeRequested: false, lastFocus: null, pinnedFocus: null };

export const MIN_DEPTH = 1;
export const MAX_DEPTH = 10;

export function clampDepth(depth: number): number {
  return Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, Math.round(depth)));
}

export interface ViewDecision {
  view: PreviewView;
  /** The `livedag/graph` params for the mermaid text to draw. */
  params: GraphParams;
}

export function decideView(
  uri: string,
  totalNodes: number,
  nodes: readonly GraphNode[],
  cursorNode: string | undefined,
  choices: PreviewChoices,
  settings: PreviewSettings,
): ViewDecision {
  const depth = clampDepth(choices.depth ?? settings.defaultDepth);
  const base = { depth, totalNodes, maxNodes: settings.maxNodes, forcedWhole: false, pinned: false };
  if (totalNodes === 0) {
    return { view: { ...base, mode: 'empty', focus: null }, params: { uri } };
  }
  const pinned = choices.pinnedFocus;
  if (pinned !== null && nodes.some((node) => node.name === pinned)) {
    return { view: { ...base, mode: 'neighbourhood', focus: pinned, pinned: true }, params: { uri, focus: pinned, depth } };
  }
  if (totalNodes <= settings.maxNodes) {
    return { view: { ...base, mode: 'whole', focus: null }, params: { uri } };
  }
  if (choices.wholeRequested) {
    return { view: { ...base, mode: 'whole', focus: null, forcedWhole: true }, params: { uri } };
  }
  const focus = chooseFocus(nodes, cursorNode, choices.lastFocus);
  if (focus === undefined) {
    return { view: { ...base, mode: 'whole', focus: null }, params: { uri } };
  }
  return { view: { ...base, mode: 'neighbourhood', focus }, params: { uri, focus, depth } };
}

/** The node at the cursor, else the previous focus while it still exists, else a node with problems, else the first. */
export function chooseFocus(
  nodes: readonly GraphNode[],
  cursorNode: string | undefined,
  lastFocus: string | null,
): string | undefined {
  const names = new Set(nodes.map((node) => node.name));
  if (cursorNode !== undefined && names.has(cursorNode)) {
    return cursorNode;
  }
  if (lastFocus !== null && names.has(lastFocus)) {
    return lastFocus;
  }
  return (nodes.find((node) => node.hasProblems) ?? nodes[0])?.name;
}

/** One line telling the user what the pane shows and why. */
export function viewNotice(view: PreviewView, shownNodes: number): string {
  switch (view.mode) {
    case 'empty':
      return 'No livedag nodes in this file.';
    case 'whole':
      return view.forcedWhole
        ? `Whole graph: ${view.totalNodes} nodes (more than livedag.preview.maxNodes = ${view.maxNodes}; layout may be slow).`
        : `${view.totalNodes} node${view.totalNodes === 1 ? '' : 's'}.`;
    case 'neighbourhood':
      if (view.pinned) {
        return (
          `Showing ${shownNodes} of ${view.totalNodes} nodes: those within ${view.depth} ` +
          `edge${view.depth === 1 ? '' : 's'} of ${view.focus ?? '?'}.`
        );
      }
      return (
        `Large graph (${view.totalNodes} nodes > livedag.preview.maxNodes = ${view.maxNodes}): ` +
        `showing ${shownNodes} node${shownNodes === 1 ? '' : 's'} within ${view.depth} ` +
        `edge${view.depth === 1 ? '' : 's'} of ${view.focus ?? '?'} (the node at the cursor).`
      );
  }
}
