/**
 * Mocha `--require` hook: resolves `import 'vscode'` to the stub next to this file, so the
 * extension's VSCode-facing seams load in plain Node.
 */

import Module from 'node:module';
import * as path from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
const stubPath = path.join(__dirname, 'stub', 'vscode.js');

moduleWithResolve._resolveFilename = function resolve(this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? stubPath : original.call(this, request, ...rest);
};
