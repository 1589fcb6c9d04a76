// What an index holds, read over plain HTTP independently of a4c-admin: every document as
// `type id sha256(canonical source)`, so that a restore is judged by what came back, not by
// what the tool says. The sample indices are small: one search of up to 10 000 hits reads them.
import { createHash } from 'node:crypto';
import { canonicalJson } from '@a4c-admin/core/internal';
import { httpJson } from './legacy-sample-loader.js';

/** Sorted `type\tid\tsha256` lines of each index; `absent` for an index that is not there. */
export async function documentHashes(url: string, indices: readonly string[]): Promise<Record<string, string[] | 'absent'>> {
  const result: Record<string, string[] | 'absent'> = {};
  for (const index of indices) {
    const exists = await fetch(`${url}/${index}`, { method: 'HEAD' });
    if (exists.status === 404) {
      result[index] = 'absent';
      continue;
    }
    const count = Number((await httpJson(url, 'GET', `/${index}/_count`)).count);
    const answer = (await httpJson(url, 'GET', `/${index}/_search?size=10000`)) as {
      hits: { hits: { _type?: string; _id: string; _source: unknown }[] };
    };
    const hits = answer.hits.hits;
    if (hits.length !== count) throw new Error(`${index}: ${count} documents counted but ${hits.length} read; the sample should fit one search`);
    result[index] = hits.map((hit) => `${hit._type ?? ''}\t${hit._id}\t${createHash('sha256').update(canonicalJson(hit._source)).digest('hex')}`).sort();
  }
  return result;
}

/** The indices whose documents differ between two readings, with a few differing lines each. */
export function hashDifferences(before: Record<string, string[] | 'absent'>, after: Record<string, string[] | 'absent'>): string[] {
  const differences: string[] = [];
  for (const index of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[index] ?? 'absent';
    const is = after[index] ?? 'absent';
    if (was === 'absent' || is === 'absent') {
      if (was !== is)
        differences.push(
          `${index}: ${was === 'absent' ? 'absent before' : `${was.length} documents before`}, ${is === 'absent' ? 'absent after' : `${is.length} after`}`,
        );
      continue;
    }
    const missing = was.filter((line) => !is.includes(line));
    const extra = is.filter((line) => !was.includes(line));
    if (missing.length > 0 || extra.length > 0) {
      differences.push(`${index}: ${missing.length} documents missing or changed (e.g. ${missing.slice(0, 2).join('; ')}), ${extra.length} unexpected`);
    }
  }
  return differences;
}
