/**
 * `npm run screenshot`: media/screenshot.png, the preview page exactly as the browser test loads it,
 * in VSCode's dark theme, drawing examples/text_pipeline with run statuses from the Python renderer.
 */

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { graphMessage, launch, openPreview } from './harness';
import { EXTENSION_ROOT, REPO_ROOT, VENV_PYTHON } from '../helpers';

const RENDER = `
import sys
from livedag.cli.sources import read_sources
from livedag.graph import Graph
from livedag.render import to_mermaid
graph = Graph.from_sources(read_sources([sys.argv[1]]))
done = ["corpus_path", "raw_documents", "clean_documents", "stopwords", "tokens", "vocabulary", "document_count",
        "sentences", "sentence_lengths", "document_lengths", "llm_client"]
statuses = {name: "done" for name in done if name in graph.nodes}
statuses.update({name: status for name, status in
                 {"summaries": "running", "top_terms": "failed", "report": "skipped", "mean_sentence_length": "stale"}.items()
                 if name in graph.nodes})
sys.stdout.write(to_mermaid(graph, statuses=statuses))
`;

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
  const mermaid = execFileSync(VENV_PYTHON, ['-c', RENDER, path.join(REPO_ROOT, 'examples', 'text_pipeline')], { encoding: 'utf8' });
  const browser = await launch();
  try {
    const preview = await openPreview(browser, { width: 1280, height: 640, bodyClass: 'vscode-dark', css: DARK_THEME });
    await preview.send(graphMessage(mermaid, { title: 'text_pipeline/report.py', problemCount: 0 }));
    await preview.waitForPosted('rendered');
    const out = path.join(EXTENSION_ROOT, 'media', 'screenshot.png');
    await preview.page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}

void main();
