import { historyMeta } from './meta';
import type { OffbrowseDb } from './schema';

/** What the stored baseline covers, for the baseline panel. */
export interface Coverage {
  files: number;
  /** Non-browser events kept. */
  events: number;
  /** UTC days with at least one event of any kind. */
  days: number;
  firstEvent: number | null;
  lastEvent: number | null;
  /** Distinct hosts, clients and domain keys in the baseline (non-browser events only). */
  hosts: number;
  clients: number;
  domains: number;
  /** Baseline rows: (client, domain, upload, host). */
  keys: number;
}

/** Read through indexes (distinct keys, counts), never the events themselves: cheap enough for a live query. */
export async function readCoverage(db: OffbrowseDb): Promise<Coverage> {
  const meta = await historyMeta(db.meta);
  const [hosts, clients, domains, keys] = await Promise.all([
    db.baseline.orderBy('host').uniqueKeys(),
    db.baseline.orderBy('client').uniqueKeys(),
    db.baseline.orderBy('domain').uniqueKeys(),
    db.baseline.count(),
  ]);
  return {
    files: meta.fileCount,
    events: meta.eventCount,
    days: Object.keys(meta.counts.perDay).length,
    firstEvent: meta.counts.minTime,
    lastEvent: meta.counts.maxTime,
    hosts: hosts.length,
    clients: clients.length,
    domains: domains.length,
    keys,
  };
}
