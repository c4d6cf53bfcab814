import * as assert from 'node:assert/strict';
import { checkServerImport, classifyImportCheck, installAdvice, installCommand, shellQuote } from '../../src/installCheck';
import { VENV_PYTHON } from '../helpers';

describe('installCheck', () => {
  it('classifies a missing interpreter, a missing module and other failures', () => {
    assert.equal(classifyImportCheck(null, '').kind, 'ok');
    assert.equal(classifyImportCheck({ code: 'ENOENT', message: 'spawn nope ENOENT' }, '').kind, 'no-interpreter');
    const missing = classifyImportCheck({ code: 1, message: 'exit 1' }, "Traceback...\nModuleNotFoundError: No module named 'livedag'\n");
    assert.deepEqual(missing, { kind: 'not-installed', detail: "ModuleNotFoundError: No module named 'livedag'" });
    assert.equal(classifyImportCheck({ code: 1, message: 'exit 1' }, 'SyntaxError: boom').kind, 'failed');
  });

  it('quotes only what needs quoting', () => {
    assert.equal(shellQuote('/usr/bin/python3', 'linux'), '/usr/bin/python3');
    assert.equal(shellQuote('/My Envs/python', 'linux'), "'/My Envs/python'");
    assert.equal(shellQuote("it's", 'linux'), "'it'\\''s'");
    assert.equal(shellQuote('C:\\Program Files\\py.exe', 'win32'), '"C:\\Program Files\\py.exe"');
    assert.equal(installCommand(['/opt/env/bin/python'], 'linux'), "/opt/env/bin/python -m pip install 'livedag[lsp]'");
  });

  it('advises installing with the chosen interpreter, never silently', () => {
    const advice = installAdvice({ kind: 'not-installed', detail: 'No module named livedag' }, ['/e/python'], 'linux');
    assert.ok(advice);
    assert.equal(advice.command, "/e/python -m pip install 'livedag[lsp]'");
    assert.match(advice.message, /^The livedag language server \(livedag\[lsp\]\) is not installed in \/e\/python/);
    assert.deepEqual(advice.actions, ['Install in Terminal', 'Copy Install Command', 'Open Settings']);
    const absent = installAdvice({ kind: 'no-interpreter', detail: 'ENOENT' }, ['nope'], 'linux');
    assert.ok(absent);
    assert.equal(absent.command, null);
    assert.match(absent.message, /"nope" was not found/);
    assert.equal(installAdvice({ kind: 'ok' }, ['python3'], 'linux'), null);
  });

  it('really runs the interpreter: missing binary, and livedag hidden by -S', async () => {
    assert.equal((await checkServerImport(['/nonexistent/python'])).kind, 'no-interpreter');
    // -S skips site-packages, where the editable install of livedag lives.
    const hidden = await checkServerImport([VENV_PYTHON, '-S']);
    assert.equal(hidden.kind, 'not-installed');
  });
});
