// @ts-check
// The binary (dist/bin.js) carries copies of its npm dependencies (tsup.config.ts bundles them):
// their licenses travel with those copies. Reads esbuild's list of the files it bundled, finds
// the package each came from, and writes every package's name, version, license and license
// text to dist/THIRD-PARTY-NOTICES.txt; then removes the list, which nobody else needs.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageRoot, 'dist');
const metafile = join(dist, 'metafile-esm.json');

/** @type {{ inputs: Record<string, unknown> }} */
const bundled = JSON.parse(readFileSync(metafile, 'utf8'));
/** The folder of the npm package a bundled file comes from (the last node_modules/<name> or node_modules/@scope/<name> of its path). */
const packageFolderOf = (/** @type {string} */ input) => {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? resolve(packageRoot, match[1]) : undefined;
};
const folders = [
  ...new Set(
    Object.keys(bundled.inputs)
      .map(packageFolderOf)
      .filter((folder) => folder !== undefined),
  ),
];

const notices = folders
  .map((folder) => {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenseFile
      ? readFileSync(join(folder, licenseFile), 'utf8').trim()
      : `(no license file in the package; its package.json says ${manifest.license ?? 'nothing'})`;
    return { id: `${manifest.name}@${manifest.version}`, license: String(manifest.license ?? 'UNKNOWN'), text };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

const header = `The a4c-admin binary (dist/bin.js) includes the following npm packages.\n`;
writeFileSync(
  join(dist, 'THIRD-PARTY-NOTICES.txt'),
  `${header}\n${notices.map(({ id, license, text }) => `${'='.repeat(72)}\n${id} (${license})\n${'='.repeat(72)}\n${text}\n`).join('\n')}`,
);
if (existsSync(metafile)) rmSync(metafile);
console.log(`dist/THIRD-PARTY-NOTICES.txt: ${notices.length} bundled packages`);
