import type { EndpointRecord } from '../events/endpoint';

/** An endpoint record as a run keeps it: with the key of the file it came from (events/columns.ts SOURCE), so a file can be removed. */
export type StoredEndpoint = EndpointRecord & { source: string };

/** Endpoint records in time order, with their times apart for the merge. */
export interface EndpointColumns {
  count: number;
  time: Float64Array;
  records: StoredEndpoint[];
}

/** `records` (already in time order) as columns. */
export function endpointColumns(records: StoredEndpoint[]): EndpointColumns {
  return { count: records.length, time: Float64Array.from(records, (r) => r.time), records };
}

/** `records` in time order (stable: records of equal time keep their order). */
export function sortEndpoints(records: StoredEndpoint[]): StoredEndpoint[] {
  for (let i = 1; i < records.length; i++)
    if (records[i - 1].time > records[i].time) return [...records].sort((a, b) => a.time - b.time);
  return records;
}
