import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ROOT } from '../helpers';
import { TimelineController, type TimelineHost } from '../../src/timeline/controller';
import { axisTicks, criticalPath, formatSeconds, timelinePicture } from '../../src/timeline/layout';
import { timelineCsp, timelineHtml } from '../../src/timeline/html';
import { parseFromTimelineWebview, type TimelineNode, type TimelineResult, type ToTimelineWebview } from '../../src/protocol';

const T0 = 1_700_000_000;

function timed(name: string, start: number | null, end: number | null, extra: Partial<TimelineNode> = {}): TimelineNode {
  return {
    name,
    status: start === null ? 'skipped' : 'done',
    started: start === null ? null : T0 + start,
    ended: end === null ? null : T0 + end,
    duration: start === null || end === null ? null : end - start,
    attempts: start === null ? 0 : 1,
    error: null,
    preview: null,
    upstream: [],
    items: 0,
    skipped_because: [],
    ...extra,
  };
}

function result(nodes: TimelineNode[], extra: Partial<TimelineResult> = {}): TimelineResult {
  return { graph: 'g', run: 7, runId: 'r-7', started: T0, ok: true, duration: 1, html: '', nodes, ...extra };
}

// a -> (slow, quick) -> total; slow decides the end; broken failed; after skipped
const RUN = [
  timed('a', 0, 0.1),
  timed('slow', 0.1, 0.9, { upstream: ['a'] }),
  timed('quick', 0.1, 0.2, { upstream: ['a'], attempts: 3 }),
  timed('total', 0.9, 1.0, { upstream: ['slow', 'quick'] }),
  timed('broken', 0.2, 0.3, { status: 'failed', error: 'ValueError: no', upstream: ['quick'] }),
  timed('after', null, null, { upstream: ['broken'], skipped_because: ['broken'] }),
];

