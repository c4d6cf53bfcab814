/**
 * A stand-in for the `vscode` module, installed by test/setup.ts: only the parts the extension's
 * seams touch. Tests script the user's answers and read back what the extension did via `recorded`.
 */

export const recorded = {
  errorMessages: [] as { message: string; items: string[] }[],
  infoMessages: [] as string[],
  clipboard: [] as string[],
  terminalText: [] as string[],
  commands: [] as { command: string; args: unknown[] }[],
};

export const scripted = {
  /** What the next showErrorMessage resolves to. */
  errorChoice: undefined as string | undefined,
  infoChoice: undefined as string | undefined,
  extensions: new Map<string, { isActive: boolean; exports: unknown; activate: () => Promise<unknown> }>(),
};

export function resetStub(): void {
  recorded.errorMessages.length = 0;
  recorded.infoMessages.length = 0;
  recorded.clipboard.length = 0;
  recorded.terminalText.length = 0;
  recorded.commands.length = 0;
  scripted.errorChoice = undefined;
  scripted.infoChoice = undefined;
  scripted.extensions.clear();
}

export const window = {
  showErrorMessage(message: string, ...items: string[]): Promise<string | undefined> {
    recorded.errorMessages.push({ message, items });
    return Promise.resolve(scripted.errorChoice);
  },
  showInformationMessage(message: string): Promise<string | undefined> {
    recorded.infoMessages.push(message);
    return Promise.resolve(scripted.infoChoice);
  },
  createTerminal(_options: { name: string }) {
    return {
      show(): void {},
      sendText(text: string): void {
        recorded.terminalText.push(text);
      },
    };
  },
};

export const env = {
  clipboard: {
    writeText(text: string): Promise<void> {
      recorded.clipboard.push(text);
      return Promise.resolve();
    },
  },
};

export const commands = {
  executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    recorded.commands.push({ command, args });
    return Promise.resolve(undefined);
  },
};

export const extensions = {
  getExtension(id: string) {
    return scripted.extensions.get(id);
  },
};

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(path: string): Uri {
    return new Uri(path);
  }
}

/** Minimal OutputChannel for code that only appends and shows. */
export class FakeOutputChannel {
  readonly lines: string[] = [];
  shown = false;
  appendLine(line: string): void {
    this.lines.push(line);
  }
  show(): void {
    this.shown = true;
  }
}
