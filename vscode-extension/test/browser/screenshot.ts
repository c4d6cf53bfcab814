/**
 * `npm run screenshot`: media/screenshot.png, the preview page exactly as the browser test loads it,
 * in VSCode's dark theme, drawing examples/text_pipeline with run statuses from the Python renderer.
 */

import * as path from 'node:path';
import { graphMessage, launch, openPreview } from './harness';
import { EXTENSION_ROOT, REPO_ROOT, rendererMermaidWithStatuses } from '../helpers';

const DONE = ['corpus_path', 'raw_documents', 'clean_documents', 'stopwords', 'tokens', 'vocabulary', 'document_count',
  'sentences', 'sentence_lengths', 'document_lengths', 'llm_client'];
const STATUSES: Record<string, string> = {
  ...Object.fromEntries(DONE.map((name) => [name, 'done'])),
  summaries: 'running',
  top_terms: 'failed',
  report: 'skipped',
  mean_sentence_length: 'stale',
};

const DARK_THEME = [
  '--vscode-font-family: "Segoe UI", "Ubuntu", sans-serif',
  '--vscode-font-size: 13px',
  '--vscode-foreground: #cccccc',
  '--vscode-editor-background: #1f1f1f',
  '--vscode-panel-border: #2b2b2b',
  '--vscode-descriptionForeground: #9d9d9d',
  '--vscode-button-background: #0078d4',
  '--vscode-button-foreground: #ffffff',
  '--vscode-button-secondaryBackground: #313131',
  '--vscode-button-secondaryForeground: #cccccc',
  '--vscode-button-secondaryHoverBackground: #3c3c3c',
  '--vscode-input-background: #313131',
  '--vscode-input-foreground: #cccccc',
  '--vscode-errorForeground: #f85149',
].join('; ');

async function main(): Promise<void> {
  const mermaid = rendererMermaidWithStatuses(path.join(REPO_ROOT, 'examples', 'text_pipeline'), STATUSES);
  const browser = await launch();
  try {
    const preview = await openPreview(browser, { width: 1280, height: 640, bodyClass: 'vscode-dark', css: DARK_THEME });
    await preview.send(graphMessage(mermaid, { title: 'text_pipeline/report.py', problems: { errors: 0, warnings: 0 } }));
    await preview.waitForPosted('rendered');
    const out = path.join(EXTENSION_ROOT, 'media', 'screenshot.png');
    await preview.page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}

void main();
