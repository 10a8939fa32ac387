/**
 * Reading endpoint logs through the pipeline that ships: the parse workers'
 * SegmentParser (src/core/ingest/segment.ts, which the CLI's parse threads and
 * the tab's parse workers hold through ingest/parsePool.ts) and, for whole
 * files, the coordinator that cuts them into parts (ingest/coordinator.ts).
 * The endpoint records are those the ingest's own sink keeps.
 */
import type { EndpointRecord } from '../../src/core/events/endpoint';
import type { Counts } from '../../src/core/sources/counts';
import { mapFiles, type MapInput } from '../../src/core/ingest/coordinator';
import { LocalPool } from '../../src/core/ingest/parsePool';
import type { FileReport } from '../../src/core/ingest/report';
import { SegmentParser } from '../../src/core/ingest/segment';
import type { StoredEndpoint } from '../../src/core/runs/endpointRuns';
import { defaultSettings } from '../../src/core/settings/settings';
import { fflateInflate } from '../../src/core/util/gzip';

/** What a part held, as the tests look at it: its counts and its endpoint records (lines from the text's first). */
export interface ReadPart {
  counts: Counts;
  records: EndpointRecord[];
}

/** Reads a whole text as one part (the file's first, its format told from the lines), as a parse worker does. */
export function readText(text: string, file = 'test.log'): { sink: ReadPart; format: string | null } {
  const parser = new SegmentParser(defaultSettings());
  const result = parser.parse({
    file,
    source: file,
    bytes: new TextEncoder().encode(text),
    first: true,
    context: null,
    keepPending: true,
  });
  return { sink: { counts: result.counts, records: result.endpoints.map(record) }, format: result.format };
}

/** A stored endpoint record as its reader made it: without the run's key of its file, which the tests do not name. */
function record(stored: StoredEndpoint): EndpointRecord {
  const out: Partial<StoredEndpoint> = { ...stored };
  delete out.source;
  return out as EndpointRecord;
}

/**
 * Reads files through the coordinator (gunzip, UTF-16, parts cut at line ends)
 * and the single-thread parse pool; returns the reports and the endpoint
 * records in file order, lines counted from each file's start.
 */
export async function mapThrough(
  files: { name: string; bytes: Uint8Array }[],
  segmentBytes?: { first: number; rest: number },
  chunkBytes = 997,
): Promise<{ reports: FileReport[]; records: EndpointRecord[] }> {
  const inputs: MapInput[] = files.map((f) => ({
    name: f.name,
    source: f.name,
    size: f.bytes.length,
    chunks: async function* () {
      // Small chunks by default, so a UTF-16 unit or a gzip block is cut between them.
      for (let at = 0; at < f.bytes.length; at += chunkBytes) yield f.bytes.subarray(at, at + chunkBytes);
    },
  }));
  const byFile: StoredEndpoint[][] = files.map(() => []);
  const reports = await mapFiles(
    inputs,
    new LocalPool(defaultSettings()),
    {
      events: () => undefined,
      traffic: () => undefined,
      endpoints: (file, records) => void byFile[file].push(...records),
      fileDone: () => undefined,
    },
    { inflate: fflateInflate, fingerprint: false, keepPending: true, ...(segmentBytes ? { segmentBytes } : {}) },
  );
  return { reports, records: byFile.flat().map(record) };
}
