/**
 * The Timeline page: a static shell whose only script is the bundled timeline code, allowed by a
 * per-load nonce. Nothing is loaded from the network and no inline style is allowed: bars are placed
 * through the CSSOM (`element.style`), which a CSP does not restrict. Pure, so tests read the same page.
 */

export interface TimelinePageResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function timelineCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`].join(
    '; ',
  );
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function timelineHtml(resources: TimelinePageResources): string {
  const csp = timelineCsp(resources.cspSource, resources.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>livedag timeline</title>
</head>
<body>
<header id="toolbar">
  <span id="title" class="title">livedag timeline</span>
  <span id="summary" class="summary"></span>
  <span class="spacer"></span>
  <span id="legend" class="legend"></span>
  <button id="refresh" title="Read the last run again">Refresh</button>
</header>
<div id="notice" class="notice" role="status">Waiting for the language server…</div>
<main id="timeline" tabindex="0" aria-label="Run timeline"></main>
<script nonce="${escapeAttribute(resources.nonce)}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}
