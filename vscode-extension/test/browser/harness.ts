/**
 * Loads the real preview page (previewHtml + dist/webview.js + media/preview.css) in headless Debian
 * Chromium, served from a fake webview origin the way VSCode serves `asWebviewUri` resources, with
 * `acquireVsCodeApi` replaced by a recorder. Every other request is refused and remembered.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { makeNonce, previewHtml } from '../../src/preview/html';
import type { FromWebview, ToWebview } from '../../src/protocol';
import { EXTENSION_ROOT } from '../helpers';

export const ORIGIN = 'https://webview.livedag.test';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

export interface PreviewPage {
  page: Page;
  /** Requests that tried to leave the webview origin. */
  foreignRequests: string[];
  posted(): Promise<FromWebview[]>;
  send(message: ToWebview): Promise<void>;
  /** Resolves when the page has posted `count` messages of `type` in total. */
  waitForPosted(type: FromWebview['type'], count?: number): Promise<void>;
  violations(): Promise<string[]>;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PreviewOptions {
  width?: number;
  height?: number;
  bodyClass?: string;
  css?: string;
  /** Receives every message the page posts, as the extension's onDidReceiveMessage would. */
  onPost?: (message: unknown) => void;
}

export async function openPreview(browser: Browser, options: PreviewOptions = {}): Promise<PreviewPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1000, height: options.height ?? 700 } });
  if (options.onPost !== undefined) {
    await page.exposeFunction('__toExtension', options.onPost);
  }
  const foreignRequests: string[] = [];
  const nonce = makeNonce();
  const html = previewHtml({
    cspSource: ORIGIN,
    nonce,
    scriptUri: `${ORIGIN}/dist/webview.js`,
    styleUri: `${ORIGIN}/media/preview.css`,
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      foreignRequests.push(url.href);
      await route.abort();
      return;
    }
    if (url.pathname === '/index.html') {
      await route.fulfill({ contentType: 'text/html', body: html });
      return;
    }
    const file = path.join(EXTENSION_ROOT, url.pathname);
    await route.fulfill({ contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  await page.addInitScript(({ bodyClass, css }) => {
    const w = window as unknown as {
      __posted: unknown[];
      __violations: string[];
      __toExtension?: (message: unknown) => void;
      acquireVsCodeApi: () => unknown;
    };
    w.__posted = [];
    w.__violations = [];
    const postMessage = (message: unknown): void => {
      w.__posted.push(message);
      w.__toExtension?.(message);
    };
    w.acquireVsCodeApi = () => ({ postMessage, getState: () => undefined, setState: () => undefined });
    document.addEventListener('securitypolicyviolation', (event) => w.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    document.addEventListener('DOMContentLoaded', () => {
      if (bodyClass) document.body.classList.add(bodyClass);
      if (css) document.documentElement.setAttribute('style', css);
    });
  }, { bodyClass: options.bodyClass ?? 'vscode-light', css: options.css ?? '' });
  await page.goto(`${ORIGIN}/index.html`);
  const preview: PreviewPage = {
    page,
    foreignRequests,
    posted: () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    waitForPosted: async (type, count = 1) => {
      await page.waitForFunction(
        ([t, n]) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === t).length >= (n as number),
        [type, count] as const,
      );
    },
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  };
  await preview.waitForPosted('ready');
  return preview;
}

export function graphMessage(mermaid: string, extra: Partial<Extract<ToWebview, { type: 'graph' }>> = {}): ToWebview {
  const total = (mermaid.match(/^\s*n\d+[[(]/gm) ?? []).length;
  return {
    type: 'graph',
    uri: 'file:///work/pipeline.py',
    title: 'pipeline.py',
    version: 1,
    mermaid,
    view: { mode: 'whole', focus: null, depth: 2, totalNodes: total, maxNodes: 100, forcedWhole: false, pinned: false },
    problems: { errors: 0, warnings: 0 },
    statuses: {},
    ...extra,
  };
}
