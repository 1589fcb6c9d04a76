// Registers the fs snapshot repository and verifies that every node can write to it; a
// location outside `path.repo` becomes the exact elasticsearch.yml line to add.
import { A4cAdminError, type ElasticsearchConfig, isA4cAdminError, type RepositoryInfo } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export type RepositoryConfig = ElasticsearchConfig['repository'];

interface RegisteredRepository {
  type?: string;
  settings?: Record<string, unknown>;
}

async function pathRepoOfNodes(client: Client): Promise<string[]> {
  const answer = (await client.nodes.info({ metric: ['settings'], filter_path: ['nodes.*.settings.path.repo'] }).catch(() => ({}))) as {
    nodes?: Record<string, { settings?: { path?: { repo?: string | string[] } } }>;
  };
  const folders = new Set<string>();
  for (const node of Object.values(answer.nodes ?? {})) {
    const repo = node.settings?.path?.repo;
    for (const folder of Array.isArray(repo) ? repo : repo ? [repo] : []) folders.add(folder);
  }
  return [...folders];
}

function notAllowed(repository: RepositoryConfig, allowed: string[], cause: unknown): A4cAdminError {
  const absolute = repository.location.startsWith('/');
  const folder = absolute ? repository.location : '/var/backups/elasticsearch';
  // path.repo is a list that replaces the whole setting: the line keeps the entries the nodes have.
  const entries = [...new Set([...allowed, folder])];
  const line = `path.repo: [${entries.map((entry) => `"${entry}"`).join(', ')}]`;
  return new A4cAdminError(
    'REPOSITORY_NOT_ALLOWED',
    `Elasticsearch refuses the snapshot folder ${repository.location}: it is not under path.repo ` +
      `(path.repo is ${allowed.length ? allowed.map((entry) => `"${entry}"`).join(', ') : 'not set'}).`,
    {
      hint:
        `Add ${folder} to path.repo in elasticsearch.yml on EVERY node${allowed.length ? ', keeping the entries it has' : ''}, then restart them:\n  ${line}\n` +
        (absolute ? '' : `and keep elasticsearch.repository.location relative to it (or set it to an absolute folder under it). `) +
        'On a cluster the folder must be one shared filesystem mounted at the same place on every node (NFS, sshfs), writable by the elasticsearch user.',
      details: { location: repository.location, pathRepo: allowed, line },
      cause,
    },
  );
}

function isPathRepoRefusal(error: unknown): boolean {
  const text = JSON.stringify((error as { meta?: { body?: unknown } }).meta?.body ?? '') + String((error as Error).message);
  return /path\.repo/.test(text);
}

/** Registers (when missing or different) and verifies the repository on every node. */
export async function ensureRepository(client: Client, repository: RepositoryConfig): Promise<RepositoryInfo> {
  const wanted = {
    location: repository.location,
    max_snapshot_bytes_per_sec: repository.max_snapshot_bytes_per_sec,
    max_restore_bytes_per_sec: repository.max_restore_bytes_per_sec,
  };
  let registered: RegisteredRepository | undefined;
  try {
    const answer = (await client.snapshot.getRepository({ name: repository.name }, { ignore: [404] })) as Record<string, RegisteredRepository>;
    registered = answer[repository.name];
  } catch (error) {
    throw wrapElasticsearchError(error, `reading snapshot repository ${repository.name}`);
  }
  const same = registered?.type === 'fs' && Object.entries(wanted).every(([key, value]) => String(registered?.settings?.[key] ?? '') === String(value));
  // Putting the same repository again is refused while a snapshot uses it: only write when it changed.
  if (!same) {
    try {
      await client.snapshot.createRepository({ name: repository.name, repository: { type: 'fs', settings: wanted }, verify: false } as never);
    } catch (error) {
      if (isPathRepoRefusal(error)) throw notAllowed(repository, await pathRepoOfNodes(client), error);
      throw wrapElasticsearchError(error, `registering snapshot repository ${repository.name}`);
    }
  }
  let verifiedNodes: string[];
  try {
    const verified = await client.snapshot.verifyRepository({ name: repository.name });
    verifiedNodes = Object.values(verified.nodes)
      .map((node) => node.name)
      .sort();
  } catch (error) {
    if (isPathRepoRefusal(error)) throw notAllowed(repository, await pathRepoOfNodes(client), error);
    const wrapped = isA4cAdminError(error) ? error : wrapElasticsearchError(error, `verifying snapshot repository ${repository.name}`);
    if (wrapped.code !== 'ES_REQUEST_FAILED') throw wrapped;
    throw new A4cAdminError(
      'REPOSITORY_VERIFY_FAILED',
      `Not every node can write to snapshot repository ${repository.name} (${repository.location}): ${wrapped.message}`,
      {
        hint: 'The folder must be the same shared filesystem on every node (NFS, sshfs), mounted at the same path and writable by the elasticsearch user.',
        details: { ...wrapped.details, location: repository.location },
        cause: error,
      },
    );
  }
  return { name: repository.name, location: repository.location, verifiedNodes };
}
