// A backup taken while an index carried a block (a migration's adoption write-blocks its
// sources; an operator may set one by hand; Elasticsearch sets read_only_allow_delete on a full
// disk) brings the block back with the snapshot: A4C would start on indices it cannot write,
// and nothing would say why. A restore is meant to give A4C back usable data, so the blocks
// are lifted from every restored index, and reported (never silently).
import type { ProgressReporter } from '../progress.js';
import type { BackupBackends } from './backends.js';

export interface LiftedBlocks {
  index: string;
  blocks: string[];
}

/** Lifts the blocks of the concrete indices behind `names`; returns those that had any. */
export async function liftRestoredBlocks(backends: BackupBackends, names: string[], progress: ProgressReporter): Promise<LiftedBlocks[]> {
  const concrete = [...new Set(Object.values(await backends.state.resolve(names)).flat())].sort();
  const lifted: LiftedBlocks[] = [];
  if (backends.writer.liftAllBlocks) {
    // One settings read for the ~35 indices of an installation instead of one each.
    const all = await backends.writer.liftAllBlocks(concrete);
    for (const index of concrete) if (all[index]?.length) lifted.push({ index, blocks: all[index]! });
  } else {
    for (const index of concrete) {
      const blocks = await backends.writer.liftBlocks(index);
      if (blocks.length > 0) lifted.push({ index, blocks });
    }
  }
  if (lifted.length > 0) {
    progress.emit({
      phase: 'blocks',
      kind: 'warning',
      message: `the backup held blocked indices; the blocks were lifted so that A4C can use them: ${lifted.map((entry) => `${entry.index} (${entry.blocks.join(', ')})`).join(', ')}`,
    });
  }
  return lifted;
}
