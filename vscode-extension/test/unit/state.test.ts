import * as assert from 'node:assert/strict';
import { chooseFocus, clampDepth, decideView, INITIAL_CHOICES, viewNotice } from '../../src/preview/state';
import { node } from '../helpers';

const uri = 'file:///p.py';
const settings = { maxNodes: 3, defaultDepth: 2 };
const small = [node('a', 0, 1), node('b', 2, 3)];
const large = [node('a', 0, 1), node('b', 2, 3, { hasProblems: true }), node('c', 4, 5), node('d', 6, 7)];

describe('decideView', () => {
  it('draws a small graph whole, without focus', () => {
    const decision = decideView(uri, 2, small, 'a', INITIAL_CHOICES, settings);
    assert.equal(decision.view.mode, 'whole');
    assert.deepEqual(decision.params, { uri });
  });

  it('draws the neighbourhood of the node at the cursor past maxNodes', () => {
    const decision = decideView(uri, 4, large, 'c', INITIAL_CHOICES, settings);
    assert.equal(decision.view.mode, 'neighbourhood');
    assert.deepEqual(decision.params, { uri, focus: 'c', depth: 2 });
  });

  it('uses the depth the user chose, clamped', () => {
    const decision = decideView(uri, 4, large, 'c', { ...INITIAL_CHOICES, depth: 40 }, settings);
    assert.equal(decision.params.depth, 10);
    assert.equal(clampDepth(0), 1);
  });

  it('draws a large graph whole only when asked, and says so', () => {
    const decision = decideView(uri, 4, large, 'c', { ...INITIAL_CHOICES, wholeRequested: true }, settings);
    assert.equal(decision.view.mode, 'whole');
    assert.equal(decision.view.forcedWhole, true);
    assert.match(viewNotice(decision.view, 4), /Whole graph: 4 nodes \(more than livedag.preview.maxNodes = 3/);
  });

  it('shows the neighbourhood of a node picked with the code lens, whatever the size', () => {
    const decision = decideView(uri, 2, small, 'a', { ...INITIAL_CHOICES, pinnedFocus: 'b', depth: 1 }, settings);
    assert.deepEqual(decision.params, { uri, focus: 'b', depth: 1 });
    assert.equal(decision.view.pinned, true);
    assert.equal(viewNotice(decision.view, 2), 'Showing 2 of 2 nodes: those within 1 edge of b.');
    const gone = decideView(uri, 2, small, 'a', { ...INITIAL_CHOICES, pinnedFocus: 'renamed' }, settings);
    assert.equal(gone.view.mode, 'whole');
  });

  it('handles an empty file', () => {
    assert.equal(decideView(uri, 0, [], undefined, INITIAL_CHOICES, settings).view.mode, 'empty');
  });
});

describe('chooseFocus', () => {
  const rows: [string | undefined, string | null, string | undefined][] = [
    ['c', null, 'c'],
    [undefined, 'd', 'd'],
    [undefined, 'gone', 'b'],
    ['gone', null, 'b'],
  ];
  for (const [cursor, last, expected] of rows) {
    it(`cursor ${cursor}, last ${last} -> ${expected}`, () => {
      assert.equal(chooseFocus(large, cursor, last), expected);
    });
  }
  it('falls back to the first node when none has problems', () => {
    assert.equal(chooseFocus(small, undefined, null), 'a');
  });
});

describe('viewNotice', () => {
  it('says why only a neighbourhood is shown', () => {
    const view = { mode: 'neighbourhood' as const, focus: 'c', depth: 1, totalNodes: 450, maxNodes: 100, forcedWhole: false, pinned: false };
    assert.equal(
      viewNotice(view, 7),
      'Large graph (450 nodes > livedag.preview.maxNodes = 100): showing 7 nodes within 1 edge of c (the node at the cursor).',
    );
    assert.equal(viewNotice({ ...view, mode: 'whole', focus: null }, 1), '450 nodes.');
  });
});
