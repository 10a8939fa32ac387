/**
 * The benchmark's peer (bench/peer/duckdbPeer.ts: DuckDB reading the raw
 * PAN-OS files itself) gives the built-in engine's alerts on the logs it is
 * for: clean syslog lines and CSV exports, as the case folders and the
 * generator write them (`npm run bench` checks it on the benchmark's file).
 * A peer that answered differently would make the comparison meaningless.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectionFromResult } from '../../src/cli/engines/detectWithEngine';
import { runPeer } from '../../bench/peer/duckdbPeer';
import type { Settings } from '../../src/core/settings/settings';
import { CASES_DIR, loadCase } from '../helpers/cases';
import { detectWith, mapFiles, outputOf } from '../helpers/engines';

async function compare(paths: string[], settings: Settings): Promise<void> {
  const map = await mapFiles(
    paths.map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) })),
    settings,
  );
  const want = outputOf(await detectWith('built-in', map, settings), settings);
  expect(want.json).not.toBe('');
  const got = outputOf(detectionFromResult(await runPeer(paths, settings), settings), settings);
  expect(got.json).toBe(want.json);
  expect(got.dataStart).toBe(want.dataStart);
}

describe('the DuckDB peer', () => {
  // Syslog lines with ties, evidence caps, TRAFFIC joins and settings; a CSV export by header.
  for (const name of [
    'ties-equal-times',
    'evidence-cap',
    'upload-min-bytes',
    'upload-large-byte-counts',
    'csv-export',
    'dedup-edges',
  ]) {
    it(`case ${name}`, async () => {
      const c = loadCase(name);
      const paths = readdirSync(c.dir)
        .filter((f) => f.startsWith('input'))
        .sort()
        .map((f) => join(CASES_DIR, name, f));
      await compare(paths, c.settings);
    });
  }
});
