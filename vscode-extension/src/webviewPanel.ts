/**
 * Opening one of the extension's webview pages beside the editor: scripts on, only `dist/` and `media/`
 * readable, kept alive when hidden, and the page built from `webviewPage` resources. Messages from the
 * page are parsed before they reach `onMessage`; anything that does not parse is dropped.
 */

import * as vscode from 'vscode';
import { makeNonce, type PageResources } from './webviewPage';

export interface WebviewPage<Message> {
  viewType: string;
  title: string;
  /** Files in `dist/` and `media/`. */
  script: string;
  style: string;
  html: (resources: PageResources) => string;
  parse: (message: unknown) => Message | undefined;
}

export function openWebviewPanel<Message>(
  extensionUri: vscode.Uri,
  page: WebviewPage<Message>,
  onMessage: (message: Message) => void,
): vscode.WebviewPanel {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel(
    page.viewType,
    page.title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, localResourceRoots: [dist, media], retainContextWhenHidden: true },
  );
  const webview = panel.webview;
  webview.html = page.html({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, page.script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, page.style)).toString(),
  });
  webview.onDidReceiveMessage((message: unknown) => {
    const parsed = page.parse(message);
    if (parsed !== undefined) {
      onMessage(parsed);
    }
  });
  return panel;
}
