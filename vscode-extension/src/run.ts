/**
 * What "Run Node at Cursor" and "Cancel Run" send: `workspace/executeCommand` with the server's
 * `livedag.run` / `livedag.cancelRun` and their single argument object. Pure.
 */

import { nodeAtCursor } from './nodeAtCursor';
import {
  CANCEL_RUN_COMMAND,
  type CancelRunArguments,
  type GraphNode,
  type Position,
  RUN_COMMAND,
  type RunArguments,
  type RunOutcome,
} from './protocol';

export interface ExecuteCommandParams {
  command: string;
  arguments: [RunArguments] | [CancelRunArguments];
}

export function runParams(uri: string, node: string | null): ExecuteCommandParams {
  return { command: RUN_COMMAND, arguments: [{ uri, node }] };
}

export function cancelParams(uri: string): ExecuteCommandParams {
  return { command: CANCEL_RUN_COMMAND, arguments: [{ uri }] };
}

/** The node to run for a cursor, or the choices to offer when the cursor is outside every node. */
export type RunTarget = { kind: 'node'; node: string } | { kind: 'ask'; choices: string[] } | { kind: 'none' };

export const WHOLE_GRAPH_CHOICE = '$(run-all) Whole graph';

export function runTarget(nodes: readonly GraphNode[], uri: string, position: Position): RunTarget {
  const found = nodeAtCursor(nodes, uri, position);
  if (found !== undefined) {
    return { kind: 'node', node: found.name };
  }
  const inFile = nodes.filter((node) => node.uri === uri).map((node) => node.name);
  return inFile.length === 0 ? { kind: 'none' } : { kind: 'ask', choices: [WHOLE_GRAPH_CHOICE, ...inFile] };
}

/** One status-bar line for the answer of `livedag.run` (the server itself shows refusals as messages). */
export function outcomeSummary(node: string | null, answer: unknown): string {
  const target = node === null ? 'graph' : node;
  if (typeof answer !== 'object' || answer === null || typeof (answer as RunOutcome).status !== 'string') {
    return `livedag: run of ${target} sent`;
  }
  const outcome = answer as RunOutcome;
  if (outcome.missing.length > 0) {
    return `livedag: ${target} not run, missing inputs: ${outcome.missing.join(', ')}`;
  }
  return `livedag: run of ${target} ${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}`;
}
