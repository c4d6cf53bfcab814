/**
 * The preview page's script (runs inside the webview, bundled with mermaid): draws the graph it is
 * sent, posts a `reveal` when a node is clicked, zooms and pans, follows the VSCode theme, and offers
 * the depth / whole-graph controls for large graphs. Logic lives in the pure modules it imports.
 */

import mermaid from 'mermaid';
import { type FromWebview, type ToWebview } from '../protocol';
import { problemSummary } from '../preview/problems';
import { viewNotice } from '../preview/state';
import { drawnNodes, idFromElementId } from './mermaidIds';
import { IDENTITY, type Viewport, directionFor, fitReadable, panBy, transformOf, withDirection, zoomAt } from './viewport';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: FromWebview): void => vscode.postMessage(message);

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`preview page lacks #${id}`);
  }
  return found as T;
}

const canvas = element<HTMLElement>('canvas');
const viewportElement = element<HTMLElement>('viewport');
const graphElement = element<HTMLElement>('graph');
const notice = element<HTMLElement>('notice');
const depthInput = element<HTMLInputElement>('depth');

type GraphMessage = Extract<ToWebview, { type: 'graph' }>;
let current: GraphMessage | undefined;
let view: Viewport = IDENTITY;
let renderCount = 0;
let drawnTheme = '';
let drawnDirection: 'LR' | 'TB' = 'LR';
/** Whether the user zoomed or panned since the last fit: a resize then keeps their view. */
let userMoved = false;

function isDark(): boolean {
  const classes = document.body.classList;
  return classes.contains('vscode-dark') || (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light'));
}

function configureMermaid(): string {
  const theme = isDark() ? 'dark' : 'default';
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme,
    maxEdges: 20000,
    maxTextSize: 5_000_000,
    flowchart: { htmlLabels: true, useMaxWidth: false },
  });
  return theme;
}

function applyView(next: Viewport): void {
  view = next;
  viewportElement.style.transform = transformOf(view);
  viewportElement.dataset.scale = String(view.scale);
}

/** The drawing's own size (its viewBox), which does not depend on the current zoom. */
function drawingSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  if (box !== null && box.width > 0 && box.height > 0) {
    return { width: box.width, height: box.height };
  }
  const rect = svg.getBoundingClientRect();
  return { width: rect.width / view.scale, height: rect.height / view.scale };
}

function fitToPane(): void {
  const svg = graphElement.querySelector('svg');
  if (svg === null) {
    return;
  }
  const size = drawingSize(svg);
  svg.setAttribute('width', String(size.width));
  svg.setAttribute('height', String(size.height));
  userMoved = false;
  applyView(fitReadable(size.width, size.height, canvas.clientWidth, canvas.clientHeight));
}

function showControls(message: GraphMessage): void {
  const { view: shown } = message;
  element('title').textContent = message.title;
  const problems = element('problems');
  const summary = problemSummary(message.problems);
  problems.hidden = summary === '';
  problems.textContent = summary;
  problems.classList.toggle('warnings-only', message.problems.errors === 0);
  const large = shown.totalNodes > shown.maxNodes;
  element('depth-control').hidden = shown.mode !== 'neighbourhood';
  element('whole').hidden = shown.mode !== 'neighbourhood';
  element('neighbourhood').hidden = !(large && shown.forcedWhole);
  depthInput.value = String(shown.depth);
}

function wireNodes(names: Map<string, string>): void {
  for (const node of Array.from(graphElement.querySelectorAll<SVGGElement>('g.node'))) {
    const id = idFromElementId(node.id) ?? node.dataset.id;
    const name = id === undefined ? undefined : names.get(id);
    if (name === undefined) {
      continue;
    }
    node.classList.add('livedag-clickable');
    node.dataset.livedagNode = name;
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', `Go to ${name}`);
    node.addEventListener('click', (event) => {
      if (!dragMoved) {
        event.stopPropagation();
        post({ type: 'reveal', node: name });
      }
    });
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        post({ type: 'reveal', node: name });
      }
    });
  }
}

