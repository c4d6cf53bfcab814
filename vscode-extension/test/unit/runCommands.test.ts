/** Run Node at Cursor / Cancel Run, with the `vscode` stub and a fake server. */

import * as assert from 'node:assert/strict';
import { GraphStore } from '../../src/graphStore';
import { WHOLE_GRAPH_CHOICE } from '../../src/run';
import { registerRunCommands } from '../../src/runCommands';
import { answer, node } from '../helpers';

const stub = require('vscode') as typeof import('../stub/vscode');
const uri = 'file:///p.py';

function setUp() {
  stub.resetStub();
  const sent: { command: string; args: unknown[] }[] = [];
  const tokens: unknown[] = [];
  const server = {
    executeCommand: (command: string, args: unknown[], token?: unknown) => {
      sent.push({ command, args });
      tokens.push(token);
      return Promise.resolve({ run: 'r1', status: 'done', ok: true, message: null, missing: [] });
    },
  };
  const store = new GraphStore(() => Promise.resolve(answer([node('a', 0, 3), node('b', 5, 9)])));
  const disposable = registerRunCommands(server, store);
  const invoke = (command: string) => stub.recorded.commandCallbacks.get(command)?.() as Promise<void>;
  const cursorAt = (line: number) => {
    stub.window.activeTextEditor = {
      document: { uri: { toString: () => uri }, languageId: 'python' },
      selection: { active: { line, character: 2 } },
    };
  };
  return { sent, tokens, invoke, cursorAt, disposable };
}

describe('run commands in the editor', () => {
  it('runs the node at the cursor and reports the outcome in the status bar', async () => {
    const t = setUp();
    t.cursorAt(7);
    await t.invoke('livedag.runNodeAtCursor');
    assert.deepEqual(t.sent, [{ command: 'livedag.run', args: [{ uri, node: 'b' }] }]);
    assert.deepEqual(stub.recorded.statusBar, ['livedag: run of b done']);
    // The progress notification's Cancel becomes $/cancelRequest through this token.
    assert.deepEqual(t.tokens, [stub.scripted.progressToken]);
  });

  it('asks which node when the cursor is outside every node; the whole graph is node null', async () => {
    const t = setUp();
    t.cursorAt(4);
    stub.scripted.quickPickChoice = WHOLE_GRAPH_CHOICE;
    await t.invoke('livedag.runNodeAtCursor');
    assert.deepEqual(stub.recorded.quickPicks, [[WHOLE_GRAPH_CHOICE, 'a', 'b']]);
    assert.deepEqual(t.sent, [{ command: 'livedag.run', args: [{ uri, node: null }] }]);
  });

  it('sends nothing when the pick is dismissed', async () => {
    const t = setUp();
    t.cursorAt(4);
    await t.invoke('livedag.runNodeAtCursor');
    assert.deepEqual(t.sent, []);
  });

  it('reports a run stopped from the progress notification as cancelled, not as an error', async () => {
    stub.resetStub();
    const token = { isCancellationRequested: true, onCancellationRequested: () => new stub.Disposable() };
    stub.scripted.progressToken = token;
    const store = new GraphStore(() => Promise.resolve(answer([node('a', 0, 3)])));
    registerRunCommands({ executeCommand: () => Promise.reject(new Error('Request cancelled')) }, store);
    stub.window.activeTextEditor = { document: { uri: { toString: () => uri }, languageId: 'python' }, selection: { active: { line: 1, character: 0 } } };
    await (stub.recorded.commandCallbacks.get('livedag.runNodeAtCursor')?.() as Promise<void>);
    assert.deepEqual(stub.recorded.statusBar, ['livedag: run of a cancelled']);
    assert.equal(stub.recorded.errorMessages.length, 0);
  });

  it('cancels the run of the active file', async () => {
    const t = setUp();
    t.cursorAt(1);
    await t.invoke('livedag.cancelCurrentRun');
    assert.deepEqual(t.sent, [{ command: 'livedag.cancelRun', args: [{ uri }] }]);
  });
});
