import { readFileSync } from 'node:fs';
import { reduce, type ReduceResult } from '../core/detect/reduce';
import { GENERATE_FORMATS, type GenerateFormat } from '../core/generate/index';
import { runSource, type MergeSource } from '../core/events/merge';
import { mapToRuns, type Mapped } from '../core/map/mapToRuns';
import type { MapInput } from '../core/map/coordinator';
import { toRecord } from '../core/record';
import { resolveSettings, type Settings } from '../core/settings';
import { StateError, type Triage } from '../core/state';
import type { ManifestEntry } from '../core/stateLines';
import { addCounts, emptyCounts } from '../core/stats';
import { parseArgs, UsageError } from './args';
import { demoSources } from './demo';
import { readChunks, zlibInflate } from './files';
import { defaultThreads, parsePool } from './pool';
import { TempRunStore } from './runFiles';
import { openState, StateFileWriter, stateExists, type OpenedState } from './stateFile';
import { alertTable, summaryText } from './summary';

function readSettingsFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read settings file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`settings file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export function threadsOption(value: string | undefined): number {
  if (value === undefined) return defaultThreads();
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 256) {
    throw new UsageError(`--threads must be a whole number from 1 to 256, not "${value}"`);
  }
  return Number(value);
}

/** `--format` picks the form of the demo dataset (files are recognised by content, so it has no other use). */
function demoFormatOption(value: string | undefined, demo: boolean): GenerateFormat {
  if (value === undefined) return 'syslog';
  if (!demo) throw new UsageError('--format goes with --demo (files are recognised by their content)');
  const format = GENERATE_FORMATS.find((f) => f === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${GENERATE_FORMATS.join(', ')}, not "${value}"`);
  return format;
}

/** `offbrowse detect`: the map in parallel into sorted runs in temporary files, then one merge into the streaming detector. */
export async function detectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'demo'], values: ['settings', 'tz', 'state', 'threads', 'format'] });
  const threads = threadsOption(args.values.threads);
  if (args.flags.demo && args.rest.length) throw new UsageError('--demo takes no files');
  const demoFormat = demoFormatOption(args.values.format, args.flags.demo === true);
  if (!args.flags.demo && args.rest.length === 0) throw new UsageError('no input files');
  const statePath = args.values.state;
  const state: OpenedState | null = statePath !== undefined && stateExists(statePath) ? await openState(statePath) : null;
  let settingsInput: Record<string, unknown> = args.values.settings !== undefined ? readSettingsFile(args.values.settings) : {};
  if (args.values.tz !== undefined) settingsInput = { ...settingsInput, timeZone: args.values.tz };
  let settings: Settings;
  try {
    const own = args.values.settings !== undefined || args.values.tz !== undefined;
    settings = state && !own ? state.header.settings : resolveSettings(settingsInput);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  const run = Date.now().toString(36);
  const inputs: MapInput[] = args.flags.demo
    ? demoSources(demoFormat).map((s, i) => ({ ...s, source: `${run}-${i}`, size: null }))
    : args.rest.map((path, i) => ({ name: path, source: `${run}-${i}`, size: null, chunks: () => readChunks(path) }));
  // Fingerprints find a file given twice; one file and no state cannot repeat, so skip the hashing.
  const fingerprint = statePath !== undefined || inputs.length > 1;
  const store = new TempRunStore();
  let writer: StateFileWriter | null = null;
  try {
    const pool = parsePool(settings, threads);
    let mapped: Mapped;
    try {
      mapped = await mapToRuns(inputs, pool, store, {
        inflate: zlibInflate, fingerprint, known: state?.header.files.map((f) => f.report),
      });
    } finally {
      pool.close();
    }
    const counts = state ? structuredClone(state.header.counts) : emptyCounts();
    const added: ManifestEntry[] = [];
    mapped.reports.forEach((r, i) => {
      if (r.error !== null || r.duplicateOf !== null) return;
      addCounts(counts, r.counts);
      added.push({ key: inputs[i].source, report: r, demo: args.flags.demo === true, addedAt: Date.now() });
    });
    const sources: MergeSource[] = [...mapped.runs, ...mapped.trafficRuns].map((r) => runSource(store, r));
    if (state) sources.unshift(state.events);
    if (statePath !== undefined) {
      const files = [...(state?.header.files ?? []), ...added];
      writer = new StateFileWriter(statePath, {
        savedAt: new Date().toISOString(), settings, counts, files, demoLoaded: (state?.header.demoLoaded ?? false) || args.flags.demo === true,
        events: (state?.header.events ?? 0) + added.reduce((n, f) => n + f.report.counts.nonBrowser, 0),
      });
    }
    const w = writer;
    let result: ReduceResult;
    let triage: Record<string, Triage> = {};
    try {
      result = await reduce(sources, settings, {
        dataStart: counts.minTime,
        tee: w ? (e) => w.event(e) : undefined,
        drain: w ? () => w.drain() : undefined,
      });
      if (state) triage = await state.finish();
    } catch (e) {
      // The saved history turned out bad part-way: nothing is printed or saved.
      if (statePath !== undefined && (e instanceof StateError || e instanceof TypeError)) throw new UsageError(`state file ${statePath}: ${e.message}`);
      throw e;
    }
    const records = result.detection.alerts.map((a) => toRecord(a, settings));
    const out = args.flags.json ? records.map((r) => JSON.stringify(r) + '\n').join('') : alertTable(result.detection);
    await write(process.stdout, out);
    process.stderr.write(summaryText(mapped.reports, counts, result.detection, result));
    if (w !== null && statePath !== undefined) {
      await w.finish(triage, records);
      writer = null;
      const files = (state?.header.files.length ?? 0) + added.length;
      process.stderr.write(`state saved to ${statePath} (${files} files, ${counts.nonBrowser.toLocaleString('en-US')} non-browser events)\n`);
    }
    return mapped.reports.some((r) => r.error !== null) ? 2 : 0;
  } finally {
    writer?.abort();
    store.close();
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}