async function draw(message: GraphMessage, refit: boolean): Promise<void> {
  drawnTheme = configureMermaid();
  const started = performance.now();
  const drawn = drawnNodes(message.mermaid);
  notice.classList.remove('error');
  notice.textContent = viewNotice(message.view, drawn.filter((node) => !node.input).length);
  showControls(message);
  if (message.view.mode === 'empty') {
    graphElement.className = 'placeholder';
    graphElement.textContent = 'Nothing to draw.';
    return;
  }
  try {
    const direction = directionFor(canvas.clientWidth, canvas.clientHeight);
    const { svg } = await mermaid.render(`livedag-graph-${++renderCount}`, withDirection(message.mermaid, direction));
    drawnDirection = direction;
    if (message !== current) {
      return; // a newer graph arrived while this one was laid out
    }
    graphElement.className = '';
    graphElement.innerHTML = svg;
    wireNodes(new Map(drawn.map((node) => [node.id, node.name])));
    if (refit || !userMoved) {
      fitToPane();
    }
    post({ type: 'rendered', nodeCount: graphElement.querySelectorAll('g.node').length, millis: performance.now() - started });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    notice.classList.add('error');
    notice.textContent = `Mermaid could not draw this graph: ${text}`;
    post({ type: 'renderError', message: text });
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'error') {
    notice.classList.add('error');
    notice.textContent = message.message;
    return;
  }
  const refit = current === undefined || current.uri !== message.uri || current.view.focus !== message.view.focus
    || current.view.mode !== message.view.mode;
  current = message;
  void draw(message, refit);
});

// Theme changes: VSCode swaps the body classes; redraw with the matching mermaid theme.
new MutationObserver(() => {
  if (current !== undefined && (isDark() ? 'dark' : 'default') !== drawnTheme) {
    void draw(current, false);
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// A resized pane (the preview opened beside the editor, a sash dragged) gets a layout that suits its shape.
new ResizeObserver(() => {
  if (current === undefined || canvas.clientWidth === 0 || canvas.clientHeight === 0) {
    return;
  }
  if (directionFor(canvas.clientWidth, canvas.clientHeight) !== drawnDirection) {
    void draw(current, true);
  } else if (!userMoved) {
    fitToPane();
  }
}).observe(canvas);

// Focusing a clicked node would scroll the canvas to it behind the viewport's back: the view is the transform.
canvas.addEventListener('scroll', () => {
  canvas.scrollLeft = 0;
  canvas.scrollTop = 0;
});

// Zoom and pan.
let dragStart: { x: number; y: number } | undefined;
let dragMoved = false;
canvas.addEventListener('wheel', (event) => {
  event.preventDefault();
  const rect = canvas.getBoundingClientRect();
  userMoved = true;
  applyView(zoomAt(view, Math.exp(-event.deltaY / 300), event.clientX - rect.left, event.clientY - rect.top));
}, { passive: false });
canvas.addEventListener('pointerdown', (event) => {
  dragStart = { x: event.clientX, y: event.clientY };
  dragMoved = false;
});
window.addEventListener('pointermove', (event) => {
  if (dragStart === undefined) {
    return;
  }
  const dx = event.clientX - dragStart.x;
  const dy = event.clientY - dragStart.y;
  if (dragMoved || Math.abs(dx) + Math.abs(dy) > 4) {
    dragMoved = true;
    userMoved = true;
    canvas.classList.add('dragging');
    applyView(panBy(view, dx, dy));
    dragStart = { x: event.clientX, y: event.clientY };
  }
});
window.addEventListener('pointerup', () => {
  dragStart = undefined;
  canvas.classList.remove('dragging');
  // dragMoved stays set until the click that ends this drag has been seen.
  setTimeout(() => { dragMoved = false; }, 0);
});
const zoomCentre = (factor: number): void => {
  userMoved = true;
  applyView(zoomAt(view, factor, canvas.clientWidth / 2, canvas.clientHeight / 2));
};
element('zoom-in').addEventListener('click', () => zoomCentre(1.25));
element('zoom-out').addEventListener('click', () => zoomCentre(0.8));
element('zoom-fit').addEventListener('click', fitToPane);

// Large-graph controls and copy.
const setDepth = (depth: number): void => {
  if (Number.isInteger(depth) && depth >= 1) {
    post({ type: 'setDepth', depth });
  }
};
depthInput.addEventListener('change', () => setDepth(Number(depthInput.value)));
element('depth-down').addEventListener('click', () => setDepth(Number(depthInput.value) - 1));
element('depth-up').addEventListener('click', () => setDepth(Number(depthInput.value) + 1));
element('whole').addEventListener('click', () => post({ type: 'showWhole' }));
element('neighbourhood').addEventListener('click', () => post({ type: 'showNeighbourhood' }));
element('copy').addEventListener('click', () => {
  if (current !== undefined) {
    post({ type: 'copyMermaid', text: current.mermaid });
  }
});

post({ type: 'ready' });
