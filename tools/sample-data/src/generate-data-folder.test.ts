import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { generateDataFolder } from './generate-data-folder.js';
import { crc32 } from './png.js';
import { readSampleDocuments } from './sample-files.js';

const folders: string[] = [];
async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'a4c-sample-data-'));
  folders.push(folder);
  return folder;
}
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

async function treeHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(root))
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(root, file)));
  return hash.digest('hex');
}

function zipEntryNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('generateDataFolder', () => {
  it('gives byte-identical folders for one seed and different ones for another', async () => {
    const [first, second, third] = [await temporaryFolder(), await temporaryFolder(), await temporaryFolder()];
    const result = await generateDataFolder({ root: first, seed: 7 });
    await generateDataFolder({ root: second, seed: 7 });
    await generateDataFolder({ root: third, seed: 8 });
    expect(await treeHash(first)).toBe(await treeHash(second));
    expect(await treeHash(first)).not.toBe(await treeHash(third));
    const files = await listFiles(first);
    expect(result.files).toBe(files.length);
    let bytes = 0;
    for (const file of files) bytes += (await stat(join(first, file))).size;
    expect(result.bytes).toBe(bytes);
  });

  it('lays out every part of an A4C data folder, including the parts a backup must skip', async () => {
    const root = await temporaryFolder();
    await generateDataFolder({ root });
    const files = await listFiles(root);
    const documents = await readSampleDocuments();
    for (const csar of documents.filter((document) => document.index === 'csar')) {
      const { name, version } = csar.source as { name: string; version: string };
      const folder = `csar/${name}/${version}`;
      expect(files).toContain(`${folder}/${name}-${version}.csar`);
      expect(files).toContain(`${folder}/expanded/${name}.yml`);
      expect(files).toContain(`${folder}/content.json`);
      expect(files).toContain(`${folder}/parsingresult.json`);
      const entries = await zipEntryNames(join(root, `${folder}/${name}-${version}.csar`));
      expect(entries).toContain(`${name}.yml`);
      const definitions = yaml.load(await readFile(join(root, `${folder}/expanded/${name}.yml`), 'utf8')) as Record<string, unknown>;
      expect(definitions.template_name).toBe(name);
    }
    // The war file and scripts that the tomcat types point at travel inside their archive.
    expect(await zipEntryNames(join(root, 'csar/tomcat-war-types/2.0.0-SNAPSHOT/tomcat-war-types-2.0.0-SNAPSHOT.csar'))).toEqual(
      expect.arrayContaining(['warFiles/helloWorld.war', 'scripts/tomcat_install.sh']),
    );
    expect(files).toContain('artifacts/a8b3e4c2-6d1f-4c9a-b7e5-2f0d8c1a9e34');
    expect(files.filter((file) => file.startsWith('upload/'))).toHaveLength(1);
    expect(files.some((file) => file.startsWith('elasticsearch/'))).toBe(true);
  });

  it('writes plugin folders whose plugin.yml matches the plugin documents', async () => {
    const root = await temporaryFolder();
    await generateDataFolder({ root });
    const plugins = (await readSampleDocuments()).filter((document) => document.index === 'plugin');
    expect(plugins.length).toBeGreaterThan(0);
    for (const plugin of plugins) {
      const pathId = plugin.source.pluginPathId as string;
      const descriptor = plugin.source.descriptor as { id: string; version: string };
      const pluginYaml = yaml.load(await readFile(join(root, `work/plugins/content/${pathId}/META-INF/plugin.yml`), 'utf8')) as Record<string, unknown>;
      expect(`${pluginYaml.id}:${pluginYaml.version}`).toBe(plugin.id);
      expect(await readdir(join(root, `work/plugins/content/${pathId}/lib`))).toEqual([`${descriptor.id}-${descriptor.version}.jar`]);
      expect((await readdir(join(root, `work/plugins/ui/${pathId}`))).length).toBeGreaterThan(0);
      expect(await zipEntryNames(join(root, `plugins/${descriptor.id}-${descriptor.version}.zip`))).toContain('META-INF/plugin.yml');
    }
  });

  it('writes images that are valid PNG files, with their resized variants', async () => {
    const root = await temporaryFolder();
    await generateDataFolder({ root });
    const imageId = 'b4c5d6e7-0012-4a8b-9c0d-1e2f3a4b5c6d';
    for (const [file, size] of [
      [`${imageId}.png`, 256],
      [`QUALITY_16${imageId}.png`, 16],
    ] as const) {
      const png = await readFile(join(root, 'images', file));
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.readUInt32BE(16)).toBe(size);
      // Every chunk's CRC is right and the pixels inflate to the announced size.
      let offset = 8;
      let pixels = 0;
      while (offset < png.length) {
        const length = png.readUInt32BE(offset);
        const typed = png.subarray(offset + 4, offset + 8 + length);
        expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typed));
        if (typed.subarray(0, 4).toString() === 'IDAT') pixels = inflateSync(typed.subarray(4)).length;
        offset += 12 + length;
      }
      expect(pixels).toBe(size * (1 + size * 3));
    }
  });

  it('grows with scale', async () => {
    const [small, large] = [await temporaryFolder(), await temporaryFolder()];
    const one = await generateDataFolder({ root: small, scale: 1 });
    const four = await generateDataFolder({ root: large, scale: 4 });
    expect(four.files).toBeGreaterThan(one.files);
    expect(four.bytes).toBeGreaterThan(2 * one.bytes);
  });
});
