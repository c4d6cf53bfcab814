/**
 * The Timeline view's behaviour without VSCode: which graph it shows (the file of the active Python
 * editor), when it asks the server for `livedag/timeline` again (shown, refreshed, and after a run of
 * its graph: `livedag/runFinished`, sent once the run is recorded), and what it posts to the webview.
 * The panel glue (panel.ts) gives it a host.
 */

import { PageMailbox } from '../pageMailbox';
import type { FromTimelineWebview, RunFinishedParams, TimelineResult, ToTimelineWebview } from '../protocol';

export interface TimelineHost {
  request(uri: string): Promise<TimelineResult | null>;
  post(message: ToTimelineWebview): void;
  reveal(uri: string, node: string): void;
  title(uri: string): string;
  log(message: string): void;
}

export class TimelineController {
  private uri: string | undefined;
  private generation = 0;
  private readonly mailbox: PageMailbox<ToTimelineWebview>;

  constructor(private readonly host: TimelineHost) {
    this.mailbox = new PageMailbox((message) => this.host.post(message));
  }

  get currentUri(): string | undefined {
    return this.uri;
  }

  async show(uri: string): Promise<void> {
    this.uri = uri;
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

  /** A run is over and recorded (`livedag/runFinished`): draw it when it is of this file's graph. */
  async runFinished(params: RunFinishedParams): Promise<void> {
    if (this.uri !== undefined && params.uris.includes(this.uri)) {
      await this.refresh();
    }
  }

  async onMessage(message: FromTimelineWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.mailbox.opened();
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
    this.mailbox.send(message);
  }
}
