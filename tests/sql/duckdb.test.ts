/**
 * The detection SQL in DuckDB (in-process) against the built-in engine: every
 * case folder, the demo dataset and generated datasets, and random event
 * streams. Equal means the same `detect --json` text, byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATE } from '../../src/core/generate/index';
import { defaultSettings, resolveSettings } from '../../src/core/settings/settings';
import { loadMap, withDuckDb } from '../../src/cli/engines/duckdb';
import { toRecord } from '../../src/core/alerts/record';
import { DIALECTS } from '../../src/core/sql/dialect';
import { detectionSql } from '../../src/core/sql/detectionSql';
import { alertsFromRows, type ResultRow } from '../../src/core/sql/resultAlerts';
import { caseNames, inputs, loadCase } from '../helpers/cases';
import { detectWith, endpointRecords, generatedFiles, mapFiles, outputOf } from '../helpers/engines';
import { streamFiles, streamArb, settingsArb } from '../helpers/event-streams';

describe("DuckDB gives the built-in engine's alerts", () => {
  for (const name of caseNames()) {
    it(`case ${name}`, async () => {
      const c = loadCase(name);
      const map = await mapFiles(inputs(c), c.settings);
      const want = outputOf(await detectWith('built-in', map, c.settings), c.settings);
      // A case with endpoint data has stitched evidence: the engine must carry the process too.
      if (endpointRecords(map) > 0) expect(want.json).toContain('"process":{"computer"');
      expect(outputOf(await detectWith('duckdb', map, c.settings), c.settings)).toEqual(want);
    });
  }

  it('the demo dataset', async () => {
    const settings = defaultSettings();
    const map = await mapFiles(generatedFiles(DEFAULT_GENERATE), settings);
    const want = outputOf(await detectWith('built-in', map, settings), settings);
    expect(want.json.split('\n').length).toBeGreaterThan(5);
    expect(outputOf(await detectWith('duckdb', map, settings), settings)).toEqual(want);
  }, 60_000);

  for (const seed of [2, 3]) {
    it(`a generated dataset, seed ${seed}, with other settings`, async () => {
      const settings = resolveSettings({ trainingDays: 7, activationDays: 5, dedupHours: 6, rareHosts: 2, uploadMinBytes: 500 });
      const map = await mapFiles(generatedFiles({ days: 20, hosts: 40, seed, rate: 6 }), settings);
      const want = outputOf(await detectWith('built-in', map, settings), settings);
      expect(want.json).not.toBe('');
      expect(outputOf(await detectWith('duckdb', map, settings), settings)).toEqual(want);
    }, 60_000);
  }

  it('the query `offbrowse sql` prints leaves out suppressed alerts in the engine itself', async () => {
    const c = loadCase('suppression');
    const map = await mapFiles(inputs(c), c.settings);
    const want = outputOf(await detectWith('built-in', map, c.settings), c.settings);
    expect(want.suppressed.map((h) => h.alerts)).toEqual([3, 1]);
    const rows = await withDuckDb(async (db) => {
      const tables = await loadMap(db, map);
      return (await db.runAndReadAll(detectionSql(DIALECTS.duckdb, c.settings, tables))).getRowObjectsJS() as ResultRow[];
    });
    const json = alertsFromRows(rows)
      .map((a) => JSON.stringify(toRecord(a, c.settings)) + '\n')
      .join('');
    expect(json).toBe(want.json);
    map.close();
  });

  it('random event streams under random settings', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, settingsArb, async (events, settingsInput) => {
        // Past the ranges users may set (resolveSettings): the engines must agree on the edges too.
        const settings = { ...defaultSettings(), ...settingsInput };
        const map = await mapFiles(streamFiles(events), settings);
        const want = outputOf(await detectWith('built-in', map, settings), settings);
        expect(outputOf(await detectWith('duckdb', map, settings), settings)).toEqual(want);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
