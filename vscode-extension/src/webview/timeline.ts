/**
 * The Timeline page's script (runs inside the webview): draws the last run it is sent as one row per
 * node (its name, a bar on the shared time axis coloured by status, its duration), marks the critical
 * path, and posts `reveal` when a row is clicked. Built with DOM calls only (names and errors are text,
 * never HTML); the layout comes from the pure `timeline/layout.ts`.
 */

import type { FromTimelineWebview, ToTimelineWebview } from '../protocol';
import { formatSeconds, timelinePicture, type TimelinePicture, type TimelineRow } from '../timeline/layout';

interface VsCodeApi {
  postMessage(message: FromTimelineWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: FromTimelineWebview): void => vscode.postMessage(message);

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`timeline page lacks #${id}`);
  }
  return found;
}

const root = element('timeline');
const notice = element('notice');
const STATUSES = ['done', 'failed', 'skipped', 'cached', 'running'];

function make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  if (text !== undefined) {
    created.textContent = text;
  }
  return created;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(3)}%`;
}

function axis(picture: TimelinePicture): HTMLElement {
  const header = make('div', 'row axis');
  header.append(make('span', 'name', 'node'));
  const track = make('span', 'track');
  for (const tick of picture.ticks) {
    const mark = make('span', 'tick', tick.label);
    mark.style.left = percent(tick.at / picture.span);
    track.append(mark);
  }
  header.append(track, make('span', 'took', 'took'));
  return header;
}

function rowElement(row: TimelineRow): HTMLElement {
  const line = make('div', `row status-${row.status}${row.critical ? ' critical' : ''}`);
  line.dataset.node = row.name;
  line.dataset.status = row.status;
  line.title = row.label;
  line.setAttribute('role', 'button');
  line.setAttribute('tabindex', '0');
  line.setAttribute('aria-label', row.label);
  const name = make('span', 'name', row.critical ? `◆ ${row.name}` : row.name);
  const track = make('span', 'track');
  if (row.left !== null && row.width !== null) {
    const bar = make('span', 'bar');
    bar.style.left = percent(row.left);
    bar.style.width = `max(${percent(row.width)}, 2px)`;
    track.append(bar);
    if (row.attempts > 1) {
      track.append(Object.assign(make('span', 'mark', `×${row.attempts}`), { title: `${row.attempts} attempts` }));
    }
  } else {
    track.append(make('span', 'why', row.status));
  }
  if (row.error) {
    track.append(make('span', 'error', row.error));
  }
  const took = make('span', 'took', row.duration === null ? '–' : formatSeconds(row.duration));
  line.append(name, track, took);
  const reveal = (): void => post({ type: 'reveal', node: row.name });
  line.addEventListener('click', reveal);
  line.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      reveal();
    }
  });
  return line;
}

function legend(picture: TimelinePicture): void {
  const box = element('legend');
  box.replaceChildren(
    ...STATUSES.filter((status) => picture.counts[status] !== undefined).map((status) => {
      const key = make('span', `key status-${status}`);
      key.append(make('span', 'swatch'), document.createTextNode(`${status} ${picture.counts[status]}`));
      return key;
    }),
    make('span', 'key', '◆ critical path'),
  );
}

function draw(message: Extract<ToTimelineWebview, { type: 'timeline' }>): void {
  element('title').textContent = `${message.title} — last run`;
  notice.classList.remove('error');
  if (message.result === null || message.result.nodes.length === 0) {
    element('summary').textContent = '';
    element('legend').replaceChildren();
    root.replaceChildren();
    notice.textContent = 'No recorded run of this graph yet: run it (▶ Run graph), and its timeline appears here.';
    return;
  }
  const picture = timelinePicture(message.result);
  element('summary').textContent = picture.summary;
  legend(picture);
  notice.textContent = new Date(message.result.started * 1000).toLocaleString();
  const rows = make('div', 'rows');
  rows.append(...picture.rows.map(rowElement));
  root.replaceChildren(axis(picture), rows);
  root.dataset.nodes = String(picture.rows.length);
}

window.addEventListener('message', (event: MessageEvent<ToTimelineWebview>) => {
  const message = event.data;
  if (message.type === 'error') {
    notice.classList.add('error');
    notice.textContent = message.message;
    return;
  }
  draw(message);
});

element('refresh').addEventListener('click', () => post({ type: 'refresh' }));
post({ type: 'ready' });
