// Snapshot metadata (who took a snapshot, for which backup folder, which concrete indices each
// name stood for) on servers that cannot keep it in the snapshot itself (user metadata came in
// 7.3): one document per snapshot in a small index of a4c-admin's own, written before the
// snapshot starts and deleted with it. Backups rely on it to tell their own snapshot (left by a
// killed run: removed) from anyone else's (refused), as they do with the snapshot's metadata.
import type { Client } from '@elastic/elasticsearch';
import { documentPath, type ServerDialect } from './dialect/server-dialect.js';
import { rawRequest } from './raw-request.js';
import type { RawSnapshot } from './snapshot-read.js';
import { ensureToolIndex } from './tool-index.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

const DOCUMENT_TYPE = 'snapshot';

export interface SnapshotMetadataIndex {
  /** The snapshots with the metadata recorded for them (when the snapshot carries none itself). */
  attach(snapshots: RawSnapshot[]): Promise<RawSnapshot[]>;
  /** Records the metadata of a snapshot about to be taken. */
  record(name: string, metadata: Record<string, unknown>): Promise<void>;
  /** Forgets a deleted snapshot's metadata. */
  forget(name: string): Promise<void>;
}

/** The metadata index of a repository, named `<prefix>a4c-admin-snapshot-metadata`. */
export function createSnapshotMetadataIndex(client: Client, dialect: ServerDialect, repository: string, index: string): SnapshotMetadataIndex {
  const id = (name: string) => `${repository}:${name}`;
  const path = (name: string) => documentPath(dialect, index, DOCUMENT_TYPE, id(name));
  return {
    async attach(snapshots) {
      if (snapshots.length === 0) return snapshots;
      let answer: { docs?: { found?: boolean; _source?: { metadata?: string } }[] };
      try {
        answer = (await client.transport.request(
          {
            method: 'POST',
            path: `/${encodeURIComponent(index)}/_mget`,
            body: { docs: snapshots.map((snapshot) => ({ _type: DOCUMENT_TYPE, _id: id(snapshot.snapshot) })) },
          },
          { ignore: [404] },
        )) as typeof answer;
      } catch (error) {
        throw wrapElasticsearchError(error, `reading the snapshot metadata in ${index}`);
      }
      return snapshots.map((snapshot, position) => {
        const recorded = answer.docs?.[position];
        if (snapshot.metadata || !recorded?.found || typeof recorded._source?.metadata !== 'string') return snapshot;
        return { ...snapshot, metadata: JSON.parse(recorded._source.metadata) as Record<string, unknown> };
      });
    },
    async record(name, metadata) {
      // Kept as a string: never mapped, so that metadata keys never grow a mapping.
      const body = { repository, snapshot: name, metadata: JSON.stringify(metadata) };
      await ensureToolIndex(client, index).catch((error: unknown) => {
        throw wrapElasticsearchError(error, `creating ${index} for the metadata of snapshot ${name}`);
      });
      await rawRequest(
        client,
        { method: 'PUT', path: path(name), querystring: { refresh: dialect.refreshOnWrite }, body },
        `recording the metadata of snapshot ${name}`,
      );
    },
    async forget(name) {
      try {
        await client.transport.request({ method: 'DELETE', path: path(name), querystring: { refresh: dialect.refreshOnWrite } }, { ignore: [404] });
      } catch (error) {
        throw wrapElasticsearchError(error, `forgetting the metadata of snapshot ${name}`);
      }
    },
  };
}
