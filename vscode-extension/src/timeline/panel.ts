/**
 * The Timeline view as a VSCode webview panel beside the editor (`livedag: Show Run Timeline`): builds
 * the page (CSP + nonce + localResourceRoots), and wires the active Python editor, the server's
 * `livedag/runFinished` notifications and webview messages to the TimelineController.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphStore } from '../graphStore';
import { definitionOf } from '../nodeAtCursor';
import { openWebviewPanel } from '../webviewPanel';
import { parseFromTimelineWebview } from '../protocol';
import type { LivedagServer } from '../server';
import { TimelineController, type TimelineHost } from './controller';
import { timelineHtml } from './html';

function pythonUri(editor: vscode.TextEditor | undefined): string | undefined {
  return editor !== undefined && editor.document.languageId === 'python' ? editor.document.uri.toString() : undefined;
}

export class TimelineView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private controller: TimelineController | undefined;
  private lastUri: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: LivedagServer,
    private readonly store: GraphStore,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const uri = pythonUri(editor);
        if (uri !== undefined) {
          this.lastUri = uri;
          void this.controller?.show(uri);
        }
      }),
      server.onRunFinished((params) => void this.controller?.runFinished(params)),
      server.onStarted(() => void this.controller?.refresh()),
    );
  }

  show(): void {
    this.lastUri = pythonUri(vscode.window.activeTextEditor) ?? this.lastUri;
    if (this.panel === undefined) {
      this.createPanel();
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    if (this.lastUri !== undefined) {
      void this.controller?.show(this.lastUri);
    }
  }

  private createPanel(): void {
    const page = {
      viewType: 'livedag.timeline',
      title: 'livedag timeline',
      script: 'timeline.js',
      style: 'timeline.css',
      html: timelineHtml,
      parse: parseFromTimelineWebview,
    };
    const panel = openWebviewPanel(this.extensionUri, page, (message) => void controller.onMessage(message));
    const controller = new TimelineController(this.host(panel.webview));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.controller = undefined;
    });
    this.panel = panel;
    this.controller = controller;
  }

  private host(webview: vscode.Webview): TimelineHost {
    return {
      request: (uri) => this.server.requestTimeline({ uri }),
      post: (message) => void webview.postMessage(message),
      reveal: (uri, node) => void this.reveal(uri, node),
      title: (uri) => path.basename(vscode.Uri.parse(uri).path),
      log: (message) => this.server.output.appendLine(message),
    };
  }

  private async reveal(uri: string, node: string): Promise<void> {
    const graph = await this.store.graph(uri);
    const target = definitionOf(graph.nodes, graph.inputs, node);
    if (target === undefined) {
      return;
    }
    const { start } = target.range;
    const at = new vscode.Position(start.line, start.character);
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(at, at),
    });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}
