// Durability helper: a rename or a new file is only crash-safe once its folder is fsynced.
import { open } from 'node:fs/promises';

/** fsync of a folder makes a rename inside it durable (ext4/xfs); file systems that refuse it are ignored. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on file systems that cannot fsync a directory: nothing more can be done.
  } finally {
    await handle.close();
  }
}
