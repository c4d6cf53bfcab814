import * as assert from 'node:assert/strict';
import { GraphStore } from '../../src/graphStore';
import { type Cursor, PreviewController, type PreviewHost } from '../../src/preview/controller';
import type { GraphParams, GraphResult, ToWebview } from '../../src/protocol';
import { answer, node } from '../helpers';

const uri = 'file:///p.py';
type GraphMessage = Extract<ToWebview, { type: 'graph' }>;

/** A fake server answering `livedag/graph` from a fixed node list, recording every request. */
function harness(nodes = [node('a', 0, 2), node('b', 3, 5), node('c', 6, 8), node('d', 9, 11)], maxNodes = 10) {
  const requests: GraphParams[] = [];
  const posted: ToWebview[] = [];
  const revealed: string[] = [];
  const copied: string[] = [];
  let cursor: Cursor | undefined = { uri, position: { line: 4, character: 0 } };
  const store = new GraphStore((params) => {
    requests.push(params);
    const result: GraphResult = params.focus === undefined
      ? answer(nodes)
      : answer(nodes.filter((n) => n.name === params.focus), { mermaid: `focused ${params.focus} ${params.depth}`, focus: params.focus, depth: params.depth ?? null });
    return Promise.resolve(result);
  });
  const host: PreviewHost = {
    post: (message) => posted.push(message),
    cursor: () => cursor,
    settings: () => ({ maxNodes, defaultDepth: 2 }),
    reveal: (_uri, name) => revealed.push(name),
    copy: (text) => copied.push(text),
    title: () => 'p.py',
    log: () => undefined,
  };
  const controller = new PreviewController(store, host);
  const lastGraph = (): GraphMessage => {
    const last = posted[posted.length - 1];
    assert.ok(last !== undefined && last.type === 'graph');
    return last;
  };
  return {
    controller, requests, posted, revealed, copied, lastGraph,
    moveCursor: (line: number) => { cursor = { uri, position: { line, character: 0 } }; },
  };
}

