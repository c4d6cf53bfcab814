import * as assert from 'node:assert/strict';
import { LogLevel } from 'vscode';
import { traceLevel } from '../../src/traceChannel';

describe('traceChannel', () => {
  it('is at Trace level exactly while livedag.trace.server asks for a trace', () => {
    assert.equal(traceLevel('messages'), LogLevel.Trace);
    assert.equal(traceLevel('verbose'), LogLevel.Trace);
    assert.equal(traceLevel('off'), LogLevel.Info);
    assert.equal(traceLevel(undefined), LogLevel.Info);
  });
});
