/**
 * The wire types this extension shares with the livedag language server and with its webview.
 *
 * Server side: the custom request `livedag/graph`, the notification `livedag/graphChanged` and the
 * run commands. Webview side: every message posted between the extension and the preview page.
 * Positions are LSP positions (0-based lines and UTF-16 characters). No `any` here.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type NodeStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cached' | 'stale';

export interface GraphNode {
  name: string;
  kind: string;
  type: string | null;
  /** null for a node without a source location (never the case for nodes read from files). */
  uri: string | null;
  /** The function name in its `def` line. */
  range: Range | null;
  /** Decorators to the end of the body, when the server sends it. */
  definitionRange?: Range | null;
  dependencies: string[];
  dependents: string[];
  hasProblems: boolean;
}

export interface GraphInput {
  name: string;
  consumers: string[];
  required: boolean;
}

export interface GraphProblem {
  code: string;
  severity: string | number;
  message: string;
  uri: string;
  range: Range;
  nodes: string[];
}

export const GRAPH_REQUEST = 'livedag/graph';
export const GRAPH_CHANGED_NOTIFICATION = 'livedag/graphChanged';
export const RUN_COMMAND = 'livedag.run';
export const CANCEL_RUN_COMMAND = 'livedag.cancelRun';

export interface GraphParams {
  uri: string;
  focus?: string;
  depth?: number;
}

export interface GraphResult {
  uri: string;
  version: number | null;
  mermaid: string;
  nodes: GraphNode[];
  inputs: GraphInput[];
  problems: GraphProblem[];
  /** Whole-graph counts (absent from older servers: then counted from `problems`). */
  errorCount?: number;
  warningCount?: number;
  totalNodes: number;
  focus: string | null;
  depth: number | null;
}

/** The `livedag.run` settings section (the server also pulls it with workspace/configuration). */
export interface RunSettings {
  timeout?: number;
  python?: string;
  prewarm?: boolean;
  executor?: 'inline' | 'threads' | 'processes' | 'ray' | 'dask';
  address?: string;
}

/** Sent as `initializationOptions` when the client starts the server. */
export interface InitializationOptions {
  maxNodes: number;
  run: RunSettings;
  /** false in Restricted Mode: the server then runs nothing (no Run lenses, the run command says why). */
  workspaceTrusted: boolean;
}

/** What `livedag.run` answers when the run is over (or refused). */
export interface RunOutcome {
  run: string;
  status: string;
  ok: boolean;
  message: string | null;
  missing: string[];
}

/** The server's code-lens command: show the neighbourhood of a node (arguments `[uri, node]`). */
export const FOCUS_NODE_COMMAND = 'livedag.focusNode';

export interface GraphChangedParams {
  uri: string;
  /** Every file of the changed graph (a graph may span several files); absent from older servers. */
  uris?: string[];
  version: number | null;
  mermaid: string;
  totalNodes: number;
  statuses: Record<string, NodeStatus>;
  /** The counts of this very resolution, so the toolbar never lags behind the drawing. */
  errorCount?: number;
  warningCount?: number;
}

/** Errors and warnings of a graph, as the preview's toolbar shows them. */
export interface ProblemCounts {
  errors: number;
  warnings: number;
}

/** The single argument of `livedag.run`; `node: null` runs the whole graph of the file. */
export interface RunArguments {
  uri: string;
  node: string | null;
}

export interface CancelRunArguments {
  uri: string;
}

/** What the preview shows: the whole graph, or the neighbourhood of one node because the graph is large. */
export interface PreviewView {
  mode: 'whole' | 'neighbourhood' | 'empty';
  focus: string | null;
  depth: number;
  totalNodes: number;
  maxNodes: number;
  /** Whole graph shown although it is larger than maxNodes, because the user asked for it. */
  forcedWhole: boolean;
  /** Neighbourhood of a node the user picked (code lens), whatever the graph's size. */
  pinned: boolean;
}

