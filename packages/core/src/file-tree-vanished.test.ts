// A file A4C deletes between the walk and its copy is skipped with a warning, not a failure.
// The deletion happens at the moment the copy opens the file (node:fs mocked for that one
// name): the only way to hit the window between the walk and the copy every time.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFileTree, createProgressReporter } from '@a4c-admin/core/internal';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The "vanished" tests delete a file at the moment the copy opens it: the only way to hit the
// window between the walk and the copy every time. Every other open goes through untouched.
const vanishOnOpen = vi.hoisted(() => ({ suffix: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  return {
    ...original,
    openSync: ((path: string, ...rest: unknown[]) => {
      if (vanishOnOpen.suffix && typeof path === 'string' && path.endsWith(vanishOnOpen.suffix)) original.rmSync(path, { force: true });
      return (original.openSync as (...args: unknown[]) => number)(path, ...rest);
    }) as typeof original.openSync,
  };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...original,
    open: (async (path: string, ...rest: unknown[]) => {
      if (vanishOnOpen.suffix && typeof path === 'string' && path.endsWith(vanishOnOpen.suffix)) await original.rm(path, { force: true });
      return (original.open as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof original.open,
  };
});

let root: string;
let data: string;
let backup: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-vanish-'));
  data = join(root, 'data');
  backup = join(root, 'backup', 'files');
  vanishOnOpen.suffix = undefined;
});
afterEach(async () => {
  vanishOnOpen.suffix = undefined;
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(data, path, '..'), { recursive: true });
  await writeFile(join(data, path), content);
}

describe('files that vanish during a backup', () => {
  it('a small file deleted between the walk and its copy is skipped with a warning, not a failure', async () => {
    await put('csar/keep.yml', 'keep');
    await put('csar/vanishing.yml', 'gone soon');
    vanishOnOpen.suffix = 'vanishing.yml';
    const warnings: string[] = [];
    const copied = await backupFileTree({
      sourceRoot: data,
      parts: ['csar'],
      destinationRoot: backup,
      progress: createProgressReporter('backup', (event) => (event.kind === 'warning' ? warnings.push(String(event.message)) : undefined)),
    });
    expect(copied.files.map((file) => file.path)).toEqual(['csar/keep.yml']);
    expect(copied.vanished).toEqual(['csar/vanishing.yml']);
    expect(warnings.join('\n')).toMatch(/vanishing\.yml vanished/);
  });

  it('variation: a large file (streamed copy) deleted at its copy is skipped too', async () => {
    await put('artifacts/keep.bin', Buffer.alloc(10));
    await put('artifacts/big-vanishing.bin', Buffer.alloc(2 * 1024 * 1024, 3));
    vanishOnOpen.suffix = 'big-vanishing.bin';
    const copied = await backupFileTree({ sourceRoot: data, parts: ['artifacts'], destinationRoot: backup });
    expect(copied.files.map((file) => file.path)).toEqual(['artifacts/keep.bin']);
    expect(copied.vanished).toEqual(['artifacts/big-vanishing.bin']);
  });
});
