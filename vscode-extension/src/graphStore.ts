/**
 * The last whole-graph `livedag/graph` answer per document, shared by the preview and the run
 * commands. An answer is marked stale when the server announces a change; the next reader asks again.
 */

import type { GraphParams, GraphResult } from './protocol';

export type GraphRequester = (params: GraphParams) => Promise<GraphResult>;

export class GraphStore {
  private readonly answers = new Map<string, { result: GraphResult; stale: boolean }>();

  constructor(private readonly request: GraphRequester) {}

  /** The whole-graph answer for `uri`, asking the server when there is none or it is stale. */
  async graph(uri: string): Promise<GraphResult> {
    const known = this.answers.get(uri);
    if (known !== undefined && !known.stale) {
      return known.result;
    }
    const result = await this.request({ uri });
    this.answers.set(uri, { result, stale: false });
    return result;
  }

  /** A focused answer is never cached: it is drawn once. */
  focused(params: GraphParams): Promise<GraphResult> {
    return this.request(params);
  }

  /** The last answer even when stale (for a synchronous best guess), or undefined. */
  peek(uri: string): GraphResult | undefined {
    return this.answers.get(uri)?.result;
  }

  isFresh(uri: string): boolean {
    const known = this.answers.get(uri);
    return known !== undefined && !known.stale;
  }

  markStale(uri: string): void {
    const known = this.answers.get(uri);
    if (known !== undefined) {
      known.stale = true;
    }
  }

  clear(): void {
    this.answers.clear();
  }
}
