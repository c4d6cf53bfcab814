// Bundles the extension (CommonJS, `vscode` external), the webview script (IIFE with mermaid) and,
// with --tests, the mocha tests (out/test). Usage: node build.mjs [--tests] [--production]
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = { bundle: true, logLevel: 'warning', sourcemap: !production, minify: production };

const builds = [
  build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    sourcemap: false,
  }),
  build({
    ...common,
    entryPoints: ['src/webview/timeline.ts'],
    outfile: 'dist/timeline.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    sourcemap: false,
  }),
];

function testEntries(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testEntries(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

if (tests) {
  builds.push(
    build({
      ...common,
      entryPoints: testEntries('test'),
      outdir: 'out/test',
      outbase: 'test',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      sourcemap: true,
      minify: false,
    }),
  );
}

await Promise.all(builds);
