// The README's library example ("As a library") runs as written against the real node, so it
// cannot go stale. The only rewrite, checked to apply: the config object's node address and
// folders become the test installation's (plus its unique index prefix and snapshot
// repository, so that the example never touches another test's indices), and the package
// specifier becomes the built package's file URL (the example runs from a temp folder).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parseConfig } from '@a4c-admin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, FEW_SAMPLE_INDICES, treeFingerprint } from '../api/installation.test-support.js';
import { createE2eInstallation, type E2eInstallation } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));
const PACKAGE_ENTRY = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;

/** The first ```ts block after the "As a library" heading. */
function libraryExample(readme: string): string {
  const section = readme.slice(readme.indexOf('## As a library'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!readme.includes('## As a library') || !match) throw new Error('README.md has no ```ts block under "## As a library"');
  return match[1]!;
}

/** Each rewrite must apply exactly once: a README change that breaks one fails the test loudly. */
function rewrite(code: string, replacements: Array<[string, string]>): string {
  let result = code;
  for (const [from, to] of replacements) {
    const occurrences = result.split(from).length - 1;
    if (occurrences !== 1) throw new Error(`README example: expected "${from}" once, found it ${occurrences} times; update the rewrite in ${import.meta.url}`);
    result = result.replace(from, to);
  }
  return result;
}

describe("the README's library example", () => {
  let installation: E2eInstallation;

  beforeAll(async () => {
    installation = await createE2eInstallation({ indices: FEW_SAMPLE_INDICES });
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  it('backs up, lists and restores the sample installation as written', async () => {
    const example = libraryExample(await readFile(README, 'utf8'));
    const script = rewrite(example, [
      ["from 'a4c-admin'", `from '${PACKAGE_ENTRY}'`],
      [
        "addresses: ['http://127.0.0.1:9200']",
        `addresses: ['${installation.url}'], index_prefix: '${installation.prefix}', repository: { name: '${installation.repositoryName}', location: '${installation.repositoryName}' }`,
      ],
      ["'/opt/alien4cloud/backups/files'", `'${installation.backupDir}'`],
      ["'/opt/alien4cloud/data'", `'${installation.dataDir}'`],
    ]);
    const file = join(installation.folder, 'readme-example.mjs');
    await writeFile(file, script);

    const config = parseConfig({
      elasticsearch: { addresses: [installation.url], index_prefix: installation.prefix },
      backup: { files_dir: installation.backupDir },
      alien4cloud: { dir: installation.dataDir },
    });
    const indices = Object.keys(installation.indices);
    const documentsBefore = await documentFingerprints(config, indices);
    const filesBefore = await treeFingerprint(installation.dataDir);

    const { stdout } = await execFileAsync(process.execPath, [file], { cwd: installation.folder });
    // What the example prints: progress phases, the backup's summary, the list.
    expect(stdout).toMatch(/^snapshot /m);
    expect(stdout).toMatch(/^files /m);
    expect(stdout).toContain(`${indices.length} indices, `);
    expect(stdout).toMatch(new RegExp(`\\d+ files in ${installation.backupDir}/nightly-1`));
    expect(stdout).toContain("[ 'nightly-1: complete' ]");
    // The restore at its end put back exactly what was saved.
    expect(await documentFingerprints(config, indices)).toEqual(documentsBefore);
    expect(await treeFingerprint(installation.dataDir)).toEqual(filesBefore);
  });
});
