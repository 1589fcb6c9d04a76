// The ports' operations on many indices at once: the batched method where the port has it
// (one cluster-level request instead of one an index: a migration's fixed cost is their
// number), else the one-index method for each, a few at a time.
import type { IndexDefinition, IndexReader, IndexWriter, MigrationStateStore } from '@a4c-admin/core';
import { mapConcurrently } from '@a4c-admin/core/internal';

/** One-index requests sent at once where a port has no batched form. */
const ONE_BY_ONE_IN_FLIGHT = 4;
/** Counts and definitions read at once (reads only: no shard to wait for). */
const READS_IN_FLIGHT = 16;

export async function setWriteBlocks(writer: IndexWriter, indices: string[], blocked: boolean): Promise<void> {
  if (indices.length === 0) return;
  if (writer.setWriteBlocks) return writer.setWriteBlocks(indices, blocked);
  await mapConcurrently(indices, ONE_BY_ONE_IN_FLIGHT, (index) => writer.setWriteBlock(index, blocked));
}

export async function removeIndices(writer: IndexWriter, indices: string[]): Promise<void> {
  if (indices.length === 0) return;
  if (writer.removeAll) return writer.removeAll(indices);
  await mapConcurrently(indices, ONE_BY_ONE_IN_FLIGHT, (index) => writer.remove(index));
}

/**
 * Creates every index; each one's primaries have started when this returns, and `onStarted`
 * hears of each index as soon as it may be written (with a one-index port: once created).
 */
export async function createIndices(
  writer: IndexWriter,
  indices: { index: string; definition: IndexDefinition }[],
  onStarted?: (index: string) => void,
): Promise<void> {
  if (indices.length === 0) return;
  if (writer.createAll) return writer.createAll(indices, onStarted);
  await mapConcurrently(indices, ONE_BY_ONE_IN_FLIGHT, async ({ index, definition }) => {
    await writer.create(index, definition);
    onStarted?.(index);
  });
}

/** Which of `indices` exist as concrete indices (an alias of that name is not one). */
export async function existingIndices(state: MigrationStateStore, indices: string[]): Promise<string[]> {
  if (indices.length === 0) return [];
  const resolved = await state.resolve(indices);
  return indices.filter((index) => resolved[index]?.includes(index));
}

/** The documents of each index (undefined for one that does not exist). */
export async function countIndices(reader: IndexReader, indices: string[]): Promise<Map<string, number | undefined>> {
  const counted = new Map<string, number | undefined>(indices.length > 1 && reader.counts ? await reader.counts(indices) : []);
  const left = indices.filter((index) => !counted.has(index));
  // Those the batched answer had no count for, alone: the server's own error (or undefined) for each.
  const alone = await mapConcurrently(left, READS_IN_FLIGHT, (index) => reader.count(index));
  for (const [position, index] of left.entries()) counted.set(index, alone[position]);
  return counted;
}

export async function readDefinitions(reader: IndexReader, indices: string[]): Promise<Map<string, IndexDefinition>> {
  if (indices.length > 1 && reader.definitions) return reader.definitions(indices);
  const read = await mapConcurrently(indices, READS_IN_FLIGHT, (index) => reader.definition(index));
  return new Map(indices.map((index, position) => [index, read[position]!]));
}

/** A write-blocked index copied by linking its segment files (IndexWriter.clone). */
export interface Clone {
  source: string;
  target: string;
  meta?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** Clones every pair and returns true; false, having done nothing, where the server (or writer) cannot clone. */
export async function cloneIndices(writer: IndexWriter, clones: Clone[]): Promise<boolean> {
  if (clones.length === 0) return true;
  if (writer.cloneAll) return writer.cloneAll(clones);
  if (!writer.clone) return false;
  // Whether a server clones is the same for every index: the first one tells.
  const [first, ...rest] = clones;
  if (!(await writer.clone(first!.source, first!.target, first))) return false;
  await mapConcurrently(rest, ONE_BY_ONE_IN_FLIGHT, ({ source, target, ...options }) => writer.clone!(source, target, options));
  return true;
}
