/** The preview page in headless Chromium with a graph drawn by the real Python renderer. */

import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { FIXTURE, rendererMermaid, rendererMermaidWithStatuses } from '../helpers';
import { graphMessage, launch, openPreview, type PreviewPage } from './harness';

describe('preview webview (headless Chromium)', () => {
  let browser: Browser;
  let preview: PreviewPage;
  const mermaid = rendererMermaid(FIXTURE);

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    preview = await openPreview(browser);
  });
  afterEach(async () => {
    await preview.page.close();
  });

  it('draws every node and edge, marks problem nodes, and loads nothing from the network', async () => {
    await preview.send(graphMessage(mermaid, { problems: { errors: 1, warnings: 0 } }));
    await preview.waitForPosted('rendered');
    const page = preview.page;
    assert.equal(await page.locator('#graph svg g.node').count(), 9); // 8 nodes + the input `path`
    assert.equal(await page.locator('#graph svg .flowchart-link').count(), 9);
    assert.equal(await page.locator('#graph svg g.node.problem').count(), 2);
    assert.equal(await page.locator('#graph g.node.livedag-clickable').count(), 9);
    const rendered = (await preview.posted()).find((m) => m.type === 'rendered');
    assert.equal(rendered?.type === 'rendered' && rendered.nodeCount, 9);
    assert.equal(await page.locator('#problems').textContent(), '1 error');
    assert.equal(await page.locator('#notice').textContent(), '8 nodes.');
    assert.equal(await page.locator('#depth-control').isVisible(), false);
    assert.equal(await page.locator('#whole').isVisible(), false);
    assert.deepEqual(await preview.violations(), []);
    assert.deepEqual(preview.foreignRequests, []);
  });

  it('posts a reveal message when a node is clicked or activated with the keyboard', async () => {
    await preview.send(graphMessage(mermaid));
    await preview.waitForPosted('rendered');
    await preview.page.locator('#graph g.node[data-livedag-node="summary"]').click();
    await preview.page.locator('#graph g.node[data-livedag-node="path"]').click();
    await preview.page.locator('#graph g.node[data-livedag-node="shout"]').focus();
    await preview.page.keyboard.press('Enter');
    const reveals = (await preview.posted()).filter((m) => m.type === 'reveal');
    assert.deepEqual(reveals, [
      { type: 'reveal', node: 'summary' },
      { type: 'reveal', node: 'path' },
      { type: 'reveal', node: 'shout' },
    ]);
  });

  it('copies the Mermaid text and zooms without posting reveals', async () => {
    await preview.send(graphMessage(mermaid));
    await preview.waitForPosted('rendered');
    await preview.page.locator('#copy').click();
    const before = await preview.page.locator('#viewport').getAttribute('style');
    await preview.page.locator('#zoom-in').click();
    assert.notEqual(await preview.page.locator('#viewport').getAttribute('style'), before);
    const posted = await preview.posted();
    assert.deepEqual(posted.filter((m) => m.type === 'copyMermaid'), [{ type: 'copyMermaid', text: mermaid }]);
    assert.equal(posted.filter((m) => m.type === 'reveal').length, 0);
  });

  it('shows a neighbourhood with its depth control and a whole-graph button, and says so', async () => {
    const focused = rendererMermaid(FIXTURE, '--focus', 'summary', '--depth', '1');
    await preview.send(graphMessage(focused, {
      view: { mode: 'neighbourhood', focus: 'summary', depth: 1, totalNodes: 8, maxNodes: 5, forcedWhole: false, pinned: false },
    }));
    await preview.waitForPosted('rendered');
    const page = preview.page;
    assert.equal(await page.locator('#graph svg g.node').count(), 3);
    assert.match(await page.locator('#notice').textContent() ?? '', /Large graph \(8 nodes > livedag.preview.maxNodes = 5\): showing 3 nodes within 1 edge of summary/);
    assert.ok(await page.locator('#depth-control').isVisible());
    await page.locator('#depth-up').click();
    await page.locator('#whole').click();
    const posted = await preview.posted();
    assert.deepEqual(posted.filter((m) => m.type === 'setDepth' || m.type === 'showWhole'), [{ type: 'setDepth', depth: 2 }, { type: 'showWhole' }]);
  });

  it('redraws with the dark mermaid theme when VSCode switches theme', async () => {
    await preview.send(graphMessage(mermaid));
    await preview.waitForPosted('rendered');
    const lightFill = await preview.page.locator('#graph svg .flowchart-link').first().evaluate((e) => getComputedStyle(e).stroke);
    await preview.page.evaluate(() => {
      document.body.classList.remove('vscode-light');
      document.body.classList.add('vscode-dark');
    });
    await preview.waitForPosted('rendered', 2);
    const darkFill = await preview.page.locator('#graph svg .flowchart-link').first().evaluate((e) => getComputedStyle(e).stroke);
    assert.notEqual(darkFill, lightFill);
  });

  it('colours nodes by run status', async () => {
    const statuses = { raw_text: 'done', lines: 'done', words: 'running', word_count: 'failed', summary: 'skipped', tokens: 'stale' };
    await preview.send(graphMessage(rendererMermaidWithStatuses(FIXTURE, statuses)));
    await preview.waitForPosted('rendered');
    const count = (status: string) => preview.page.locator(`#graph svg g.node.${status}`).count();
    assert.deepEqual(
      await Promise.all(['done', 'running', 'failed', 'skipped', 'stale'].map(count)),
      [2, 1, 1, 1, 1],
    );
    const failedFill = await preview.page.locator('#graph g.node.failed .label-container, #graph g.node.failed rect, #graph g.node.failed polygon').first()
      .evaluate((e) => getComputedStyle(e).fill);
    assert.equal(failedFill, 'rgb(255, 217, 217)'); // #ffd9d9 from the renderer's classDef failed
  });

  it('shows a server error in the pane', async () => {
    await preview.send({ type: 'error', message: 'Could not get the graph: boom' });
    await preview.page.locator('#notice.error').waitFor();
    assert.equal(await preview.page.locator('#notice').textContent(), 'Could not get the graph: boom');
  });
});
