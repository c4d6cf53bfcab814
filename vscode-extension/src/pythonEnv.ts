/**
 * Reads the interpreter the Python extension (ms-python.python) has selected, when it is installed,
 * and tells when that selection changes. Only the small part of its API used here is typed.
 */

import * as vscode from 'vscode';

interface ResolvedEnvironment {
  executable: { uri?: vscode.Uri };
}

export interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(environment: { path: string } | string): Promise<ResolvedEnvironment | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
  };
}

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The Python extension's API; undefined when it is not installed or fails to activate (then python3 is used). */
async function pythonApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (extension === undefined) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

/** The selected interpreter as an argv prefix, or undefined when there is no Python extension or no selection. */
export async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string[] | undefined> {
  const api = await pythonApi();
  if (api === undefined) {
    return undefined;
  }
  if (api.environments !== undefined) {
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    const executable = resolved?.executable.uri?.fsPath;
    if (executable !== undefined) {
      return [executable];
    }
  }
  const command = api.settings?.getExecutionDetails(resource).execCommand;
  return command !== undefined && command.length > 0 ? command : undefined;
}

/** Calls `listener` when the user selects another interpreter in the Python extension. */
export async function onPythonInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonApi();
  return api?.environments?.onDidChangeActiveEnvironmentPath(listener);
}
