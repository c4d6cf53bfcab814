/**
 * The shell both webview pages share (the graph preview and the run timeline): a CSP meta tag, one
 * stylesheet and one script allowed by a per-load nonce. Nothing is loaded from the network: every URL is
 * a local resource the caller converted with `asWebviewUri`. Pure, so tests and the browser harness read
 * the exact page VS Code shows.
 */

import { randomBytes } from 'node:crypto';

export interface PageResources {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page around `body`, under `csp`, with the resources' stylesheet and script. */
export function pageHtml(resources: PageResources, csp: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>${title}</title>
</head>
<body>
${body}
<script nonce="${escapeAttribute(resources.nonce)}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}
