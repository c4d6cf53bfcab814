/**
 * The Timeline view's picture of one recorded run, as data: a row per node on a shared time axis
 * (offset and length as fractions of the run), its status, attempts and error, the critical path,
 * and the axis ticks. Pure, so the unit tests check it and the webview only turns it into elements.
 */

import type { TimelineNode, TimelineResult } from '../protocol';

export interface TimelineRow {
  name: string;
  status: string;
  /** Start and length as fractions of the axis (0..1); `null` for a node that never ran. */
  left: number | null;
  width: number | null;
  /** Seconds from the run's first start; `null` for a node that never ran. */
  offset: number | null;
  duration: number | null;
  attempts: number;
  items: number;
  error: string | null;
  critical: boolean;
  /** One line for the tooltip and for screen readers. */
  label: string;
}

export interface TimelinePicture {
  rows: TimelineRow[];
  /** Seconds the axis spans (at least a microsecond, so a run of instant nodes still draws). */
  span: number;
  ticks: { at: number; label: string }[];
  counts: Record<string, number>;
  summary: string;
}

/** A duration for people: µs, ms or s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1e-3) {
    return `${Math.round(seconds * 1e6)} µs`;
  }
  if (seconds < 1) {
    return `${(seconds * 1e3).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
  }
  return `${seconds.toFixed(2)} s`;
}

/** About `target` round tick positions over [0, span] (steps of 1, 2 or 5 times a power of ten). */
export function axisTicks(span: number, target = 6): number[] {
  if (!(span > 0)) {
    return [0];
  }
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let at = 0; at <= span * (1 + 1e-9); at += step) {
    ticks.push(Number(at.toPrecision(12)));
  }
  return ticks;
}

/**
 * The chain of nodes that decided when the run ended: from the node that ended last, back through the
 * upstream node (among those that ran) that ended last, until a node with none.
 */
export function criticalPath(nodes: readonly TimelineNode[]): string[] {
  const ran = new Map(nodes.filter((node) => node.ended !== null).map((node) => [node.name, node]));
  let current = [...ran.values()].reduce<TimelineNode | undefined>(
    (latest, node) => (latest === undefined || (node.ended ?? 0) > (latest.ended ?? 0) ? node : latest),
    undefined,
  );
  const path: string[] = [];
  const seen = new Set<string>();
  while (current !== undefined && !seen.has(current.name)) {
    seen.add(current.name);
    path.push(current.name);
    const before: TimelineNode[] = current.upstream.flatMap((name) => {
      const found = ran.get(name);
      return found === undefined ? [] : [found];
    });
    current = before.reduce<TimelineNode | undefined>(
      (latest, node) => (latest === undefined || (node.ended ?? 0) > (latest.ended ?? 0) ? node : latest),
      undefined,
    );
  }
  return path.reverse();
}

function rowLabel(node: TimelineNode, offset: number | null): string {
  const parts = [node.name, node.status];
  if (offset !== null && node.duration !== null) {
    parts.push(`started +${formatSeconds(offset)}`, `took ${formatSeconds(node.duration)}`);
  }
  if (node.attempts > 1) {
    parts.push(`${node.attempts} attempts`);
  }
  if (node.items > 0) {
    parts.push(`${node.items} items`);
  }
  if (node.error) {
    parts.push(node.error);
  }
  if (node.skipped_because.length > 0) {
    parts.push(`needs ${node.skipped_because.join(', ')}`);
  }
  return parts.join(' · ');
}

/** Rows in the order the nodes started (nodes that never ran last, in the run's order). */
export function timelinePicture(result: TimelineResult): TimelinePicture {
  const started = result.nodes.flatMap((node) => (node.started === null ? [] : [node.started]));
  const ends = result.nodes.flatMap((node) => (node.ended === null ? [] : [node.ended]));
  const origin = started.length > 0 ? Math.min(...started) : result.started;
  const finish = ends.length > 0 ? Math.max(...ends) : origin;
  const span = Math.max(finish - origin, 1e-6);
  const critical = new Set(criticalPath(result.nodes));
  const counts: Record<string, number> = {};
  const rows = result.nodes.map((node): TimelineRow => {
    counts[node.status] = (counts[node.status] ?? 0) + 1;
    const offset = node.started === null ? null : node.started - origin;
    const length = node.started === null ? null : Math.max((node.ended ?? node.started) - node.started, 0);
    return {
      name: node.name,
      status: node.status,
      left: offset === null ? null : offset / span,
      width: length === null ? null : length / span,
      offset,
      duration: node.duration,
      attempts: node.attempts,
      items: node.items,
      error: node.error,
      critical: critical.has(node.name),
      label: rowLabel(node, offset),
    };
  });
  rows.sort((a, b) => (a.offset ?? Number.POSITIVE_INFINITY) - (b.offset ?? Number.POSITIVE_INFINITY));
  const tally = Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  const took = result.duration === null ? '' : ` in ${formatSeconds(result.duration)}`;
  return {
    rows,
    span,
    ticks: axisTicks(span).map((at) => ({ at, label: formatSeconds(at) })),
    counts,
    summary: `Run ${result.run ?? result.runId}: ${result.ok ? 'ok' : 'not ok'}${took} (${tally})`,
  };
}
