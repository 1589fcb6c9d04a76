import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { swapPluginCode } from './swap-plugin-code.js';
import { verifyPlugins } from './verify-plugins.js';

const PATH_ID = '112a6d4c-1744-496e-b837-76ac2199f7d1';
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'a4c-plugins-'));
  folders.push(folder);
  return folder;
}

type ZipEntry = { name: string; content?: string; mode?: number };

/** A real zip file built with yazl. */
async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.content ?? ''), entry.name, entry.mode === undefined ? {} : { mode: entry.mode });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** yazl refuses unsafe names, as it should: write a same-length safe name, then patch it in both headers. */
function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  expect(from.length).toBe(to.length);
  return Buffer.from(zip.toString('latin1').split(from).join(to), 'latin1');
}

const pluginYml = (id: string, version: string) => `id: ${id}\nname: Cloudify 3 Orchestrator Plugin\nversion: ${version}\nconfiguration_class: x.Y\n`;

/** A data folder with the 1.1.0 cloudify 3 plugin code in place. */
async function dataFolderWithPlugin(): Promise<{ dataDir: string; folder: string }> {
  const dataDir = await temporaryFolder();
  const folder = join(dataDir, 'work', 'plugins', 'content', PATH_ID);
  await mkdir(join(folder, 'META-INF'), { recursive: true });
  await mkdir(join(folder, 'lib'));
  await writeFile(join(folder, 'META-INF', 'plugin.yml'), pluginYml('alien-cloudify-3-orchestrator', '1.1.0'));
  await writeFile(join(folder, 'lib', 'old.jar'), 'old code');
  return { dataDir, folder };
}

async function treeOf(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).map(String).sort();
}

const NEW_PLUGIN: ZipEntry[] = [
  { name: 'META-INF/plugin.yml', content: pluginYml('alien-cloudify-3-orchestrator', '1.2.0') },
  { name: 'lib/new.jar', content: 'new code' },
  { name: 'ui/', content: '' },
];

