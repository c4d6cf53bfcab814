/** activate() itself against the stub `vscode`: commands registered, and a bad interpreter is reported, not swallowed. */

import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { activate } from '../../src/extension';
import { EXTENSION_ROOT } from '../helpers';

const stub = require('vscode') as typeof import('../stub/vscode');

describe('activate', () => {
  beforeEach(stub.resetStub);

  it('registers the palette commands and tells the user when the interpreter does not exist', async () => {
    stub.scripted.config.set('livedag.pythonPath', '/nonexistent/bin/python');
    const subscriptions: { dispose(): unknown }[] = [];
    const context = { subscriptions, extensionUri: stub.Uri.file(EXTENSION_ROOT) } as unknown as vscode.ExtensionContext;
    await activate(context);
    assert.deepEqual(stub.recorded.registeredCommands.sort(), [
      'livedag.cancelCurrentRun',
      'livedag.restartServer',
      'livedag.runNodeAtCursor',
      'livedag.showGraphPreview',
      'livedag.showOutput',
      'livedag.showTimeline',
    ]);
    // The prompt is not awaited by activation; it has been shown by the time the check resolved.
    assert.equal(stub.recorded.errorMessages.length, 1);
    assert.match(stub.recorded.errorMessages[0]?.message ?? '', /"\/nonexistent\/bin\/python" was not found/);
    subscriptions.forEach((s) => s.dispose());
  });
});
