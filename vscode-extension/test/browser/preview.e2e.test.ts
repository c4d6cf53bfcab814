/**
 * The whole preview path without VSCode: the real server answers livedag/graph and sends
 * livedag/graphChanged, the PreviewController decides what to draw, the real page draws it in
 * headless Chromium, and the page's messages (click, depth) go back to the controller.
 */

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { GraphStore } from '../../src/graphStore';
import { type Definition, definitionOf } from '../../src/nodeAtCursor';
import { PreviewController } from '../../src/preview/controller';
import { GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST, type GraphChangedParams, type GraphResult, parseFromWebview } from '../../src/protocol';
import { FIXTURE } from '../helpers';
import { type RunningServer, startServer } from '../server/serverHarness';
import { launch, openPreview, type PreviewPage } from './harness';

describe('graph preview end to end: real server, controller, page in Chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  let preview: PreviewPage;
  let controller: PreviewController;
  const uri = pathToFileURL(FIXTURE).toString();
  const text = readFileSync(FIXTURE, 'utf8');
  const revealed: { node: string; definition: Definition | undefined }[] = [];
  let onReveal: () => void = () => undefined;

  before(async () => {
    browser = await launch();
    server = await startServer(path.dirname(FIXTURE));
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text },
    });
    const store = new GraphStore((params) => server.connection.sendRequest<GraphResult>(GRAPH_REQUEST, params));
    let pageReady: (page: PreviewPage) => void = () => undefined;
    const page = new Promise<PreviewPage>((resolve) => { pageReady = resolve; });
    controller = new PreviewController(store, {
      post: (message) => void page.then((p) => p.send(message)),
      cursor: () => ({ uri, position: { line: 28, character: 4 } }), // inside `summary`
      settings: () => ({ maxNodes: 5, defaultDepth: 1 }), // the fixture's 8 nodes count as a large graph
      reveal: (target, node) => void store.graph(target).then((graph) => {
        revealed.push({ node, definition: definitionOf(graph.nodes, graph.inputs, node) });
        onReveal();
      }),
      copy: () => undefined,
      title: (target) => path.basename(target),
      log: () => undefined,
    });
    server.connection.onNotification(GRAPH_CHANGED_NOTIFICATION, (params: GraphChangedParams) => void controller.graphChanged(params));
    preview = await openPreview(browser, {
      onPost: (message) => {
        const parsed = parseFromWebview(message);
        if (parsed !== undefined) {
          void controller.onMessage(parsed);
        }
      },
    });
    pageReady(preview);
  });

  after(async () => {
    await server.stop();
    await browser.close();
  });

  /** Waits until the page shows exactly these nodes (a drawing the server's notifications may trigger in between is fine). */
  const waitForDrawn = (names: string[]): Promise<unknown> =>
    preview.page.waitForFunction((expected) => {
      const shown = Array.from(document.querySelectorAll<HTMLElement>('#graph g.node[data-livedag-node]'))
        .map((n) => n.dataset.livedagNode ?? '').sort();
      return JSON.stringify(shown) === JSON.stringify(expected);
    }, [...names].sort());

  it('draws the neighbourhood of the node at the cursor for a graph past maxNodes, and says so', async () => {
    await controller.show(uri);
    await waitForDrawn(['longest_word', 'summary', 'word_count']);
    assert.equal(
      await preview.page.locator('#notice').textContent(),
      'Large graph (8 nodes > livedag.preview.maxNodes = 5): showing 3 nodes within 1 edge of summary (the node at the cursor).',
    );
    assert.equal(await preview.page.locator('#graph g.node.problem').count(), 1); // word_count feeds shout a str
  });

  it('a click on a node reveals its definition', async () => {
    const done = new Promise<void>((resolve) => { onReveal = resolve; });
    await preview.page.locator('#graph g.node[data-livedag-node="word_count"]').click();
    await done;
    assert.equal(revealed.at(-1)?.node, 'word_count');
    assert.equal(revealed.at(-1)?.definition?.range.start.line, 19); // `async def word_count(...)`, 0-based
    assert.equal(revealed.at(-1)?.definition?.uri, uri);
  });

  it('the depth control widens the neighbourhood', async () => {
    await preview.page.locator('#depth-up').click();
    await waitForDrawn(['longest_word', 'shout', 'summary', 'word_count', 'words']);
    assert.equal(await preview.page.locator('#depth').inputValue(), '2');
  });

  it('an edit re-draws through livedag/graphChanged', async () => {
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: `${text}\n\ndef report(summary: dict[str, object]) -> str:\n    return str(summary)\n` }],
    });
    await waitForDrawn(['longest_word', 'report', 'shout', 'summary', 'word_count', 'words']);
    assert.match(await preview.page.locator('#notice').textContent() ?? '', /^Large graph \(9 nodes/);
  });
});
