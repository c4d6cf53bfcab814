/**
 * The preview's behaviour without VSCode: which file it shows, which graph it asks for, what it posts
 * to the webview, and how it reacts to `livedag/graphChanged`, cursor moves and webview messages.
 * The panel glue (panel.ts) gives it a GraphStore, a poster, the cursor and a reveal function.
 */

import type { GraphStore } from '../graphStore';
import { nodeAtCursor } from '../nodeAtCursor';
import { PageMailbox } from '../pageMailbox';
import { changedCounts, countsOf } from './problems';
import type { FromWebview, GraphChangedParams, NodeStatus, Position, ToWebview } from '../protocol';
import {
  INITIAL_CHOICES,
  type PreviewChoices,
  type PreviewSettings,
  type ViewDecision,
  clampDepth,
  decideView,
} from './state';

export interface Cursor {
  uri: string;
  position: Position;
}

export interface PreviewHost {
  post(message: ToWebview): void;
  cursor(): Cursor | undefined;
  settings(): PreviewSettings;
  reveal(uri: string, node: string): void;
  copy(text: string): void;
  title(uri: string): string;
  log(message: string): void;
}

export class PreviewController {
  private uri: string | undefined;
  private choices: PreviewChoices = { ...INITIAL_CHOICES };
  private decision: ViewDecision | undefined;
  private statuses: Record<string, NodeStatus> = {};
  private generation = 0;
  private readonly mailbox: PageMailbox<ToWebview>;

  constructor(
    private readonly store: GraphStore,
    private readonly host: PreviewHost,
  ) {
    this.mailbox = new PageMailbox((message) => this.host.post(message));
  }

  get currentUri(): string | undefined {
    return this.uri;
  }

  /** Show `uri` (the active Python editor); a new file starts with fresh choices. */
  async show(uri: string): Promise<void> {
    this.switchTo(uri);
    await this.refresh();
  }

  private switchTo(uri: string): void {
    if (uri !== this.uri) {
      this.uri = uri;
      this.choices = { ...INITIAL_CHOICES, depth: this.choices.depth };
      this.statuses = {};
      this.decision = undefined;
    }
  }

  /** Ask the server again and redraw; answers overtaken by a newer refresh are dropped. */
  async refresh(): Promise<void> {
    const uri = this.uri;
    if (uri === undefined) {
      return;
    }
    const generation = ++this.generation;
    try {
      const whole = await this.store.graph(uri);
      const cursor = this.host.cursor();
      const atCursor = cursor !== undefined && cursor.uri === uri ? nodeAtCursor(whole.nodes, uri, cursor.position) : undefined;
      const decision = decideView(uri, whole.totalNodes, whole.nodes, atCursor?.name, this.choices, this.host.settings());
      const drawn = decision.params.focus === undefined ? whole : await this.store.focused(decision.params);
      if (generation !== this.generation) {
        return;
      }
      this.decision = decision;
      this.choices.lastFocus = decision.view.focus ?? this.choices.lastFocus;
      this.send({
        type: 'graph',
        uri,
        title: this.host.title(uri),
        version: drawn.version,
        mermaid: drawn.mermaid,
        view: decision.view,
        problems: countsOf(whole),
        statuses: this.statuses,
      });
    } catch (error) {
      if (generation === this.generation) {
        const message = error instanceof Error ? error.message : String(error);
        this.host.log(`preview: livedag/graph failed: ${message}`);
        this.send({ type: 'error', message: `Could not get the graph: ${message}` });
      }
    }
  }

  /** The server re-analysed a document (or a run changed statuses). */
  async graphChanged(params: GraphChangedParams): Promise<void> {
    const uris = params.uris ?? [params.uri];
    for (const uri of uris) {
      this.store.markStale(uri);
    }
    if (this.uri === undefined || !uris.includes(this.uri)) {
      return;
    }
    this.statuses = params.statuses;
    const settings = this.host.settings();
    const decision = this.decision;
    if (decision !== undefined && decision.view.mode === 'whole' && params.totalNodes <= settings.maxNodes) {
      // Small graph shown whole: the notification already carries the text to draw.
      this.generation++;
      this.decision = {
        view: { ...decision.view, totalNodes: params.totalNodes, mode: params.totalNodes === 0 ? 'empty' : 'whole' },
        params: decision.params,
      };
      this.send({
        type: 'graph',
        uri: this.uri,
        title: this.host.title(this.uri),
        version: params.version,
        mermaid: params.mermaid,
        view: this.decision.view,
        problems: changedCounts(params, this.store.peek(this.uri)),
        statuses: params.statuses,
      });
      return;
    }
    await this.refresh();
  }

  /** The code lens asked for a node's neighbourhood. */
  async focusNode(uri: string, node: string): Promise<void> {
    this.switchTo(uri);
    this.choices.pinnedFocus = node;
    this.choices.wholeRequested = false;
    await this.refresh();
  }

  /** The cursor moved: only a neighbourhood view of a large graph follows it. */
  async cursorMoved(): Promise<void> {
    const uri = this.uri;
    const cursor = this.host.cursor();
    const view = this.decision?.view;
    if (uri === undefined || cursor === undefined || cursor.uri !== uri || view?.mode !== 'neighbourhood' || view.pinned) {
      return;
    }
    const known = this.store.peek(uri);
    const atCursor = known === undefined ? undefined : nodeAtCursor(known.nodes, uri, cursor.position);
    if (atCursor !== undefined && atCursor.name !== view.focus) {
      await this.refresh();
    }
  }

  async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.mailbox.opened();
        return;
      case 'reveal':
        if (this.uri !== undefined) {
          this.host.reveal(this.uri, message.node);
        }
        return;
      case 'copyMermaid':
        this.host.copy(message.text);
        return;
      case 'setDepth':
        this.choices.depth = clampDepth(message.depth);
        await this.refresh();
        return;
      case 'showWhole':
        this.choices.pinnedFocus = null;
        this.choices.wholeRequested = true;
        await this.refresh();
        return;
      case 'showNeighbourhood':
        this.choices.wholeRequested = false;
        await this.refresh();
        return;
      case 'rendered':
        this.host.log(`preview: drew ${message.nodeCount} nodes in ${Math.round(message.millis)} ms`);
        return;
      case 'renderError':
        this.host.log(`preview: mermaid could not draw the graph: ${message.message}`);
        return;
    }
  }

  private send(message: ToWebview): void {
    this.mailbox.send(message);
  }
}
