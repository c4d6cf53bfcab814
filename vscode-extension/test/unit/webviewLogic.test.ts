import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, previewHtml } from '../../src/preview/html';
import { parseFromWebview } from '../../src/protocol';
import { drawnNodes, idFromElementId, nameFromLabel, unescapeLabel } from '../../src/webview/mermaidIds';
import { MIN_READABLE_SCALE, directionFor, fitReadable, panBy, withDirection, zoomAt } from '../../src/webview/viewport';
import { FIXTURE, rendererMermaid } from '../helpers';

describe('mermaidIds', () => {
  it('reads names out of labels written by the Python renderer', () => {
    const rows: [string, string][] = [
      ['raw_text<br/><small>str</small>', 'raw_text'],
      ['<i>async stream</i> tokens<br/><small>list#91;str#93;</small>', 'tokens'],
      ['end', 'end'],
      ['a#35;b#quot;', 'a#b"'],
    ];
    for (const [label, name] of rows) {
      assert.equal(nameFromLabel(label), name);
    }
    assert.equal(unescapeLabel('#lt;x#gt;'), '<x>');
  });

  it('maps every id of a real rendering to its node', () => {
    const nodes = drawnNodes(rendererMermaid(FIXTURE));
    assert.deepEqual(
      nodes.map((n) => `${n.id}=${n.name}`),
      ['i0=path', 'n0=raw_text', 'n1=lines', 'n2=words', 'n3=word_count', 'n4=longest_word', 'n5=summary', 'n6=shout', 'n7=tokens'],
    );
  });

  it('maps a focused rendering by its own ids', () => {
    const nodes = drawnNodes(rendererMermaid(FIXTURE, '--focus', 'summary', '--depth', '1'));
    assert.deepEqual(nodes.map((n) => n.name).sort(), ['longest_word', 'summary', 'word_count']);
  });

  it('finds the id inside SVG element ids', () => {
    assert.equal(idFromElementId('livedag-graph-1-flowchart-n12-7'), 'n12');
    assert.equal(idFromElementId('flowchart-i0-0'), 'i0');
    assert.equal(idFromElementId('L_n0_n1_0'), undefined);
  });
});

describe('viewport', () => {
  it('keeps the point under the pointer fixed while zooming', () => {
    const zoomed = zoomAt({ x: 10, y: 20, scale: 1 }, 2, 110, 120);
    assert.deepEqual(zoomed, { x: -90, y: -80, scale: 2 });
    assert.equal(zoomAt({ x: 0, y: 0, scale: 1 }, 1000, 0, 0).scale, 8);
    assert.deepEqual(panBy({ x: 1, y: 2, scale: 3 }, 5, -2), { x: 6, y: 0, scale: 3 });
  });

  it('fits content that stays readable, centred, and never enlarges small content', () => {
    assert.deepEqual(fitReadable(100, 50, 1000, 800), { scale: 1, x: 450, y: 375 });
    const fitted = fitReadable(1200, 600, 1032, 800);
    assert.ok(Math.abs(fitted.scale - 1000 / 1200) < 1e-9);
    assert.ok(Math.abs(fitted.x - 16) < 1e-9);
    assert.ok(Math.abs(fitted.y - (800 - 600 * fitted.scale) / 2) < 1e-9);
  });

  it('keeps labels at 11 px or more: a large drawing is centred and panned, not shrunk', () => {
    const view = fitReadable(4000, 300, 500, 900);
    assert.equal(view.scale, MIN_READABLE_SCALE);
    assert.ok(16 * view.scale >= 11);
    assert.equal(view.x, (500 - 4000 * view.scale) / 2);
    assert.equal(view.y, (900 - 300 * view.scale) / 2);
  });

  it('draws top-down in a pane taller than wide', () => {
    assert.equal(directionFor(500, 900), 'TB');
    assert.equal(directionFor(1200, 700), 'LR');
    assert.equal(withDirection('flowchart LR\n  a --> b\n', 'TB'), 'flowchart TB\n  a --> b\n');
    assert.equal(withDirection('flowchart TB\n', 'LR'), 'flowchart LR\n');
  });
});

describe('webview page and messages', () => {
  it('has a strict CSP with the nonce and no network source', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
    const html = previewHtml({ cspSource: 'https://res.test', nonce, scriptUri: 'https://res.test/dist/webview.js', styleUri: 'https://res.test/media/preview.css' });
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://res.test/dist/webview.js">`));
    const csp = contentSecurityPolicy('https://res.test', nonce);
    assert.match(csp, /^default-src 'none'; script-src 'nonce-/);
    assert.ok(!/unsafe-eval|\bhttps?:\/\/(?!res\.test)/.test(csp));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('accepts only well-formed webview messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'reveal', node: 'a' }), { type: 'reveal', node: 'a' });
    assert.deepEqual(parseFromWebview({ type: 'setDepth', depth: 3 }), { type: 'setDepth', depth: 3 });
    const malformed: unknown[] = [null, 'x', { type: 'reveal' }, { type: 'setDepth', depth: 0 }, { type: 'setDepth', depth: 1.5 }, { type: 'nope' }];
    for (const message of malformed) {
      assert.equal(parseFromWebview(message), undefined);
    }
  });
});