describe('PreviewController', () => {
  it('waits for the page to be ready, then sends the latest graph only', async () => {
    const h = harness();
    await h.controller.show(uri);
    await h.controller.show(uri);
    assert.equal(h.posted.length, 0);
    await h.controller.onMessage({ type: 'ready' });
    assert.equal(h.posted.length, 1);
    assert.equal(h.lastGraph().view.mode, 'whole');
  });

  it('draws a small graph from the notification without asking the server again', async () => {
    const h = harness();
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    const asked = h.requests.length;
    await h.controller.graphChanged({ uri, version: 7, mermaid: 'flowchart LR\n  n0["a"]\n', totalNodes: 1, statuses: { a: 'done' } });
    assert.equal(h.requests.length, asked);
    assert.equal(h.lastGraph().mermaid, 'flowchart LR\n  n0["a"]\n');
    assert.deepEqual(h.lastGraph().statuses, { a: 'done' });
  });

  it('ignores notifications for other files but forgets their cached graph', async () => {
    const h = harness();
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    const posted = h.posted.length;
    await h.controller.graphChanged({ uri: 'file:///other.py', version: 1, mermaid: '', totalNodes: 0, statuses: {} });
    assert.equal(h.posted.length, posted);
  });

  it('past maxNodes asks for the neighbourhood of the node at the cursor and follows the cursor', async () => {
    const h = harness(undefined, 3);
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    assert.deepEqual(h.requests.at(-1), { uri, focus: 'b', depth: 2 });
    assert.equal(h.lastGraph().mermaid, 'focused b 2');
    assert.equal(h.lastGraph().view.mode, 'neighbourhood');
    h.moveCursor(7);
    await h.controller.cursorMoved();
    assert.deepEqual(h.requests.at(-1), { uri, focus: 'c', depth: 2 });
    const count = h.requests.length;
    h.moveCursor(8); // same node: nothing to do
    await h.controller.cursorMoved();
    assert.equal(h.requests.length, count);
  });

  it('re-asks for the neighbourhood when a large graph changes', async () => {
    const h = harness(undefined, 3);
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    await h.controller.graphChanged({ uri, version: 2, mermaid: 'whole text', totalNodes: 4, statuses: {} });
    assert.deepEqual(h.requests.slice(-2), [{ uri }, { uri, focus: 'b', depth: 2 }]);
    assert.equal(h.lastGraph().mermaid, 'focused b 2');
  });

  it('obeys the depth control and the whole-graph button', async () => {
    const h = harness(undefined, 3);
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    await h.controller.onMessage({ type: 'setDepth', depth: 4 });
    assert.deepEqual(h.requests.at(-1), { uri, focus: 'b', depth: 4 });
    await h.controller.onMessage({ type: 'showWhole' });
    assert.equal(h.lastGraph().view.forcedWhole, true);
    assert.equal(h.lastGraph().view.mode, 'whole');
    await h.controller.onMessage({ type: 'showNeighbourhood' });
    assert.equal(h.lastGraph().view.mode, 'neighbourhood');
    assert.equal(h.lastGraph().view.depth, 4);
  });

  it('follows a change announced for any file of a multi-file graph', async () => {
    const h = harness();
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    await h.controller.graphChanged({ uri: 'file:///other.py', uris: ['file:///other.py', uri], version: 3, mermaid: 'changed', totalNodes: 4, statuses: {} });
    assert.equal(h.lastGraph().mermaid, 'changed');
    assert.equal(h.lastGraph().uri, uri);
  });

  it('pins the neighbourhood of a node picked with the code lens until the whole graph is asked for', async () => {
    const h = harness();
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.focusNode(uri, 'd');
    assert.deepEqual(h.requests.at(-1), { uri, focus: 'd', depth: 2 });
    assert.equal(h.lastGraph().view.pinned, true);
    h.moveCursor(0);
    await h.controller.cursorMoved();
    assert.deepEqual(h.requests.at(-1), { uri, focus: 'd', depth: 2 });
    await h.controller.onMessage({ type: 'showWhole' });
    assert.equal(h.lastGraph().view.mode, 'whole');
    assert.equal(h.lastGraph().view.forcedWhole, false);
  });

  it('reveals and copies through the host', async () => {
    const h = harness();
    await h.controller.show(uri);
    await h.controller.onMessage({ type: 'reveal', node: 'c' });
    await h.controller.onMessage({ type: 'copyMermaid', text: 'flowchart LR' });
    assert.deepEqual(h.revealed, ['c']);
    assert.deepEqual(h.copied, ['flowchart LR']);
  });

  it('drops an answer overtaken by a newer refresh', async () => {
    const posted: ToWebview[] = [];
    let release: (value: GraphResult) => void = () => undefined;
    const slow = new Promise<GraphResult>((resolve) => { release = resolve; });
    let calls = 0;
    const store = new GraphStore(() => (++calls === 1 ? slow : Promise.resolve(answer([node('fresh', 0, 1)]))));
    const controller = new PreviewController(store, {
      post: (m) => posted.push(m), cursor: () => undefined, settings: () => ({ maxNodes: 10, defaultDepth: 2 }),
      reveal: () => undefined, copy: () => undefined, title: () => 't', log: () => undefined,
    });
    await controller.onMessage({ type: 'ready' });
    const first = controller.show(uri);
    store.markStale(uri);
    await controller.show('file:///q.py');
    release(answer([node('old', 0, 1)]));
    await first;
    assert.equal(posted.length, 1);
    const only = posted[0];
    assert.ok(only?.type === 'graph');
    assert.equal(only.uri, 'file:///q.py');
  });

  it('reports a failed request in the pane', async () => {
    const posted: ToWebview[] = [];
    const store = new GraphStore(() => Promise.reject(new Error('server not running')));
    const controller = new PreviewController(store, {
      post: (m) => posted.push(m), cursor: () => undefined, settings: () => ({ maxNodes: 10, defaultDepth: 2 }),
      reveal: () => undefined, copy: () => undefined, title: () => 't', log: () => undefined,
    });
    await controller.onMessage({ type: 'ready' });
    await controller.show(uri);
    assert.deepEqual(posted, [{ type: 'error', message: 'Could not get the graph: server not running' }]);
  });
});