describe('timeline layout', () => {
  it('places each node on the shared axis as fractions of the run', () => {
    const picture = timelinePicture(result(RUN));
    assert.ok(Math.abs(picture.span - 1) < 1e-6);
    const slow = picture.rows.find((row) => row.name === 'slow');
    assert.ok(slow !== undefined && slow.left !== null && slow.width !== null);
    assert.ok(Math.abs(slow.left - 0.1) < 1e-6 && Math.abs(slow.width - 0.8) < 1e-6);
    const after = picture.rows.find((row) => row.name === 'after');
    assert.deepEqual([after?.left, after?.width, after?.status], [null, null, 'skipped']);
    assert.equal(picture.rows[picture.rows.length - 1]?.name, 'after', 'nodes that never ran come last');
    assert.deepEqual(picture.counts, { done: 4, failed: 1, skipped: 1 });
    assert.match(picture.summary, /^Run 7: ok in 1\.00 s \(4 done, 1 failed, 1 skipped\)$/);
  });

  it('marks the chain that decided the end as the critical path', () => {
    assert.deepEqual(criticalPath(RUN), ['a', 'slow', 'total']);
    const critical = timelinePicture(result(RUN)).rows.filter((row) => row.critical).map((row) => row.name);
    assert.deepEqual(critical.sort(), ['a', 'slow', 'total']);
  });

  it('says what happened in each row label', () => {
    const rows = timelinePicture(result(RUN)).rows;
    const label = (name: string): string => rows.find((row) => row.name === name)?.label ?? '';
    assert.match(label('quick'), /quick · done · started \+100\.0 ms · took 100\.0 ms · 3 attempts/);
    assert.match(label('broken'), /ValueError: no/);
    assert.match(label('after'), /needs broken/);
  });

  it('draws a run of instant nodes and an empty one without dividing by zero', () => {
    const instant = timelinePicture(result([timed('x', 0, 0)]));
    assert.ok(instant.span > 0);
    assert.equal(instant.rows[0]?.left, 0);
    assert.equal(timelinePicture(result([])).rows.length, 0);
  });

  it('ticks round numbers across the axis', () => {
    assert.deepEqual(axisTicks(1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(axisTicks(0.09, 3), [0, 0.05]);
    assert.deepEqual(axisTicks(0), [0]);
    assert.equal(formatSeconds(0.0000042), '4 µs');
    assert.equal(formatSeconds(0.0421), '42.1 ms');
    assert.equal(formatSeconds(3.5), '3.50 s');
  });

  it('keeps a thousand nodes as a thousand rows', () => {
    const many = Array.from({ length: 1000 }, (_, i) => timed(`n${i}`, i * 0.001, i * 0.001 + 0.0005));
    const picture = timelinePicture(result(many));
    assert.equal(picture.rows.length, 1000);
    assert.ok(picture.rows.every((row) => row.left !== null && row.left >= 0 && row.left <= 1));
  });
});

describe('timeline page', () => {
  it('loads nothing from the network and allows only its own script', () => {
    const csp = timelineCsp('vscode-resource:', 'abc');
    assert.equal(csp, "default-src 'none'; script-src 'nonce-abc'; style-src vscode-resource:; font-src vscode-resource:");
    const page = timelineHtml({ cspSource: 'vscode-resource:', nonce: 'abc', scriptUri: 'x/timeline.js', styleUri: 'x/t.css' });
    assert.ok(page.includes('<script nonce="abc" src="x/timeline.js">'));
    assert.ok(!/https?:\/\//.test(page), 'no absolute URL in the page');
  });

  it('ships its script and stylesheet in the .vsix', () => {
    const kept = readFileSync(path.join(EXTENSION_ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(kept.includes('!dist/timeline.js') && kept.includes('!media/timeline.css'), kept.join(' '));
  });

  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseFromTimelineWebview({ type: 'reveal', node: 'a' }), { type: 'reveal', node: 'a' });
    assert.equal(parseFromTimelineWebview({ type: 'reveal', node: 3 }), undefined);
    assert.equal(parseFromTimelineWebview(null), undefined);
    assert.deepEqual(parseFromTimelineWebview({ type: 'refresh' }), { type: 'refresh' });
  });
});

function harness(answers: (TimelineResult | null)[]) {
  const asked: string[] = [];
  const posted: ToTimelineWebview[] = [];
  const revealed: string[] = [];
  const host: TimelineHost = {
    request: (uri) => {
      asked.push(uri);
      return Promise.resolve(answers.shift() ?? null);
    },
    post: (message) => posted.push(message),
    reveal: (_uri, node) => revealed.push(node),
    title: () => 'p.py',
    log: () => undefined,
  };
  return { controller: new TimelineController(host), asked, posted, revealed };
}

const uri = 'file:///p.py';
const finished = (uris: string[]) => ({ graph: 'g', uris, run: 'r', status: 'finished' });

describe('TimelineController', () => {
  it('posts the last run once the page is ready', async () => {
    const h = harness([result(RUN)]);
    await h.controller.show(uri);
    assert.equal(h.posted.length, 0);
    await h.controller.onMessage({ type: 'ready' });
    assert.equal(h.posted.length, 1);
    const first = h.posted[0];
    assert.ok(first?.type === 'timeline' && first.result?.run === 7);
  });

  it('asks again when a run of its graph is over and recorded, not for another graph', async () => {
    const h = harness([null, result(RUN)]);
    await h.controller.onMessage({ type: 'ready' });
    await h.controller.show(uri);
    assert.equal(h.asked.length, 1);
    await h.controller.runFinished(finished(['file:///other.py']));
    assert.equal(h.asked.length, 1, 'another graph ran');
    await h.controller.runFinished(finished(['file:///q.py', uri]));
    assert.equal(h.asked.length, 2);
    const last = h.posted[h.posted.length - 1];
    assert.ok(last?.type === 'timeline' && last.result?.run === 7);
  });

  it('reveals a clicked node and refreshes on request', async () => {
    const h = harness([null, null]);
    await h.controller.show(uri);
    await h.controller.onMessage({ type: 'reveal', node: 'slow' });
    await h.controller.onMessage({ type: 'refresh' });
    assert.deepEqual(h.revealed, ['slow']);
    assert.equal(h.asked.length, 2);
  });

});
