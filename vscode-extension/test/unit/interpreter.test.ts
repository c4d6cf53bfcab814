import * as assert from 'node:assert/strict';
import { chooseInterpreter, describeInterpreter, expandPath, type InterpreterInputs } from '../../src/interpreter';

const base: InterpreterInputs = { setting: undefined, pythonExtension: undefined, workspaceFolder: '/ws', home: '/home/u' };

describe('chooseInterpreter', () => {
  const rows: [string, Partial<InterpreterInputs>, string[], string][] = [
    ['nothing configured -> python3', {}, ['python3'], 'default'],
    ['setting wins over the Python extension', { setting: '/opt/py/bin/python', pythonExtension: ['/x/python'] }, ['/opt/py/bin/python'], 'setting'],
    ['blank setting is unset', { setting: '   ', pythonExtension: ['/x/python'] }, ['/x/python'], 'python-extension'],
    ['Python extension argv kept whole', { pythonExtension: ['conda', 'run', '-n', 'env', 'python'] }, ['conda', 'run', '-n', 'env', 'python'], 'python-extension'],
    ['empty extension answer -> python3', { pythonExtension: [] }, ['python3'], 'default'],
    ['${workspaceFolder} expanded', { setting: '${workspaceFolder}/.venv/bin/python' }, ['/ws/.venv/bin/python'], 'setting'],
    ['~ expanded', { setting: '~/envs/a/bin/python' }, ['/home/u/envs/a/bin/python'], 'setting'],
  ];
  for (const [title, inputs, argv, source] of rows) {
    it(title, () => {
      const choice = chooseInterpreter({ ...base, ...inputs });
      assert.deepEqual(choice.argv, argv);
      assert.equal(choice.source, source);
    });
  }

  it('leaves ${workspaceFolder} alone without a workspace', () => {
    assert.equal(expandPath('${workspaceFolder}/py', undefined, '/h'), '${workspaceFolder}/py');
  });

  it('describes where the interpreter came from', () => {
    assert.match(describeInterpreter({ argv: ['python3'], source: 'default' }), /python3 \(the default; set livedag.pythonPath/);
  });
});
