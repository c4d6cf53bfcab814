// Writes dist/README.md, the extension page's README: README.md with its local images inlined as data: URIs.
// VS Code's extension page does not resolve images relative to an installed .vsix, and vsce would rewrite them
// to repository URLs; inlined, the page shows them offline. `npm run package` calls this.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const types = { png: 'image/png', svg: 'image/svg+xml', jpg: 'image/jpeg', jpeg: 'image/jpeg' };
const readme = readFileSync('README.md', 'utf8').replace(/!\[([^\]]*)\]\((media\/[^)\s]+)\)/g, (_match, alt, path) => {
  const type = types[path.split('.').pop().toLowerCase()];
  if (type === undefined) {
    throw new Error(`README.md: cannot inline ${path}`);
  }
  return `![${alt}](data:${type};base64,${readFileSync(path).toString('base64')})`;
});
mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.md', readme);
