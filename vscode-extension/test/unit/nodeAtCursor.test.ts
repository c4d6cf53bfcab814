import * as assert from 'node:assert/strict';
import { definitionOf, nodeAtCursor } from '../../src/nodeAtCursor';
import { cancelParams, outcomeSummary, runParams, runTarget, WHOLE_GRAPH_CHOICE } from '../../src/run';
import { node } from '../helpers';

const uri = 'file:///p.py';
const nodes = [node('a', 2, 4), node('b', 6, 12), node('inner', 8, 9), node('elsewhere', 2, 4, { uri: 'file:///q.py' })];

describe('nodeAtCursor', () => {
  const rows: [number, number, string | undefined][] = [
    [0, 0, undefined],
    [2, 0, 'a'],
    [4, 20, 'a'],
    [4, 21, undefined],
    [5, 0, undefined],
    [7, 3, 'b'],
    [8, 5, 'inner'],
    [12, 1, 'b'],
  ];
  for (const [line, character, expected] of rows) {
    it(`${line}:${character} -> ${expected ?? 'none'}`, () => {
      assert.equal(nodeAtCursor(nodes, uri, { line, character })?.name, expected);
    });
  }

  it('without definition ranges: the name under the cursor, else the nearest definition above', () => {
    const nameOnly = nodes.map((n) => ({ ...n, definitionRange: undefined }));
    const rows: [number, number, string | undefined][] = [[0, 0, undefined], [2, 5, 'a'], [5, 0, 'a'], [7, 3, 'b'], [8, 5, 'inner'], [30, 0, 'inner']];
    for (const [line, character, expected] of rows) {
      assert.equal(nodeAtCursor(nameOnly, uri, { line, character })?.name, expected, `${line}:${character}`);
    }
  });

  it('ignores nodes of other files', () => {
    assert.equal(nodeAtCursor(nodes, 'file:///q.py', { line: 3, character: 0 })?.name, 'elsewhere');
  });

  it('finds definitions; an input goes to its first consumer', () => {
    assert.deepEqual(definitionOf(nodes, [], 'b')?.range.start, { line: 6, character: 4 });
    assert.deepEqual(definitionOf(nodes, [{ name: 'path', consumers: ['inner', 'a'] }], 'path')?.range.start, { line: 8, character: 4 });
    assert.equal(definitionOf(nodes, [], 'unknown'), undefined);
  });
});

describe('run commands', () => {
  it('runs the node at the cursor with the server command and its argument object', () => {
    const target = runTarget(nodes, uri, { line: 3, character: 0 });
    assert.deepEqual(target, { kind: 'node', node: 'a' });
    assert.deepEqual(runParams(uri, 'a'), { command: 'livedag.run', arguments: [{ uri, node: 'a' }] });
    assert.deepEqual(runParams(uri, null), { command: 'livedag.run', arguments: [{ uri, node: null }] });
    assert.deepEqual(cancelParams(uri), { command: 'livedag.cancelRun', arguments: [{ uri }] });
  });

  it('offers the whole graph and the nodes of the file when the cursor is outside every node', () => {
    assert.deepEqual(runTarget(nodes, uri, { line: 0, character: 0 }), {
      kind: 'ask',
      choices: [WHOLE_GRAPH_CHOICE, 'a', 'b', 'inner'],
    });
    assert.deepEqual(runTarget([], uri, { line: 0, character: 0 }), { kind: 'none' });
  });

  it('summarises the answer of livedag.run', () => {
    assert.equal(outcomeSummary('a', { run: 'r', status: 'done', ok: true, message: null, missing: [] }), 'livedag: run of a done');
    assert.equal(outcomeSummary(null, { run: '', status: 'error', ok: false, message: 'x', missing: ['path'] }), 'livedag: graph not run, missing inputs: path');
    assert.equal(outcomeSummary('a', null), 'livedag: run of a sent');
  });
});
