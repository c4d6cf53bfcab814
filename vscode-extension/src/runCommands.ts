/**
 * The editor commands "livedag: Run Node at Cursor" and "livedag: Cancel Run". The `▶ Run` code
 * lenses come from the server and call its `livedag.run` command through the language client.
 */

import * as vscode from 'vscode';
import type { GraphStore } from './graphStore';
import type { RunOutcome } from './protocol';
import { cancelParams, outcomeSummary, runParams, runTarget, WHOLE_GRAPH_CHOICE } from './run';
import type { LivedagServer } from './server';

/** What a run stopped from the progress notification reports (the client rejects the cancelled request). */
const CANCELLED: RunOutcome = { run: '', status: 'cancelled', ok: false, message: null, missing: [] };

async function runAtCursor(server: CommandSender, store: GraphStore): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'python') {
    void vscode.window.showWarningMessage('livedag: open a Python file to run one of its nodes.');
    return;
  }
  const uri = editor.document.uri.toString();
  const graph = await store.graph(uri);
  const { line, character } = editor.selection.active;
  const target = runTarget(graph.nodes, uri, { line, character });
  let node: string | null;
  if (target.kind === 'none') {
    void vscode.window.showWarningMessage('livedag: this file defines no nodes to run.');
    return;
  }
  if (target.kind === 'node') {
    node = target.node;
  } else {
    const picked = await vscode.window.showQuickPick(target.choices, { placeHolder: 'The cursor is not in a node: run which?' });
    if (picked === undefined) {
      return;
    }
    node = picked === WHOLE_GRAPH_CHOICE ? null : picked;
  }
  const params = runParams(uri, node);
  const answer = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `livedag: running ${node ?? 'the graph'}`, cancellable: true },
    async (_progress, token) => {
      try {
        return await server.executeCommand(params.command, params.arguments, token);
      } catch (error) {
        if (token.isCancellationRequested) {
          return CANCELLED;
        }
        throw error;
      }
    },
  );
  vscode.window.setStatusBarMessage(outcomeSummary(node, answer), 8000);
}

async function cancelRun(server: CommandSender): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return;
  }
  const params = cancelParams(editor.document.uri.toString());
  await server.executeCommand(params.command, params.arguments);
}

function reportingErrors(action: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await action();
    } catch (error) {
      void vscode.window.showErrorMessage(`livedag: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** The part of LivedagServer the commands use. */
export type CommandSender = Pick<LivedagServer, 'executeCommand'>;

export function registerRunCommands(server: CommandSender, store: GraphStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('livedag.runNodeAtCursor', reportingErrors(() => runAtCursor(server, store))),
    vscode.commands.registerCommand('livedag.cancelCurrentRun', reportingErrors(() => cancelRun(server))),
  );
}
