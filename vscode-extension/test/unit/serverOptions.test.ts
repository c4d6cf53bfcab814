import * as assert from 'node:assert/strict';
import { importCheckCommand, initializationOptions, serverProcess } from '../../src/serverOptions';

describe('serverOptions', () => {
  it('runs `-P -m livedag.lsp` (the workspace never on sys.path) with the interpreter argv prefix, unbuffered', () => {
    const spawn = serverProcess(['conda', 'run', '-n', 'x', 'python'], { PATH: '/bin' }, '/ws');
    assert.equal(spawn.command, 'conda');
    assert.deepEqual(spawn.args, ['run', '-n', 'x', 'python', '-P', '-m', 'livedag.lsp']);
    assert.equal(spawn.options.env.PYTHONUNBUFFERED, '1');
    assert.equal(spawn.options.env.PATH, '/bin');
    assert.equal(spawn.options.cwd, '/ws');
  });

  it('checks the import the server needs', () => {
    assert.deepEqual(importCheckCommand(['/p/python']), { command: '/p/python', args: ['-P', '-c', 'import livedag.lsp'] });
    assert.throws(() => serverProcess([], {}), /empty interpreter/);
  });

  it('passes the preview size and the valid run settings at start', () => {
    assert.deepEqual(initializationOptions(50, { timeout: 5, python: '  ', prewarm: false }), { maxNodes: 50, run: { timeout: 5, prewarm: false }, workspaceTrusted: true });
    assert.deepEqual(initializationOptions(100, { timeout: 0, python: '/w/python' }), { maxNodes: 100, run: { python: '/w/python' }, workspaceTrusted: true });
    assert.equal(initializationOptions(100, {}, false).workspaceTrusted, false);
    assert.deepEqual(initializationOptions(100, { executor: 'dask', address: ' tcp://127.0.0.1:8786 ' }).run,
      { executor: 'dask', address: 'tcp://127.0.0.1:8786' });
    assert.deepEqual(initializationOptions(100, { executor: 'nope' as 'ray', address: '' }).run, {});
  });
});
