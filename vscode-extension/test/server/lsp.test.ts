/**
 * The real `livedag lsp`, started with the exact process settings the extension uses
 * (serverProcess), driven over stdio from Node with vscode-languageserver-protocol.
 */

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
} from 'vscode-languageserver-protocol/node';
import { checkServerImport } from '../../src/installCheck';
import { nodeAtCursor } from '../../src/nodeAtCursor';
import { GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST, type GraphChangedParams, type GraphResult, type RunOutcome } from '../../src/protocol';
import { runParams } from '../../src/run';
import { DOCUMENT_SELECTOR } from '../../src/serverOptions';
import { drawnNodes } from '../../src/webview/mermaidIds';
import { FIXTURE, NUMBERS_FIXTURE, VENV_PYTHON } from '../helpers';
import { nextNotification, type RunningServer, startServer } from './serverHarness';

describe('the real language server, started like the extension starts it', () => {
  let server: RunningServer;
  let connection: ProtocolConnection;
  const uri = pathToFileURL(FIXTURE).toString();
  const text = readFileSync(FIXTURE, 'utf8');

  before(async () => {
    // The fixtures directory is the workspace: the run worker imports `doubling` from it.
    server = await startServer(path.dirname(FIXTURE));
    connection = server.connection;
    assert.ok(server.initialized.capabilities.textDocumentSync !== undefined);
  });

  after(() => server.stop());

  it('the interpreter passes the import check the extension runs first', async () => {
    assert.deepEqual(await checkServerImport([VENV_PYTHON]), { kind: 'ok' });
    assert.ok(DOCUMENT_SELECTOR.some((selector) => selector.language === 'python' && selector.scheme === 'file'));
  });

  it('publishes diagnostics for an opened file, then answers livedag/graph', async () => {
    const diagnostics = nextNotification<PublishDiagnosticsParams>(
      connection,
      PublishDiagnosticsNotification.method,
      (params) => params.uri === uri,
    );
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text },
    });
    const published = await diagnostics;
    const mismatch = published.diagnostics.find((d) => d.code === 'type-mismatch');
    assert.ok(mismatch, `diagnostics: ${JSON.stringify(published.diagnostics)}`);
    assert.equal(mismatch.range.start.line, 31); // `def shout(word_count: str)`, 0-based

    const graph = await connection.sendRequest<GraphResult>(GRAPH_REQUEST, { uri });
    assert.equal(graph.totalNodes, 8);
    assert.equal(drawnNodes(graph.mermaid).length, 9);
    assert.deepEqual(graph.nodes.filter((n) => n.hasProblems).map((n) => n.name).sort(), ['shout', 'word_count']);
    // The ranges are what Run Node at Cursor and the preview use: line 28 is inside `summary`.
    assert.equal(nodeAtCursor(graph.nodes, uri, { line: 28, character: 4 })?.name, 'summary');

    const focused = await connection.sendRequest<GraphResult>(GRAPH_REQUEST, { uri, focus: 'summary', depth: 1 });
    assert.deepEqual(drawnNodes(focused.mermaid).map((n) => n.name).sort(), ['longest_word', 'summary', 'word_count']);
  });

  it('announces livedag/graphChanged and clears the diagnostic after an edit', async () => {
    const changed = nextNotification<GraphChangedParams>(connection, GRAPH_CHANGED_NOTIFICATION, (p) => (p.uris ?? [p.uri]).includes(uri));
    const cleared = nextNotification<PublishDiagnosticsParams>(
      connection,
      PublishDiagnosticsNotification.method,
      (params) => params.uri === uri && !params.diagnostics.some((d) => d.code === 'type-mismatch'),
    );
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: text.replace('def shout(word_count: str) -> str:', 'def shout(word_count: int) -> str:') }],
    });
    const notification = await changed;
    assert.equal(notification.totalNodes, 8);
    const shoutId = drawnNodes(notification.mermaid).find((n) => n.name === 'shout')?.id;
    const problemLine = notification.mermaid.split('\n').find((line) => /^\s*class \S+ problem$/.test(line)) ?? '';
    assert.ok(shoutId !== undefined && !problemLine.split(/[ ,]/).includes(shoutId), notification.mermaid);
    await cleared;
  });

  it('runs a node with the arguments Run Node at Cursor sends, and reports statuses in livedag/graphChanged', async () => {
    const numbers = pathToFileURL(NUMBERS_FIXTURE).toString();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: numbers, languageId: 'python', version: 1, text: readFileSync(NUMBERS_FIXTURE, 'utf8') },
    });
    const done = nextNotification<GraphChangedParams>(
      connection,
      GRAPH_CHANGED_NOTIFICATION,
      (p) => (p.uris ?? [p.uri]).includes(numbers) && p.statuses.doubled === 'done',
    );
    const params = runParams(numbers, 'doubled');
    const outcome = (await connection.sendRequest(ExecuteCommandRequest.type, params)) as RunOutcome;
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const changed = await done;
    assert.equal(changed.statuses.base, 'done');
  });

  it('answers a run refused for a missing input with the input named', async () => {
    const outcome = (await connection.sendRequest(ExecuteCommandRequest.type, runParams(uri, 'summary'))) as RunOutcome;
    assert.equal(outcome.ok, false);
    assert.deepEqual(outcome.missing, ['path']);
  });
});
