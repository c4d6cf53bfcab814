/**
 * Starts the real language server the way the extension does (serverProcess + initializationOptions)
 * and connects to it over stdio with vscode-languageserver-protocol.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  type ProtocolConnection,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { initializationOptions, serverProcess } from '../../src/serverOptions';
import { VENV_PYTHON } from '../helpers';

export interface RunningServer {
  connection: ProtocolConnection;
  initialized: InitializeResult;
  stderr: string[];
  stop(): Promise<void>;
}

export async function startServer(workspace: string, maxNodes = 100): Promise<RunningServer> {
  const spawnOptions = serverProcess([VENV_PYTHON], { ...process.env }, workspace);
  const child: ChildProcess = spawn(spawnOptions.command, spawnOptions.args, { ...spawnOptions.options, stdio: 'pipe' });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  assert.ok(child.stdout && child.stdin);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).toString(),
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
    initializationOptions: initializationOptions(maxNodes, { prewarm: false }),
    workspaceFolders: null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    connection,
    initialized,
    stderr,
    stop: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      connection.dispose();
      if (child.exitCode === null) {
        await exited;
      }
    },
  };
}

/** Resolves with the first notification of `method` whose params satisfy `accept`. */
export function nextNotification<T>(connection: ProtocolConnection, method: string, accept: (params: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const subscription = connection.onNotification(method, (params: T) => {
      if (accept(params)) {
        subscription.dispose();
        resolve(params);
      }
    });
  });
}
