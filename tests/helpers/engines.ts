/**
 * The built-in engine and the SQL engines over the same map, for comparing
 * their answers: inputs go through the CLI's map (src/cli/readEvents.ts), then
 * the built-in detector (the oracle), DuckDB in-process or a PostgreSQL server.
 */
import { detectRuns, joinTraffic } from '../../src/core/pipeline/pipeline';
import type { CompactEvent } from '../../src/core/events/columns';
import type { StoredEndpoint } from '../../src/core/runs/endpointRuns';
import { pulled, runSource, type MergeSource } from '../../src/core/runs/merge';
import { MemoryRunStore, writeEndpointRun } from '../../src/core/runs/runStore';
import type { StitchCounts } from '../../src/core/runs/stitchJoin';
import { eventRow } from '../../src/core/sql/eventRow';
import type { Detection } from '../../src/core/alerts/alert';
import { generate } from '../../src/core/generate/index';
import { toRecord } from '../../src/core/alerts/record';
import type { Settings } from '../../src/core/settings/settings';
import { runDuckDb } from '../../src/cli/engines/duckdb';
import { detectionFromResult } from '../../src/cli/engines/detectWithEngine';
import { runPostgres } from '../../src/cli/engines/postgres';
import { readEvents, type MapResult } from '../../src/cli/readEvents';
import type { InputFile } from './run-core';

export type EngineName = 'built-in' | 'duckdb' | 'postgres';

/**
 * The map over in-memory files, fingerprinting as the CLI does when given several.
 * `endpoint`: a case's endpoint records (tests/helpers/endpoint-input.ts), one
 * more run beside the map's, stitched in the built-in merge and in the rows the
 * SQL engines load, until the endpoint readers make them input files.
 */
export async function mapFiles(
  files: readonly InputFile[],
  settings: Settings,
  endpoint: readonly StoredEndpoint[] = [],
): Promise<MapResult> {
  const map = await readFiles(files, settings, endpoint.length > 0);
  if (endpoint.length === 0) return map;
  const store = new MemoryRunStore();
  const run = await writeEndpointRun(
    store,
    [...endpoint].sort((a, b) => a.time - b.time),
  );
  const sources = (): MergeSource[] => [...map.sources(), runSource(store, run)];
  let stitch: StitchCounts | null = null;
  return {
    ...map,
    sources,
    async *rows() {
      const batches = pulled<CompactEvent>(async (push, flush) => {
        stitch = (await joinTraffic(sources(), settings, { event: push, drain: flush })).stitch;
      });
      for await (const batch of batches) for (const e of batch) yield eventRow(e);
    },
    join: () => ({ ...map.join(), stitch }),
  };
}

function readFiles(files: readonly InputFile[], settings: Settings, historyHasEndpoints: boolean): Promise<MapResult> {
  return readEvents(
    files.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      chunks: async function* () {
        yield f.bytes;
      },
    })),
    settings,
    { fingerprint: files.length > 1, threads: 1, historyHasEndpoints },
  );
}

export async function detectWith(engine: EngineName, map: MapResult, settings: Settings, pgUrl = ''): Promise<Detection> {
  if (engine === 'built-in') return (await detectRuns(map.sources(), settings, { dataStart: map.counts.minTime })).detection;
  const result = engine === 'duckdb' ? await runDuckDb(map, settings) : await runPostgres(pgUrl, map, settings);
  return detectionFromResult(result, settings);
}

/** What `detect --json` prints, and the summary's facts: equal text means equal field for field, in order. */
export function outputOf(
  d: Detection,
  settings: Settings,
): {
  json: string;
  dataStart: number | null;
  activeFrom: number | null;
  inactiveEvents: number;
  suppressed: Detection['suppressed'];
} {
  return {
    suppressed: d.suppressed,
    json: d.alerts.map((a) => JSON.stringify(toRecord(a, settings)) + '\n').join(''),
    dataStart: d.dataStart,
    activeFrom: d.activeFrom,
    inactiveEvents: d.inactiveEvents,
  };
}

/** A generated dataset as in-memory files. */
export function generatedFiles(opts: Parameters<typeof generate>[0]): InputFile[] {
  const encoder = new TextEncoder();
  return generate(opts).files.map((f) => ({ name: f.name, bytes: encoder.encode([...f.chunks()].join('')) }));
}
