/**
 * The built-in engine and the SQL engines over the same map, for comparing
 * their answers: inputs go through the CLI's map (src/cli/readEvents.ts), then
 * the built-in detector (the oracle), DuckDB in-process or a PostgreSQL server.
 */
import { detectRuns } from '../../src/core/pipeline/pipeline';
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

/** The map over in-memory files, fingerprinting as the CLI does when given several. */
export function mapFiles(files: readonly InputFile[], settings: Settings): Promise<MapResult> {
  return readEvents(
    files.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      chunks: async function* () {
        yield f.bytes;
      },
    })),
    settings,
    { fingerprint: files.length > 1, threads: 1 },
  );
}

/** How many endpoint records the map read (process starts, connections and lookups). */
export function endpointRecords(map: MapResult): number {
  const e = map.counts.endpoint;
  return e.process + e.connection + e.lookup;
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
