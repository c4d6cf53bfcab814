/** The VSCode-facing seams, with the `vscode` module replaced by test/stub/vscode.ts. */

import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { promptInstall } from '../../src/installPrompt';
import { pythonExtensionInterpreter, PYTHON_EXTENSION_ID } from '../../src/pythonEnv';

// The same module instance the extension code gets for `import 'vscode'` (see test/setup.ts).
const { FakeOutputChannel, recorded, resetStub, scripted, Uri } = require('vscode') as typeof import('../stub/vscode');

const notInstalled = { kind: 'not-installed', detail: "No module named 'livedag'" } as const;

function context() {
  const output = new FakeOutputChannel();
  let restarts = 0;
  return {
    output,
    restarts: () => restarts,
    prompt: { output: output as unknown as vscode.OutputChannel, restart: () => { restarts++; return Promise.resolve(); } },
  };
}

describe('promptInstall', () => {
  beforeEach(resetStub);

  it('shows the install command and copies it on request', async () => {
    scripted.errorChoice = 'Copy Install Command';
    const c = context();
    await promptInstall(notInstalled, ['/env/bin/python'], c.prompt);
    assert.equal(recorded.errorMessages.length, 1);
    assert.match(recorded.errorMessages[0]?.message ?? '', /Install it with: \/env\/bin\/python -m pip install 'livedag\[lsp\]'/);
    assert.deepEqual(recorded.clipboard, ["/env/bin/python -m pip install 'livedag[lsp]'"]);
    assert.ok(c.output.lines[0]?.includes('not installed'));
  });

  it('runs the install in a terminal and restarts the server when asked', async () => {
    scripted.errorChoice = 'Install in Terminal';
    scripted.infoChoice = 'Restart Server';
    const c = context();
    await promptInstall(notInstalled, ['/env/bin/python'], c.prompt);
    assert.deepEqual(recorded.terminalText, ["/env/bin/python -m pip install 'livedag[lsp]'"]);
    assert.equal(c.restarts(), 1);
  });

  it('opens the setting for a missing interpreter', async () => {
    scripted.errorChoice = 'Open Settings';
    await promptInstall({ kind: 'no-interpreter', detail: 'ENOENT' }, ['nope'], context().prompt);
    assert.deepEqual(recorded.errorMessages[0]?.items, ['Open Settings', 'Show Log']);
    assert.deepEqual(recorded.commands, [{ command: 'workbench.action.openSettings', args: ['livedag.pythonPath'] }]);
  });

  it('says nothing when the server can be imported', async () => {
    await promptInstall({ kind: 'ok' }, ['python3'], context().prompt);
    assert.equal(recorded.errorMessages.length, 0);
  });
});

describe('pythonExtensionInterpreter', () => {
  beforeEach(resetStub);

  it('is undefined without the Python extension', async () => {
    assert.equal(await pythonExtensionInterpreter(), undefined);
  });

  it('uses the resolved active environment of the Python extension', async () => {
    const api = {
      environments: {
        getActiveEnvironmentPath: () => ({ path: '/envs/a' }),
        resolveEnvironment: (env: { path: string }) =>
          Promise.resolve(env.path === '/envs/a' ? { executable: { uri: Uri.file('/envs/a/bin/python') } } : undefined),
        onDidChangeActiveEnvironmentPath: () => ({ dispose() {} }),
      },
    };
    scripted.extensions.set(PYTHON_EXTENSION_ID, { isActive: false, exports: undefined, activate: () => Promise.resolve(api) });
    assert.deepEqual(await pythonExtensionInterpreter(), ['/envs/a/bin/python']);
  });

  it('is undefined when the Python extension fails to activate', async () => {
    scripted.extensions.set(PYTHON_EXTENSION_ID, { isActive: false, exports: undefined, activate: () => Promise.reject(new Error('boom')) });
    assert.equal(await pythonExtensionInterpreter(), undefined);
  });

  it('falls back to the legacy execution details', async () => {
    const api = { settings: { getExecutionDetails: () => ({ execCommand: ['conda', 'run', 'python'] }) } };
    scripted.extensions.set(PYTHON_EXTENSION_ID, { isActive: true, exports: api, activate: () => Promise.resolve(api) });
    assert.deepEqual(await pythonExtensionInterpreter(), ['conda', 'run', 'python']);
  });
});
