/**
 * Which Python runs the language server: the `livedag.pythonPath` setting, else the interpreter the
 * Python extension has selected, else `python3`. Pure: the caller gathers the inputs from VSCode.
 */

export const DEFAULT_PYTHON = 'python3';

export type InterpreterSource = 'setting' | 'python-extension' | 'default';

export interface InterpreterChoice {
  /** argv prefix that runs Python (the Python extension may give e.g. `conda run -n env python`). */
  argv: string[];
  source: InterpreterSource;
}

export interface InterpreterInputs {
  /** The raw `livedag.pythonPath` setting ("" or undefined when unset). */
  setting: string | undefined;
  /** The Python extension's execution command for the resource, undefined when it is absent or has none. */
  pythonExtension: string[] | undefined;
  /** First workspace folder path, used to expand `${workspaceFolder}` in the setting. */
  workspaceFolder: string | undefined;
  /** Home directory, used to expand a leading `~`. */
  home: string;
}

export function chooseInterpreter(inputs: InterpreterInputs): InterpreterChoice {
  const setting = (inputs.setting ?? '').trim();
  if (setting !== '') {
    return { argv: [expandPath(setting, inputs.workspaceFolder, inputs.home)], source: 'setting' };
  }
  const fromExtension = (inputs.pythonExtension ?? []).filter((part) => part.trim() !== '');
  if (fromExtension.length > 0) {
    return { argv: fromExtension, source: 'python-extension' };
  }
  return { argv: [DEFAULT_PYTHON], source: 'default' };
}

/** Expand `${workspaceFolder}`, `${userHome}` and a leading `~` the way VSCode users write paths in settings. */
export function expandPath(path: string, workspaceFolder: string | undefined, home: string): string {
  let expanded = path.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = home + expanded.slice(1);
  }
  return expanded;
}

export function describeInterpreter(choice: InterpreterChoice): string {
  const where = {
    setting: 'from the livedag.pythonPath setting',
    'python-extension': "selected in the Python extension",
    default: 'the default; set livedag.pythonPath or select an interpreter in the Python extension',
  }[choice.source];
  return `${choice.argv.join(' ')} (${where})`;
}
