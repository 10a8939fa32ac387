import type { Coverage } from '../db/coverage';
import { isUpload } from '../core/classify';
import { keyTriple } from '../db/baseline';
import type { History } from './history';

/** The baseline panel's numbers from the worker's copy: the same as src/db/coverage.ts reads from the database. */
export function coverageOf(history: History, uploadMinBytes: number): Coverage {
  const { candidates, counts, files } = history.collected;
  const hosts = new Set<string>();
  const clients = new Set<string>();
  const domains = new Set<string>();
  const keys = new Set<string>();
  for (const e of candidates) {
    hosts.add(e.host);
    clients.add(e.client);
    domains.add(e.domain);
    const triple = keyTriple(e);
    keys.add(triple);
    if (isUpload(e, uploadMinBytes)) keys.add(triple + '\u0000up');
  }
  return {
    files: files.length,
    events: candidates.length,
    days: Object.keys(counts.perDay).length,
    firstEvent: counts.minTime,
    lastEvent: counts.maxTime,
    hosts: hosts.size,
    clients: clients.size,
    domains: domains.size,
    keys: keys.size,
  };
}
