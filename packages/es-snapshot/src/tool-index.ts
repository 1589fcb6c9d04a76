// The small indices a4c-admin keeps for itself (the data-version marker, and before 7.3 the
// snapshot metadata): one shard, and a replica only where a second node can hold it, so that a
// single-node installation (as A4C 1.x often ran) stays green. Created on first write.
import type { Client } from '@elastic/elasticsearch';

/** Creates the tool's index `index` unless it exists (another process creating it at the same time is fine). */
export async function ensureToolIndex(client: Client, index: string, mappings?: Record<string, unknown>): Promise<void> {
  if (await client.indices.exists({ index })) return;
  await client.indices
    .create({
      index,
      ...(mappings ? { mappings: mappings as never } : {}),
      settings: { index: { number_of_shards: 1, auto_expand_replicas: '0-1' } },
    })
    .catch((error: unknown) => {
      // Another process created it between our check and our create: fine.
      if (!isAlreadyExists((error as { meta?: { body?: unknown } }).meta?.body)) throw error;
    });
}

/** 8.x says resource_already_exists_exception, 1.x IndexAlreadyExistsException. */
function isAlreadyExists(body: unknown): boolean {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return /IndexAlreadyExistsException/.test(error);
  const type = (body as { error?: { type?: string } } | undefined)?.error?.type ?? '';
  return /resource_already_exists_exception|index_already_exists_exception/.test(type);
}
