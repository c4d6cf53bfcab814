/** package.json against the code: commands, settings and versions agree; the bundle loads. */

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ROOT } from '../helpers';

interface Manifest {
  engines: { vscode: string };
  main: string;
  activationEvents: string[];
  devDependencies: Record<string, string>;
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> } };
}

const manifest = JSON.parse(readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? readFileSync(path.join(dir, entry.name), 'utf8') : ''))
    .join('\n');
}

describe('extension manifest', () => {
  const code = sources(path.join(EXTENSION_ROOT, 'src'));

  it('contributes exactly the commands the code registers', () => {
    const registered = [...code.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, registered);
    // The server's own commands are registered by the language client; contributing them would clash.
    assert.ok(!contributed.includes('livedag.run') && !contributed.includes('livedag.cancelRun') && !contributed.includes('livedag.focusNode'));
  });

  it('declares every setting the code reads', () => {
    const read = [...code.matchAll(/getConfiguration\('([^']+)'[^)]*\)\.get<[^>]+>\('([^']+)'/g)].map((m) => `${m[1]}.${m[2]}`);
    const inline = [...code.matchAll(/getConfiguration\('livedag'[^)]*\)[\s\S]{0,400}?get<[^>]+>\('([^']+)'/g)].map((m) => `livedag.${m[1]}`);
    for (const key of new Set([...read, ...inline])) {
      const declared = Object.keys(manifest.contributes.configuration.properties).some((p) => p === key || p.startsWith(`${key}.`));
      assert.ok(declared, `${key} is read but not declared`);
    }
  });

  it('keeps @types/vscode no newer than engines.vscode (vsce refuses otherwise) and activates on Python', () => {
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
  });

  it('bundles into one file that loads with only `vscode` external', () => {
    const bundle = require(path.join(EXTENSION_ROOT, manifest.main)) as { activate: unknown; deactivate: unknown };
    assert.equal(typeof bundle.activate, 'function');
    assert.equal(typeof bundle.deactivate, 'function');
  });
});
