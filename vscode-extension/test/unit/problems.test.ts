import * as assert from 'node:assert/strict';
import { changedCounts, countsOf, problemSummary } from '../../src/preview/problems';
import type { GraphChangedParams, GraphResult } from '../../src/protocol';

const result = (severities: string[], counts: Partial<GraphResult> = {}): GraphResult => ({
  uri: 'file:///a.py', version: 1, mermaid: '', nodes: [], inputs: [], totalNodes: 0, focus: null, depth: null,
  problems: severities.map((severity) => ({ code: 'x', severity, message: '', uri: 'file:///a.py',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, nodes: [] })),
  ...counts,
});

const changed = (extra: Partial<GraphChangedParams> = {}): GraphChangedParams =>
  ({ uri: 'file:///a.py', version: 2, mermaid: '', totalNodes: 0, statuses: {}, ...extra });

describe('preview problem counts', () => {
  it('says errors and warnings, and nothing when there are none', () => {
    assert.equal(problemSummary({ errors: 1, warnings: 0 }), '1 error');
    assert.equal(problemSummary({ errors: 2, warnings: 1 }), '2 errors · 1 warning');
    assert.equal(problemSummary({ errors: 0, warnings: 3 }), '3 warnings');
    assert.equal(problemSummary({ errors: 0, warnings: 0 }), '');
  });

  it('counts an answer by severity when the server sends no counts', () => {
    assert.deepEqual(countsOf(result(['error', 'warning', 'info', 'warning'])), { errors: 1, warnings: 2 });
    assert.deepEqual(countsOf(result(['error'], { errorCount: 4, warningCount: 0 })), { errors: 4, warnings: 0 });
  });

  it('takes the counts of the change itself, not the answer cached before it (which lags one behind)', () => {
    const before = result(['error']);
    assert.deepEqual(changedCounts(changed({ errorCount: 0, warningCount: 0 }), before), { errors: 0, warnings: 0 });
    assert.deepEqual(changedCounts(changed({ errorCount: 1, warningCount: 2 }), result([])), { errors: 1, warnings: 2 });
    assert.deepEqual(changedCounts(changed(), before), { errors: 1, warnings: 0 });
  });
});
