/**
 * How the language server process is started: the chosen interpreter runs `-P -m livedag.lsp` (the same server as
 * `livedag lsp`) over stdio; the language client appends `--stdio` and `--clientProcessId`.
 * `-P` keeps the working directory (the workspace) off `sys.path`, so a workspace file named like a module the
 * server imports (`enum.py`, `typing.py`, `livedag.py`) is never run by it.
 * The extension and the end-to-end test against the real server use this same function.
 */

import type { InitializationOptions, RunSettings } from './protocol';

const EXECUTORS: readonly string[] = ['inline', 'threads', 'processes', 'ray', 'dask'];

export const SERVER_MODULE_ARGS = ['-P', '-m', 'livedag.lsp'];
export const IMPORT_CHECK_ARGS = ['-P', '-c', 'import livedag.lsp'];

export interface ServerProcess {
  command: string;
  args: string[];
  options: { env: Record<string, string | undefined>; cwd?: string };
}

/** The executable and arguments for the server; `PYTHONUNBUFFERED` keeps the server log flowing. */
export function serverProcess(
  interpreter: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): ServerProcess {
  const [command, ...prefix] = interpreter;
  if (command === undefined) {
    throw new Error('empty interpreter command');
  }
  const options: ServerProcess['options'] = { env: { ...env, PYTHONUNBUFFERED: '1' } };
  if (cwd !== undefined) {
    options.cwd = cwd;
  }
  return { command, args: [...prefix, ...SERVER_MODULE_ARGS], options };
}

/** argv that exits 0 exactly when the interpreter can import the server. */
export function importCheckCommand(interpreter: string[]): { command: string; args: string[] } {
  const [command, ...prefix] = interpreter;
  if (command === undefined) {
    throw new Error('empty interpreter command');
  }
  return { command, args: [...prefix, ...IMPORT_CHECK_ARGS] };
}

/** initializationOptions from the settings; an empty `livedag.run.python` means the server's own interpreter. */
export function initializationOptions(maxNodes: number, run: RunSettings, workspaceTrusted = true): InitializationOptions {
  const cleaned: RunSettings = {};
  if (typeof run.timeout === 'number' && run.timeout > 0) {
    cleaned.timeout = run.timeout;
  }
  if (typeof run.python === 'string' && run.python.trim() !== '') {
    cleaned.python = run.python.trim();
  }
  if (typeof run.prewarm === 'boolean') {
    cleaned.prewarm = run.prewarm;
  }
  if (run.executor !== undefined && EXECUTORS.includes(run.executor)) {
    cleaned.executor = run.executor;
  }
  if (typeof run.address === 'string' && run.address.trim() !== '') {
    cleaned.address = run.address.trim();
  }
  return { maxNodes, run: cleaned, workspaceTrusted };
}

/** Documents the server analyses: Python files on disk and unsaved Python buffers. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];
