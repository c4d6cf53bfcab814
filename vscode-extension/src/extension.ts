/**
 * Entry point: composes the features (server, graph preview, run commands) and registers the
 * palette commands. Holds no logic of its own.
 */

import * as vscode from 'vscode';
import { GraphStore } from './graphStore';
import { GraphPreview } from './preview/panel';
import { registerRunCommands } from './runCommands';
import { LivedagServer } from './server';
import { TimelineView } from './timeline/panel';

let running: LivedagServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const server = new LivedagServer();
  running = server;
  const store = new GraphStore((params) => server.requestGraph(params));
  const preview = new GraphPreview(context.extensionUri, server, store);
  const timeline = new TimelineView(context.extensionUri, server, store);
  context.subscriptions.push(
    server,
    preview,
    timeline,
    registerRunCommands(server, store),
    vscode.commands.registerCommand('livedag.showGraphPreview', () => preview.show()),
    vscode.commands.registerCommand('livedag.showTimeline', () => timeline.show()),
    vscode.commands.registerCommand('livedag.restartServer', () => server.restart()),
    vscode.commands.registerCommand('livedag.showOutput', () => server.output.show(true)),
  );
  await server.activate();
}

export function deactivate(): Promise<void> | undefined {
  return running?.stop();
}
