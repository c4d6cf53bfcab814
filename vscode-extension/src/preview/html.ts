/**
 * The preview page: a static shell whose only script is the bundled webview code (mermaid included),
 * allowed by a per-load nonce. Nothing is loaded from the network: every URL is a local resource
 * converted by the caller with `asWebviewUri`. Pure, so a browser test can load the exact same page.
 */

import { makeNonce, type PageResources, pageHtml } from '../webviewPage';

export { makeNonce };
export type PreviewPageResources = PageResources;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // mermaid writes <style> elements and style attributes into the SVG it builds.
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function previewHtml(resources: PreviewPageResources): string {
  const csp = contentSecurityPolicy(resources.cspSource, resources.nonce);
  return pageHtml(
    resources,
    csp,
    'livedag graph',
    `<header id="toolbar">
  <span id="title" class="title">livedag</span>
  <span id="problems" class="problems" hidden></span>
  <span class="spacer"></span>
  <span id="depth-control" class="group" hidden>
    <label for="depth">depth</label>
    <button id="depth-down" title="Fewer edges around the focused node" aria-label="decrease depth">−</button>
    <input id="depth" type="number" min="1" max="10" value="2">
    <button id="depth-up" title="More edges around the focused node" aria-label="increase depth">+</button>
  </span>
  <button id="whole" hidden>Show whole graph</button>
  <button id="neighbourhood" hidden>Show neighbourhood</button>
  <span class="group">
    <button id="zoom-out" title="Zoom out" aria-label="zoom out">−</button>
    <button id="zoom-fit" title="Fit to pane" aria-label="fit">Fit</button>
    <button id="zoom-in" title="Zoom in" aria-label="zoom in">+</button>
  </span>
  <button id="copy" title="Copy the Mermaid text">Copy Mermaid</button>
</header>
<div id="notice" class="notice" role="status"></div>
<main id="canvas" tabindex="0"><div id="viewport"><div id="graph" class="placeholder">Waiting for the language server…</div></div></main>`,
  );
}
