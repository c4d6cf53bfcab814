/**
 * The language server's lifecycle in VSCode: choose the interpreter, check that it can import the
 * server (else prompt), start the language client with its log in an output channel, restart on
 * request or when the interpreter changes, and relay `livedag/graphChanged`. Everything the server
 * offers (diagnostics, hover, definition, references, rename, completion, symbols, code lens,
 * inlay hints, commands) comes through the client; nothing is re-implemented here.
 */

import * as os from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { checkServerImport } from './installCheck';
import { promptInstall } from './installPrompt';
import { chooseInterpreter, describeInterpreter } from './interpreter';
import {
  FOCUS_NODE_COMMAND,
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  type GraphChangedParams,
  type GraphParams,
  type GraphResult,
  parseFocusNodeArguments,
  RUN_FINISHED_NOTIFICATION,
  type RunFinishedParams,
  type RunSettings,
  TIMELINE_REQUEST,
  type TimelineParams,
  type TimelineResult,
} from './protocol';
import { onPythonInterpreterChanged, pythonExtensionInterpreter } from './pythonEnv';
import { DOCUMENT_SELECTOR, initializationOptions, serverProcess } from './serverOptions';
import { createTraceChannel } from './traceChannel';

export class LivedagServer implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('livedag', { log: true });
  /** LSP traffic while `livedag.trace.server` is `messages` or `verbose` (see traceChannel.ts). */
  readonly trace = createTraceChannel('livedag (LSP trace)', () =>
    vscode.workspace.getConfiguration('livedag').get<string>('trace.server'));
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly graphChanged = new vscode.EventEmitter<GraphChangedParams>();
  private readonly started = new vscode.EventEmitter<void>();
  private readonly focusRequested = new vscode.EventEmitter<{ uri: string; node: string }>();
  private readonly runFinished = new vscode.EventEmitter<RunFinishedParams>();
  private readonly disposables: vscode.Disposable[] = [
    this.output, this.trace, this.graphChanged, this.started, this.focusRequested, this.runFinished,
  ];
  /** Fires with every `livedag/graphChanged` notification. */
  readonly onGraphChanged = this.graphChanged.event;
  /** Fires when a (re)started server is ready. */
  readonly onStarted = this.started.event;
  /** Fires when the user clicks a node's code lens (the server's `livedag.focusNode`). */
  readonly onFocusRequested = this.focusRequested.event;
  /** Fires with every `livedag/runFinished` notification (a run is over and recorded). */
  readonly onRunFinished = this.runFinished.event;

  async activate(): Promise<void> {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        // a new interpreter; or the trace switch, which the language client reads when it starts
        if (event.affectsConfiguration('livedag.pythonPath') || event.affectsConfiguration('livedag.trace.server')) {
          void this.restart();
        }
      }),
    );
    // Restricted Mode ends: restart so the server may run nodes (it was told it may not).
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()));
    const pythonWatch = await onPythonInterpreterChanged(() => void this.restart());
    if (pythonWatch !== undefined) {
      this.disposables.push(pythonWatch);
    }
    await this.start();
  }

  /** Starts (or restarts) the server; calls are queued so two clients never run at once. */
  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      this.output.info('restarting the language server');
      await this.startNow();
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    // A failed step is logged and must not block the steps queued after it.
    this.queue = next.catch((error: unknown) => this.output.error(String(error)));
    return next;
  }

  private async startNow(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const choice = chooseInterpreter({
      setting: vscode.workspace.getConfiguration('livedag', folder?.uri).get<string>('pythonPath'),
      pythonExtension: await pythonExtensionInterpreter(folder?.uri),
      workspaceFolder: folder?.uri.fsPath,
      home: os.homedir(),
    });
    this.output.info(`interpreter ${describeInterpreter(choice)}`);
    const check = await checkServerImport(choice.argv);
    if (check.kind !== 'ok') {
      // Not awaited: activation must not wait for the user to answer.
      void promptInstall(check, choice.argv, { output: this.output, restart: () => this.restart() });
      return;
    }
    const spawn = serverProcess(choice.argv, { ...globalThis.process.env }, folder?.uri.fsPath);
    const serverOptions: ServerOptions = { ...spawn, transport: TransportKind.stdio };
    const client = new LanguageClient('livedag', 'livedag', serverOptions, this.clientOptions(folder?.uri));
    this.client = client;
    client.onNotification(GRAPH_CHANGED_NOTIFICATION, (params: GraphChangedParams) => this.graphChanged.fire(params));
    client.onNotification(RUN_FINISHED_NOTIFICATION, (params: RunFinishedParams) => this.runFinished.fire(params));
    try {
      await client.start();
      this.started.fire();
    } catch (error) {
      const message = `the language server did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.error(message);
      void vscode.window.showErrorMessage(`livedag: ${message}`, 'Show Log').then((pick) => {
        if (pick === 'Show Log') {
          this.output.show(true);
        }
      });
    }
  }

  private clientOptions(folder: vscode.Uri | undefined): LanguageClientOptions {
    const config = vscode.workspace.getConfiguration('livedag', folder);
    return {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      initializationOptions: initializationOptions(
        config.get<number>('preview.maxNodes', 100),
        config.get<RunSettings>('run', {}),
        vscode.workspace.isTrusted,
      ),
      middleware: {
        // The lens's focus command is for the preview: handle it here instead of a round trip.
        executeCommand: (command, args, next) => {
          const focus = command === FOCUS_NODE_COMMAND ? parseFocusNodeArguments(args) : undefined;
          if (focus === undefined) {
            return next(command, args);
          }
          this.focusRequested.fire(focus);
          return undefined;
        },
      },
    };
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await client.dispose();
    }
  }

  private running(): LanguageClient {
    if (this.client === undefined || !this.client.isRunning()) {
      throw new Error('the livedag language server is not running (see the livedag output channel)');
    }
    return this.client;
  }

  requestGraph(params: GraphParams): Promise<GraphResult> {
    return this.running().sendRequest<GraphResult>(GRAPH_REQUEST, params);
  }

  /** The last recorded run of the graph holding `params.uri` (`null`: none yet). */
  requestTimeline(params: TimelineParams): Promise<TimelineResult | null> {
    return this.running().sendRequest<TimelineResult | null>(TIMELINE_REQUEST, params);
  }

  /** `workspace/executeCommand`; cancelling the token sends `$/cancelRequest` (the server stops a run). */
  executeCommand(command: string, args: unknown[], token?: vscode.CancellationToken): Promise<unknown> {
    const params = { command, arguments: args };
    // An `undefined` token would be sent as a second parameter (params as a list: InvalidParams).
    return token === undefined
      ? this.running().sendRequest('workspace/executeCommand', params)
      : this.running().sendRequest('workspace/executeCommand', params, token);
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}
