import type { Alert } from '../core/detector';
import type { Collected, FileReport } from '../core/ingest';
import type { Settings } from '../core/settings';
import { fromState, StateError, toState, type LoadedState, type Triage } from '../core/state';
import { emptyCounts } from '../core/stats';
import type { Export } from './api';

/** Events per JSON part: the file is written as parts, so a large history never becomes one giant string. */
const EVENTS_PER_PART = 5000;

/** `offbrowse-state-2026-10-20.json`. */
export function stateFileName(now = new Date()): string {
  return `offbrowse-state-${now.toISOString().slice(0, 10)}.json`;
}

/** The state file of core/state.ts (the CLI's `--state` format) as a Blob. */
export function stateExport(
  collected: Collected, settings: Settings, alerts: readonly Alert[], triage: Record<string, Triage>, now = new Date(),
): Export {
  const { events, ...rest } = toState(collected, settings, alerts, triage);
  const head = JSON.stringify(rest);
  const parts: string[] = [head.slice(0, -1), ',"events":['];
  for (let i = 0; i < events.length; i += EVENTS_PER_PART) {
    parts.push((i === 0 ? '' : ',') + events.slice(i, i + EVENTS_PER_PART).map((e) => JSON.stringify(e)).join(','));
  }
  parts.push(']}');
  return { blob: new Blob(parts, { type: 'application/json' }), fileName: stateFileName(now), alerts: alerts.length };
}

/** A manifest entry with what the page shows filled in, for state files written by hand or by an older version. */
function completeReport(f: FileReport): FileReport {
  return {
    name: f.name,
    bytes: typeof f.bytes === 'number' ? f.bytes : 0,
    gzip: f.gzip === true,
    format: f.format === 'panos-syslog' || f.format === 'panos-csv' ? f.format : null,
    error: null,
    counts: { ...emptyCounts(), ...(typeof f.counts === 'object' && f.counts !== null ? f.counts : {}) },
    elapsedMs: typeof f.elapsedMs === 'number' ? f.elapsedMs : 0,
    fingerprint: f.fingerprint,
    duplicateOf: null,
  };
}

/** Reads a state file, or throws a StateError whose message says what is wrong with it. */
export async function readStateFile(file: Blob): Promise<LoadedState> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (e) {
    throw new StateError(`not a state file: it is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const loaded = fromState(json);
  loaded.collected.files = loaded.collected.files.map(completeReport);
  const seen = new Set<string>();
  for (const f of loaded.collected.files) {
    if (f.fingerprint === null) continue;
    if (seen.has(f.fingerprint)) throw new StateError(`corrupt state file: the manifest lists the content of ${f.name} twice`);
    seen.add(f.fingerprint);
  }
  return loaded;
}
