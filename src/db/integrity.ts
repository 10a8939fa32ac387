import { getMeta } from './meta';
import { problemMessage, StorageProblem } from './problems';
import type { OffbrowseDb } from './schema';

/**
 * Checks, on opening, that what the history's record names is all there:
 * the record itself (when anything is stored), one manifest row per file it
 * counts, and every block of every committed run. The browser may evict part
 * of an origin's data, or a person may edit it; reading on from such a
 * history would give wrong alerts, so a StorageProblem says what is missing.
 */
export function checkIntegrity(db: OffbrowseDb): Promise<void> {
  return db.transaction('r', [db.meta, db.files, db.runs, db.blocks], async () => {
    const meta = await getMeta(db.meta, 'history');
    const files = await db.files.count();
    const runs = await db.runs.where('state').equals('committed').toArray();
    const damaged = (what: string): never => {
      throw new StorageProblem('corrupt', `${problemMessage('corrupt')}: ${what}`);
    };
    if (meta === undefined) {
      if (files > 0 || runs.length > 0)
        damaged(`its record is missing while ${files} file(s) and ${runs.length} run(s) are stored`);
      return;
    }
    if (meta.fileCount !== files) damaged(`its record counts ${meta.fileCount} file(s), ${files} are stored`);
    for (const run of runs) {
      const blocks = await db.blocks.where('[run+no]').between([run.id!, 0], [run.id!, Infinity]).count();
      if (blocks !== run.blocks) damaged(`a run of stored events has ${blocks} of its ${run.blocks} blocks`);
    }
  });
}
