/**
 * `npm run measure-preview`: how long the preview page takes to draw graphs of growing size (mermaid
 * layout in headless Chromium, timed by the page itself), to choose livedag.preview.maxNodes.
 * Graphs are written as Python source and drawn by the real renderer.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { graphMessage, launch, openPreview } from './harness';
import { rendererMermaid } from '../helpers';

/** n nodes, each depending on the one or two before it (about 2 edges per node). */
function layeredSource(n: number): string {
  const lines = ['def node0(seed: int) -> int:', '    return seed', ''];
  for (let i = 1; i < n; i++) {
    const params = i >= 2 ? `node${i - 1}: int, node${Math.floor(i / 2)}: int` : `node${i - 1}: int`;
    lines.push(`def node${i}(${params}) -> int:`, '    return 1', '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'livedag-measure-'));
  const browser = await launch();
  try {
    for (const size of [25, 50, 100, 200]) {
      const file = path.join(dir, `graph${size}.py`);
      writeFileSync(file, layeredSource(size));
      const mermaid = rendererMermaid(file);
      const preview = await openPreview(browser);
      await preview.send(graphMessage(mermaid));
      await preview.waitForPosted('rendered');
      const rendered = (await preview.posted()).find((m) => m.type === 'rendered');
      const edges = (mermaid.match(/-->|-\.->/g) ?? []).length;
      if (rendered?.type === 'rendered') {
        console.log(`${size} nodes, ${edges} edges: drawn in ${Math.round(rendered.millis)} ms`);
      }
      await preview.page.close();
    }
  } finally {
    await browser.close();
  }
}

void main();
