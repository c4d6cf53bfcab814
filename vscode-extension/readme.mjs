// Writes dist/README.md, the README of the extension page, from README.md.
// VS Code's extension page shows only https: images (its sanitizer drops data: and relative sources), and an
// installed .vsix has no web address for its own files, so local images are left out of the packaged README
// rather than shown broken; README.md keeps them for readers of the repository. Links into the repository
// (`../`) would point nowhere from the extension page: they are refused here. `npm run package` calls this.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync('README.md', 'utf8');
if (/\]\(\.\.\//.test(source)) {
  throw new Error('README.md: a link into the repository (../) would be broken on the extension page');
}
const readme = source.replace(/^!\[[^\]]*\]\((?:media\/|\.\/)[^)\s]+\)\s*\n+/gm, '');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.md', readme);
