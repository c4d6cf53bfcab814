/**
 * The Timeline page: a static shell whose only script is the bundled timeline code, allowed by a
 * per-load nonce. Nothing is loaded from the network and no inline style is allowed: bars are placed
 * through the CSSOM (`element.style`), which a CSP does not restrict. Pure, so tests read the same page.
 */

import { type PageResources, pageHtml } from '../webviewPage';

export type TimelinePageResources = PageResources;

export function timelineCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`].join(
    '; ',
  );
}

export function timelineHtml(resources: TimelinePageResources): string {
  const csp = timelineCsp(resources.cspSource, resources.nonce);
  return pageHtml(
    resources,
    csp,
    'livedag timeline',
    `<header id="toolbar">
  <span id="title" class="title">livedag timeline</span>
  <span id="summary" class="summary"></span>
  <span class="spacer"></span>
  <span id="legend" class="legend"></span>
  <button id="refresh" title="Read the last run again">Refresh</button>
</header>
<div id="notice" class="notice" role="status">Waiting for the language server…</div>
<main id="timeline" tabindex="0" aria-label="Run timeline"></main>`,
  );
}
