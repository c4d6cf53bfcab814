/**
 * A stand-in for the `vscode` module, installed by test/setup.ts: only the parts the extension's
 * seams touch. Tests script the user's answers and read back what the extension did via `recorded`.
 */

export const recorded = {
  registeredCommands: [] as string[],
  commandCallbacks: new Map<string, (...args: unknown[]) => unknown>(),
  statusBar: [] as string[],
  quickPicks: [] as string[][],
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
  quickPickChoice: undefined as string | undefined,
  /** The token withProgress hands to its task (tests may cancel it). */
  progressToken: { isCancellationRequested: false, onCancellationRequested: () => new Disposable() } as CancellationToken,
  /** Settings by full key, e.g. `livedag.pythonPath`. */
  config: new Map<string, unknown>(),
  extensions: new Map<string, { isActive: boolean; exports: unknown; activate: () => Promise<unknown> }>(),
};

export function resetStub(): void {
  recorded.registeredCommands.length = 0;
  recorded.commandCallbacks.clear();
  recorded.statusBar.length = 0;
  recorded.quickPicks.length = 0;
  scripted.quickPickChoice = undefined;
  scripted.progressToken = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
  window.activeTextEditor = undefined;
  recorded.errorMessages.length = 0;
  recorded.infoMessages.length = 0;
  recorded.clipboard.length = 0;
  recorded.terminalText.length = 0;
  recorded.commands.length = 0;
  scripted.errorChoice = undefined;
  scripted.infoChoice = undefined;
  scripted.extensions.clear();
  scripted.config.clear();
}

export interface CancellationToken {
  isCancellationRequested: boolean;
  onCancellationRequested: (listener: () => void) => Disposable;
}

export class Disposable {
  constructor(private readonly callOnDispose: () => void = () => undefined) {}
  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(value: T): void {
    this.listeners.forEach((listener) => listener(value));
  }
  dispose(): void {
    this.listeners = [];
  }
}

const noEvent = (): Disposable => new Disposable();

export const ViewColumn = { One: 1, Beside: -2 };

export enum LogLevel { Off = 0, Trace = 1, Debug = 2, Info = 3, Warning = 4, Error = 5 }

export const workspace = {
  workspaceFolders: undefined as undefined | { uri: Uri }[],
  getConfiguration(section: string) {
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        return (scripted.config.get(`${section}.${key}`) as T | undefined) ?? fallback;
      },
    };
  },
  isTrusted: true,
  onDidChangeConfiguration: noEvent,
  onDidChangeTextDocument: noEvent,
  onDidGrantWorkspaceTrust: noEvent,
};

/** Enough of a TextEditor for commands that read the document and the cursor. */
export interface FakeEditor {
  document: { uri: { toString(): string }; languageId: string };
  selection: { active: { line: number; character: number } };
}

export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };

export const window = {
  activeTextEditor: undefined as FakeEditor | undefined,
  withProgress<T>(_options: unknown, task: (progress: unknown, token: CancellationToken) => Promise<T>): Promise<T> {
    return task({ report: () => undefined }, scripted.progressToken);
  },
  setStatusBarMessage(text: string): Disposable {
    recorded.statusBar.push(text);
    return new Disposable();
  },
  showQuickPick(items: string[]): Promise<string | undefined> {
    recorded.quickPicks.push(items);
    return Promise.resolve(scripted.quickPickChoice);
  },
  showWarningMessage(message: string): Promise<string | undefined> {
    recorded.infoMessages.push(message);
    return Promise.resolve(undefined);
  },
  createOutputChannel(_name: string) {
    return new FakeOutputChannel();
  },
  onDidChangeActiveTextEditor: noEvent,
  onDidChangeTextEditorSelection: noEvent,
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
  registerCommand(command: string, callback: (...args: unknown[]) => unknown): Disposable {
    recorded.registeredCommands.push(command);
    recorded.commandCallbacks.set(command, callback);
    return new Disposable();
  },
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

/** Minimal (Log)OutputChannel for code that only writes and shows. */
export class FakeOutputChannel {
  readonly lines: string[] = [];
  shown = false;
  appendLine(line: string): void {
    this.lines.push(line);
  }
  info(line: string): void {
    this.lines.push(line);
  }
  error(line: string): void {
    this.lines.push(line);
  }
  show(): void {
    this.shown = true;
  }
  dispose(): void {}
}

/** Base classes the language client extends when its module loads (their behaviour is not used here). */
export class CallHierarchyItem {}
export class CodeLens {}
export class CompletionItem {}
export class DocumentLink {}
export class InlayHint {}
export class SymbolInformation {}
export class TypeHierarchyItem {}
export class CodeAction {}
export class Diagnostic {}
export class CancellationError extends Error {}
