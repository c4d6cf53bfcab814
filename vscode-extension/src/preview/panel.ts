/**
 * The graph preview as a VSCode webview panel beside the editor: builds the page (CSP + nonce +
 * localResourceRoots), and wires editor events, server notifications and webview messages to the
 * PreviewController, which holds all the behaviour.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphStore } from '../graphStore';
import { definitionOf } from '../nodeAtCursor';
import { parseFromWebview } from '../protocol';
import type { LivedagServer } from '../server';
import { type Cursor, PreviewController, type PreviewHost } from './controller';
import { openWebviewPanel } from '../webviewPanel';
import { previewHtml } from './html';
import type { PreviewSettings } from './state';

const CURSOR_DEBOUNCE_MS = 250;

function isPython(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return editor !== undefined && editor.document.languageId === 'python';
}

export class GraphPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private controller: PreviewController | undefined;
  private lastEditor: vscode.TextEditor | undefined;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: LivedagServer,
    private readonly store: GraphStore,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (isPython(editor)) {
          this.lastEditor = editor;
          void this.controller?.show(editor.document.uri.toString());
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (isPython(event.textEditor) && this.controller !== undefined) {
          this.lastEditor = event.textEditor;
          clearTimeout(this.cursorTimer);
          this.cursorTimer = setTimeout(() => void this.controller?.cursorMoved(), CURSOR_DEBOUNCE_MS);
        }
      }),
      server.onGraphChanged((params) => {
        if (this.controller !== undefined) {
          void this.controller.graphChanged(params);
        } else {
          (params.uris ?? [params.uri]).forEach((uri) => this.store.markStale(uri));
        }
      }),
      // Any edit may move definitions without changing the drawing (no graphChanged): forget the ranges.
      vscode.workspace.onDidChangeTextDocument((event) => this.store.markStale(event.document.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('livedag.preview')) {
          void this.controller?.refresh();
        }
      }),
      server.onFocusRequested(({ uri, node }) => {
        this.ensurePanel();
        void this.controller?.focusNode(uri, node);
      }),
      server.onStarted(() => {
        this.store.clear();
        void this.controller?.refresh();
      }),
    );
  }

  show(): void {
    const editor = vscode.window.activeTextEditor;
    if (isPython(editor)) {
      this.lastEditor = editor;
    }
    this.ensurePanel();
    if (this.lastEditor !== undefined) {
      void this.controller?.show(this.lastEditor.document.uri.toString());
    }
  }

  private ensurePanel(): void {
    if (this.panel === undefined) {
      this.createPanel();
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
  }

  private createPanel(): void {
    const page = {
      viewType: 'livedag.graphPreview',
      title: 'livedag graph',
      script: 'webview.js',
      style: 'preview.css',
      html: previewHtml,
      parse: parseFromWebview,
    };
    const panel = openWebviewPanel(this.extensionUri, page, (message) => void controller.onMessage(message));
    const controller = new PreviewController(this.store, this.host(panel.webview));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.controller = undefined;
    });
    this.panel = panel;
    this.controller = controller;
  }

  private host(webview: vscode.Webview): PreviewHost {
    return {
      post: (message) => void webview.postMessage(message),
      cursor: (): Cursor | undefined => {
        const editor = this.lastEditor;
        if (editor === undefined) {
          return undefined;
        }
        const { line, character } = editor.selection.active;
        return { uri: editor.document.uri.toString(), position: { line, character } };
      },
      settings: (): PreviewSettings => {
        const config = vscode.workspace.getConfiguration('livedag.preview');
        return { maxNodes: config.get<number>('maxNodes', 100), defaultDepth: config.get<number>('depth', 2) };
      },
      reveal: (uri, node) => void this.reveal(uri, node),
      copy: (text) => {
        void vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage('livedag: Mermaid text copied', 3000);
      },
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
    const { start, end } = target.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), {
      viewColumn: this.lastEditor?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Range(range.start, range.start),
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}
