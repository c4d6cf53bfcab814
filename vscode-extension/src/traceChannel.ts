/**
 * The LSP trace channel. vscode-languageclient 11 traces only while its trace channel's log level is Trace, a
 * level users set through "Developer: Set Log Level…", not through `livedag.trace.server`. This adapter makes
 * the setting the switch: a plain output channel dressed as a LogOutputChannel whose level is Trace exactly
 * while `livedag.trace.server` is `messages` or `verbose`, and which announces the change when the setting
 * changes, so the client starts or stops tracing at once.
 */

import * as vscode from 'vscode';

export type TraceSetting = 'off' | 'messages' | 'verbose';

/** The log level the client should see for a `livedag.trace.server` value. Pure. */
export function traceLevel(setting: string | undefined): vscode.LogLevel {
  return setting === 'messages' || setting === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Info;
}

export function createTraceChannel(name: string, setting: () => string | undefined): vscode.LogOutputChannel & vscode.Disposable {
  const channel = vscode.window.createOutputChannel(name);
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  let level = traceLevel(setting());
  const watch = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('livedag.trace.server')) {
      const next = traceLevel(setting());
      if (next !== level) {
        level = next;
        channel.appendLine(`${new Date().toISOString()} livedag.trace.server: ${setting() ?? 'off'}`);
        levelChanged.fire(level);
      }
    }
  });
  const line = (prefix: string) => (message: string | Error, ...args: unknown[]): void => {
    const text = message instanceof Error ? message.stack ?? message.message : message;
    channel.appendLine(`${new Date().toISOString()} [${prefix}] ${[text, ...args.map(String)].join(' ')}`);
  };
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return traceLevel(setting());
    },
    onDidChangeLogLevel: levelChanged.event,
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warning'),
    error: line('error'),
    append: (value: string) => channel.append(value),
    appendLine: (value: string) => channel.appendLine(value),
    replace: (value: string) => channel.replace(value),
    clear: () => channel.clear(),
    show: (...args: unknown[]) => channel.show(...(args as [boolean?])),
    hide: () => channel.hide(),
    dispose: () => {
      watch.dispose();
      levelChanged.dispose();
      channel.dispose();
    },
  } as vscode.LogOutputChannel & vscode.Disposable;
}