/** Extension -> webview. */
export type ToWebview =
  | {
      type: 'graph';
      uri: string;
      title: string;
      version: number | null;
      mermaid: string;
      view: PreviewView;
      problems: ProblemCounts;
      statuses: Record<string, NodeStatus>;
    }
  | { type: 'error'; message: string };

/** Webview -> extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; node: string }
  | { type: 'copyMermaid'; text: string }
  | { type: 'setDepth'; depth: number }
  | { type: 'showWhole' }
  | { type: 'showNeighbourhood' }
  | { type: 'rendered'; nodeCount: number; millis: number }
  | { type: 'renderError'; message: string };

/** The arguments of the code lens's `livedag.focusNode` command, or undefined when malformed. */
export function parseFocusNodeArguments(args: readonly unknown[]): { uri: string; node: string } | undefined {
  const [uri, node] = args;
  return typeof uri === 'string' && typeof node === 'string' ? { uri, node } : undefined;
}

/** Narrow an unknown message posted by the webview to a FromWebview, or undefined when malformed. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const record = message as Record<string, unknown>;
  switch (record.type) {
    case 'ready':
    case 'showWhole':
    case 'showNeighbourhood':
      return { type: record.type };
    case 'reveal':
      return typeof record.node === 'string' ? { type: 'reveal', node: record.node } : undefined;
    case 'copyMermaid':
      return typeof record.text === 'string' ? { type: 'copyMermaid', text: record.text } : undefined;
    case 'setDepth':
      return typeof record.depth === 'number' && Number.isInteger(record.depth) && record.depth >= 1
        ? { type: 'setDepth', depth: record.depth }
        : undefined;
    case 'rendered':
      return typeof record.nodeCount === 'number' && typeof record.millis === 'number'
        ? { type: 'rendered', nodeCount: record.nodeCount, millis: record.millis }
        : undefined;
    case 'renderError':
      return typeof record.message === 'string' ? { type: 'renderError', message: record.message } : undefined;
    default:
      return undefined;
  }
}

/** The run history's last run of a graph, for the Timeline view: params `{ uri }`; `null` when never run. */
export const TIMELINE_REQUEST = 'livedag/timeline';

/** Server -> client, once a run is over and recorded (so `livedag/timeline` answers it). */
export const RUN_FINISHED_NOTIFICATION = 'livedag/runFinished';

export interface RunFinishedParams {
  graph: string;
  /** The graph's files. */
  uris: string[];
  run: string;
  status: string;
}

export interface TimelineParams {
  uri: string;
}

/** One node of a recorded run (times are `time.time()` seconds; `null`: it never ran). */
export interface TimelineNode {
  name: string;
  status: string;
  started: number | null;
  ended: number | null;
  duration: number | null;
  attempts: number;
  error: string | null;
  preview: string | null;
  upstream: string[];
  items: number;
  skipped_because: string[];
}

export interface TimelineResult {
  graph: string;
  /** The store's number for the run. */
  run: number | null;
  runId: string;
  started: number;
  ok: boolean;
  duration: number | null;
  /** The same timeline as a self-contained HTML fragment (the notebook's); the view draws `nodes` itself. */
  html: string;
  nodes: TimelineNode[];
}

/** Extension -> timeline webview. */
export type ToTimelineWebview =
  | { type: 'timeline'; title: string; result: TimelineResult | null }
  | { type: 'error'; message: string };

/** Timeline webview -> extension. */
export type FromTimelineWebview = { type: 'ready' } | { type: 'reveal'; node: string } | { type: 'refresh' };

export function parseFromTimelineWebview(message: unknown): FromTimelineWebview | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const record = message as Record<string, unknown>;
  switch (record.type) {
    case 'ready':
    case 'refresh':
      return { type: record.type };
    case 'reveal':
      return typeof record.node === 'string' ? { type: 'reveal', node: record.node } : undefined;
    default:
      return undefined;
  }
}
