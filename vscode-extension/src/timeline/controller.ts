/**
 * The Timeline view's behaviour without VSCode: which graph it shows (the file of the active Python
 * editor), when it asks the server for `livedag/timeline` again (shown, refreshed, and after a run:
 * a `livedag/graphChanged` for the file whose statuses settled, no node still running), and what it
 * posts to the webview. The panel glue (panel.ts) gives it a host.
 */

import type { FromTimelineWebview, GraphChangedParams, NodeStatus, TimelineResult, ToTimelineWebview } from '../protocol';

export interface TimelineHost {
  request(uri: string): Promise<TimelineResult | null>;
  post(message: ToTimelineWebview): void;
  reveal(uri: string, node: string): void;
  title(uri: string): string;
  log(message: string): void;
}

/** A fingerprint of settled statuses (`undefined` while a node runs): a new one means a run ended. */
export function settledKey(statuses: Record<string, NodeStatus>): string | undefined {
  const entries = Object.entries(statuses);
  if (entries.some(([, status]) => status === 'running' || status === 'pending')) {
    return undefined;
  }
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, status]) => `${name}=${status}`)
    .join('\n');
}

export class TimelineController {
  private uri: string | undefined;
  private generation = 0;
  private ready = false;
  private pending: ToTimelineWebview | undefined;
  private lastSettled: string | undefined;
  private sawRunning = false;

  constructor(private readonly host: TimelineHost) {}

  get currentUri(): string | undefined {
    return this.uri;
  }

  async show(uri: string): Promise<void> {
    if (uri !== this.uri) {
      this.uri = uri;
      this.lastSettled = undefined;
      this.sawRunning = false;
    }
    await this.refresh();
  }

  /** Ask the server again; answers overtaken by a newer refresh are dropped. */
  async refresh(): Promise<void> {
    const uri = this.uri;
    if (uri === undefined) {
      return;
    }
    const generation = ++this.generation;
    try {
      const result = await this.host.request(uri);
      if (generation === this.generation) {
        this.send({ type: 'timeline', title: this.host.title(uri), result });
      }
    } catch (error) {
      if (generation === this.generation) {
        const message = error instanceof Error ? error.message : String(error);
        this.host.log(`timeline: livedag/timeline failed: ${message}`);
        this.send({ type: 'error', message: `Could not get the last run: ${message}` });
      }
    }
  }

  /** Statuses changed: once a run of this file's graph is over (nothing running), draw its record. */
  async graphChanged(params: GraphChangedParams): Promise<void> {
    const uris = params.uris ?? [params.uri];
    if (this.uri === undefined || !uris.includes(this.uri)) {
      return;
    }
    const key = settledKey(params.statuses);
    if (key === undefined) {
      this.sawRunning = true;
      return;
    }
    if (this.sawRunning || (key !== this.lastSettled && this.lastSettled !== undefined)) {
      this.sawRunning = false;
      this.lastSettled = key;
      await this.refresh();
      return;
    }
    this.lastSettled = key;
  }

  async onMessage(message: FromTimelineWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.pending !== undefined) {
          this.host.post(this.pending);
          this.pending = undefined;
        }
        return;
      case 'refresh':
        await this.refresh();
        return;
      case 'reveal':
        if (this.uri !== undefined) {
          this.host.reveal(this.uri, message.node);
        }
        return;
    }
  }

  private send(message: ToTimelineWebview): void {
    if (this.ready) {
      this.host.post(message);
    } else {
      this.pending = message;
    }
  }
}
