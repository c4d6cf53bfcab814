/**
 * Whether the chosen interpreter can run the server, and what to tell the user when it cannot.
 * `checkServerImport` runs `<python> -c "import livedag.lsp"` (asynchronously, never execSync);
 * `installAdvice` turns its outcome into the message, the install command and the buttons to offer.
 */

import { execFile } from 'node:child_process';
import { importCheckCommand } from './serverOptions';

export type ImportCheck =
  | { kind: 'ok' }
  | { kind: 'no-interpreter'; detail: string }
  | { kind: 'not-installed'; detail: string }
  | { kind: 'failed'; detail: string };

export function checkServerImport(interpreter: string[], timeoutMs = 20000): Promise<ImportCheck> {
  const { command, args } = importCheckCommand(interpreter);
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
      resolve(classifyImportCheck(error, String(stderr)));
    });
  });
}

interface ExecError {
  code?: string | number | null;
  killed?: boolean;
  message: string;
}

export function classifyImportCheck(error: ExecError | null, stderr: string): ImportCheck {
  if (error === null) {
    return { kind: 'ok' };
  }
  if (error.code === 'ENOENT' || error.code === 'EACCES') {
    return { kind: 'no-interpreter', detail: error.message };
  }
  const lastLine = stderr.trim().split('\n').pop() ?? '';
  if (/ModuleNotFoundError|ImportError/.test(stderr)) {
    return { kind: 'not-installed', detail: lastLine };
  }
  return { kind: 'failed', detail: lastLine || error.message };
}

/** Quote one argument for a POSIX shell or PowerShell/cmd terminal, only when it needs it. */
export function shellQuote(argument: string, platform: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(argument)) {
    return argument;
  }
  if (platform === 'win32') {
    return `"${argument.replace(/"/g, '""')}"`;
  }
  return `'${argument.replace(/'/g, "'\\''")}'`;
}

export function installCommand(interpreter: string[], platform: string): string {
  const python = interpreter.map((part) => shellQuote(part, platform)).join(' ');
  return `${python} -m pip install ${shellQuote('livedag[lsp]', platform)}`;
}

export type InstallAction = 'Install in Terminal' | 'Copy Install Command' | 'Open Settings' | 'Show Log';

export interface InstallAdvice {
  message: string;
  command: string | null;
  actions: InstallAction[];
}

/** The message and buttons for a failed check; null when the server can start. */
export function installAdvice(check: ImportCheck, interpreter: string[], platform: string): InstallAdvice | null {
  const python = interpreter.join(' ');
  switch (check.kind) {
    case 'ok':
      return null;
    case 'no-interpreter':
      return {
        message:
          `livedag: the Python interpreter "${python}" was not found, so the language server cannot start. ` +
          'Set livedag.pythonPath or select an interpreter with the Python extension.',
        command: null,
        actions: ['Open Settings', 'Show Log'],
      };
    case 'not-installed': {
      const command = installCommand(interpreter, platform);
      return {
        message: `The livedag language server (livedag[lsp]) is not installed in ${python} (${check.detail}). Install it with: ${command}`,
        command,
        actions: ['Install in Terminal', 'Copy Install Command', 'Open Settings'],
      };
    }
    case 'failed':
      return {
        message: `livedag: "${python} -c 'import livedag.lsp'" failed: ${check.detail}`,
        command: installCommand(interpreter, platform),
        actions: ['Show Log', 'Copy Install Command', 'Open Settings'],
      };
  }
}