describe('swapPluginCode', () => {
  it('replaces the plugin code with the zip content and keeps the old code aside', async () => {
    const { dataDir, folder } = await dataFolderWithPlugin();
    const zipFile = join(dataDir, 'cloudify3-1.2.0.zip');
    await writeFile(zipFile, await zipOf(NEW_PLUGIN.filter((entry) => !entry.name.endsWith('/'))));
    const result = await swapPluginCode({ dataDir, pluginPathId: PATH_ID, zipFile, now: new Date('2026-03-01T10:00:00Z') });
    expect(result.descriptor).toMatchObject({ id: 'alien-cloudify-3-orchestrator', version: '1.2.0' });
    expect(await treeOf(folder)).toEqual(['META-INF', 'META-INF/plugin.yml', 'lib', 'lib/new.jar']);
    expect(await readFile(join(folder, 'lib', 'new.jar'), 'utf8')).toBe('new code');
    expect(result.previous).toBe(`${folder}.previous-2026-03-01T10-00-00-000Z`);
    expect(await readFile(join(result.previous, 'lib', 'old.jar'), 'utf8')).toBe('old code');
    // No staging folder is left behind.
    expect(await readdir(join(dataDir, 'work', 'plugins', 'content'))).toEqual([PATH_ID, `${PATH_ID}.previous-2026-03-01T10-00-00-000Z`]);
  });

  it('accepts a zip wrapping the plugin in one top-level folder', async () => {
    const { dataDir, folder } = await dataFolderWithPlugin();
    const zipFile = join(dataDir, 'wrapped.zip');
    await writeFile(zipFile, await zipOf([{ name: 'plugin-1.2.0/META-INF/plugin.yml', content: pluginYml('alien-cloudify-3-orchestrator', '1.2.0') }]));
    await swapPluginCode({ dataDir, pluginPathId: PATH_ID, zipFile });
    expect(await treeOf(folder)).toEqual(['META-INF', 'META-INF/plugin.yml']);
  });

  const unsafeZips: Array<[string, () => Promise<Buffer>]> = [
    ['a ../ entry', async () => renameEntry(await zipOf([...NEW_PLUGIN.slice(0, 2), { name: 'xx/evil.txt', content: 'x' }]), 'xx/evil.txt', '../evil.txt')],
    [
      'an absolute entry',
      async () => renameEntry(await zipOf([...NEW_PLUGIN.slice(0, 2), { name: 'tmp/evil.txt', content: 'x' }]), 'tmp/evil.txt', '/tm/evil.txt'),
    ],
    ['a symbolic link entry', async () => zipOf([...NEW_PLUGIN.slice(0, 2), { name: 'lib/link', content: '/etc/passwd', mode: 0o120777 }])],
  ];

  it.each(unsafeZips)('refuses %s with UNSAFE_PATH and leaves the plugin folder unchanged', async (_title, build) => {
    const { dataDir, folder } = await dataFolderWithPlugin();
    const before = await treeOf(join(dataDir, 'work'));
    const zipFile = join(dataDir, 'evil.zip');
    await writeFile(zipFile, await build());
    await expect(swapPluginCode({ dataDir, pluginPathId: PATH_ID, zipFile })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    expect(await treeOf(join(dataDir, 'work'))).toEqual(before);
    expect(await readFile(join(folder, 'lib', 'old.jar'), 'utf8')).toBe('old code');
    expect(await readdir(dataDir)).not.toContain('evil.txt');
  });

  it('refuses a zip without META-INF/plugin.yml, and an unsafe plugin path id', async () => {
    const { dataDir, folder } = await dataFolderWithPlugin();
    const zipFile = join(dataDir, 'not-a-plugin.zip');
    await writeFile(zipFile, await zipOf([{ name: 'lib/x.jar', content: 'x' }]));
    await expect(swapPluginCode({ dataDir, pluginPathId: PATH_ID, zipFile })).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    expect(await readFile(join(folder, 'lib', 'old.jar'), 'utf8')).toBe('old code');
    expect(await readdir(join(dataDir, 'work', 'plugins', 'content'))).toEqual([PATH_ID]);
    await expect(swapPluginCode({ dataDir, pluginPathId: '../content', zipFile })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});

describe('verifyPlugins', () => {
  it('reports missing code, wrong plugins and version drift', async () => {
    const { dataDir } = await dataFolderWithPlugin();
    const otherFolder = join(dataDir, 'work', 'plugins', 'content', 'other-path');
    await mkdir(join(otherFolder, 'META-INF'), { recursive: true });
    await writeFile(join(otherFolder, 'META-INF', 'plugin.yml'), pluginYml('somebody-else', '1.1.0'));
    const plugin = (id: string, version: string, pluginPathId?: string) => ({
      id: `${id}:${version}`,
      source: { descriptor: { id, version }, pluginPathId, enabled: true },
    });
    const ok = await verifyPlugins({ dataDir, plugins: [plugin('alien-cloudify-3-orchestrator', '1.1.0', PATH_ID)] });
    expect(ok).toEqual({ checked: 1, ok: true, findings: [] });

    const result = await verifyPlugins({
      dataDir,
      plugins: [
        plugin('alien-cloudify-3-orchestrator', '1.0.0', PATH_ID),
        plugin('alien4cloud-mock-paas-provider', '1.1.0', '9c8b7a6f-bb20-4c3d-9e4f-0a1b2c3d4e5f'),
        plugin('my-plugin', '1.1.0', 'other-path'),
        plugin('no-path', '1.0.0'),
      ],
    });
    expect(result.ok).toBe(false);
    expect(result.findings.map((finding) => [finding.plugin, finding.problem, finding.severity])).toEqual([
      ['alien-cloudify-3-orchestrator:1.0.0', 'version-mismatch', 'warning'],
      ['alien4cloud-mock-paas-provider:1.1.0', 'missing-folder', 'error'],
      ['my-plugin:1.1.0', 'id-mismatch', 'error'],
      ['no-path:1.0.0', 'missing-path-id', 'error'],
    ]);
  });
});
