import type { Coverage } from '../core/detect/coverage';
import { getMeta, historyMeta } from './meta';
import type { OffbrowseDb } from './schema';

export type { Coverage };

/**
 * What the stored baseline covers, as the worker counted it in its last pass
 * over the events (saved with the alerts); the file and event totals and the
 * days come from the history row, which every commit keeps current. Cheap
 * enough for a live query.
 */
export async function readCoverage(db: OffbrowseDb): Promise<Coverage> {
  const meta = await historyMeta(db.meta);
  const counted = (await getMeta(db.meta, 'alerts'))?.coverage;
  return {
    files: meta.fileCount,
    events: meta.eventCount,
    days: Object.keys(meta.counts.perDay).length,
    firstEvent: meta.counts.minTime,
    lastEvent: meta.counts.maxTime,
    hosts: counted?.hosts ?? 0,
    clients: counted?.clients ?? 0,
    domains: counted?.domains ?? 0,
    keys: counted?.keys ?? 0,
  };
}
