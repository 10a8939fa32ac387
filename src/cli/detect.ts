import { terminalText } from '../core/util/strings';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import type { Detection } from '../core/alerts/alert';
import { GENERATE_FORMATS, type GenerateFormat } from '../core/generate/index';
import { readAndDetect, type Detected, type Mapped } from '../core/pipeline/pipeline';
import type { MapInput } from '../core/ingest/coordinator';
import { toRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import type { ManifestEntry } from '../core/state/state';
import type { Counts } from '../core/sources/counts';
import { parseArgs, UsageError, type Args } from './args';
import { detectionFromResult, detectWithEngine, parseEngine, type EngineSpec } from './engines/detectWithEngine';
import { EngineError, type EngineResult, type UnreadFile } from './engines/engine';
import { readEvents } from './readEvents';
import { settingsFromArgs } from './settingsArgs';
import { demoSources } from './demo';
import { zlibInflate } from './files';
import { CliError } from './errors';
import { fileInputs } from './inputs';
import { defaultThreads, parsePool, threadsFor } from './pool';
import { TempRunStore } from './runFiles';
import { pauseAt } from './testHook';
import {
  openState,
  removeStateLeftovers,
  SaveError,
  StateFileWriter,
  stateExists,
  stateReadError,
  type OpenedState,
} from './stateFile';
import { alertTable, summaryText, tablesSummaryText, thousands } from './summary';

/** `--threads`, or null when not given (then see threadsFor). */
export function threadsOption(value: string | undefined): number | null {
  if (value === undefined) return null;
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

async function printAlerts(detection: Detection, settings: Settings, json: boolean): Promise<void> {
  const out = json ? detection.alerts.map((a) => JSON.stringify(toRecord(a, settings)) + '\n').join('') : alertTable(detection);
  await write(process.stdout, out);
}

/** The SQL over events the map wrote earlier (PostgreSQL tables, or a folder DuckDB loads): no inputs read here. */
async function loadedDetect(run: () => Promise<EngineResult>, settings: Settings, json: boolean): Promise<number> {
  let detection: Detection;
  let unread: UnreadFile[];
  try {
    const result = await run();
    unread = result.unread ?? [];
    detection = detectionFromResult(result, settings);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    process.stderr.write(`offbrowse: ${terminalText(e.message)}\n`);
    return 2;
  }
  await printAlerts(detection, settings, json);
  process.stderr.write(tablesSummaryText(detection, settings.suppress, unread));
  return unread.length > 0 ? 2 : 0;
}

/**
 * `detect --engine duckdb|postgres://…`: the same map, then the detection as
 * SQL in that engine (src/cli/engines); the output is the built-in engine's.
 */
async function engineDetect(
  args: Args,
  engine: EngineSpec,
  inputs: Omit<MapInput, 'source'>[],
  threads: number,
): Promise<number> {
  const json = args.flags.json === true;
  const settings = settingsFromArgs(args.values, null);
  if (args.values.state !== undefined) throw new UsageError('--state works with the built-in engine only');
  const eventsDir = args.values['events-dir'];
  if (eventsDir !== undefined) {
    if (engine.kind !== 'duckdb')
      throw new UsageError(
        '--events-dir needs --engine duckdb (for PostgreSQL, load the tables and give --events-table/--files-table)',
      );
    if (inputs.length > 0) throw new UsageError('--events-dir takes no input files');
    return loadedDetect(async () => (await import('./engines/duckdb')).runDuckDbOnDir(eventsDir, settings), settings, json);
  }
  const events = args.values['events-table'];
  const files = args.values['files-table'];
  if (events !== undefined || files !== undefined) {
    if (engine.kind !== 'postgres') throw new UsageError('--events-table and --files-table need --engine postgres://…');
    if (events === undefined || files === undefined) throw new UsageError('give both --events-table and --files-table');
    if (inputs.length > 0) throw new UsageError('--events-table and --files-table take no input files');
    return loadedDetect(
      async () => (await import('./engines/postgres')).runPostgresOnTables(engine.url, { events, files }, settings),
      settings,
      json,
    );
  }
  if (inputs.length === 0) throw new UsageError('no input files');
  const map = await readEvents(inputs, settings, { fingerprint: inputs.length > 1, threads });
  try {
    let detection: Detection;
    try {
      detection = await detectWithEngine(engine, map, settings);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      process.stderr.write(`offbrowse: ${terminalText(e.message)}\n`);
      return 2;
    }
    await printAlerts(detection, settings, json);
    process.stderr.write(summaryText(map.files, map.counts, detection, map.join(), settings.suppress, settings.stitchSeconds));
    return notRead(map.files, inputs);
  } finally {
    map.close();
  }
}

/**
 * `offbrowse detect`: the map in parallel into sorted runs in temporary
 * files, then one merge into the streaming detector (or, with --engine, the
 * detection as SQL in an engine).
 */
export async function detectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['json', 'demo'],
    values: ['settings', 'tz', 'state', 'threads', 'format', 'engine', 'events-table', 'files-table', 'events-dir'],
  });
  const threadsGiven = threadsOption(args.values.threads);
  const given = givenInputs(args);
  const threads = threadsGiven ?? (args.flags.demo ? defaultThreads() : threadsFor(given));
  const engine = engineOption(args.values.engine);
  if (engine !== null) return engineDetect(args, engine, given, threads);
  if ((args.values['events-dir'] ?? args.values['events-table'] ?? args.values['files-table']) !== undefined) {
    throw new UsageError('--events-dir, --events-table and --files-table need --engine');
  }
  return builtInDetect(args, given, threads);
}

/** The files named, or with --demo the generated dataset in the --format asked for. */
function givenInputs(args: Args): Omit<MapInput, 'source'>[] {
  if (args.flags.demo && args.rest.length) throw new UsageError('--demo takes no files');
  const demoFormat = demoFormatOption(args.values.format, args.flags.demo === true);
  return args.flags.demo ? demoSources(demoFormat).map((s) => ({ ...s, size: null })) : fileInputs(args.rest);
}

function engineOption(value: string | undefined): EngineSpec | null {
  const engine = value === undefined ? null : parseEngine(value);
  if (value !== undefined && engine === null) {
    throw new UsageError(`unknown engine "${value}": use duckdb or postgres://USER@HOST:PORT/DB`);
  }
  return engine;
}

/**
 * The built-in engine: the pipeline (core/pipeline readAndDetect) over the
 * inputs, with --state's saved history as one more source, saved again with
 * the events of the files added.
 */
async function builtInDetect(args: Args, given: Omit<MapInput, 'source'>[], threads: number): Promise<number> {
  const statePath = args.values.state;
  if (statePath !== undefined) removeStateLeftovers(statePath);
  const state: OpenedState | null = statePath !== undefined && stateExists(statePath) ? await openState(statePath) : null;
  // A saved state alone is run again under the settings given (and saved under them).
  if (given.length === 0 && state === null) {
    if (args.rest.length > 0) throw new CliError('no logs among the files given');
    throw new UsageError(
      statePath === undefined ? 'no input files' : `no input files, and no state file at ${statePath} to run again`,
    );
  }
  const settings = settingsFromArgs(args.values, state?.header.settings ?? null);

  const run = Date.now().toString(36);
  const inputs: MapInput[] = given.map((g, i) => ({ ...g, source: `${run}-${i}` }));
  // Fingerprints find a file given twice; one file and no state cannot repeat, so skip the hashing.
  const fingerprint = statePath !== undefined || inputs.length > 1;
  const store = new TempRunStore();
  // Set once the map is done and the files to save are known.
  const saving: { writer: StateFileWriter | null } = { writer: null };
  try {
    const pool = parsePool(settings, threads);
    const added: ManifestEntry[] = [];
    let detecting = false;
    let mapped: Mapped;
    let result: Detected;
    let triage: Record<string, Triage> = {};
    try {
      ({ mapped, detected: result } = await readAndDetect({
        inputs,
        pool,
        store,
        settings,
        options: { inflate: zlibInflate, fingerprint, known: state?.header.files.map((f) => f.report) },
        history: state ? { events: state.events, counts: state.header.counts } : undefined,
        mapDone: async () => {
          pool.close();
          await pauseAt('mapped');
        },
        detectWith: (m) => {
          detecting = true;
          for (const i of m.added)
            added.push({ key: inputs[i].source, report: m.reports[i], demo: args.flags.demo === true, addedAt: Date.now() });
          if (statePath === undefined) return {};
          const w = stateWriter(statePath, state, settings, m.counts, added, args.flags.demo === true);
          saving.writer = w;
          return { tee: (e) => w.event(e), drain: () => w.drain() };
        },
      }));
      if (state) triage = await state.finish();
    } catch (e) {
      // The saved history turned out bad part-way: nothing is printed or saved.
      throw (detecting && statePath !== undefined ? stateReadError(statePath, e) : null) ?? e;
    }
    const counts = mapped.counts;
    const w = saving.writer;
    const records = result.detection.alerts.map((a) => toRecord(a, settings));
    await printAlerts(result.detection, settings, args.flags.json === true);
    process.stderr.write(
      summaryText(mapped.reports, counts, result.detection, result, settings.suppress, settings.stitchSeconds),
    );
    const code = notRead(mapped.reports, given);
    if (w !== null && statePath !== undefined) {
      saving.writer = null;
      try {
        await w.finish(triage, records);
      } catch (e) {
        if (!(e instanceof SaveError)) throw e;
        process.stderr.write(`offbrowse: ${terminalText(e.message)}\n`);
        return 2;
      }
      const files = (state?.header.files.length ?? 0) + added.length;
      process.stderr.write(
        `state saved to ${terminalText(statePath)} (${files} files, ${thousands(counts.nonBrowser)} non-browser events)\n`,
      );
    }
    return code;
  } finally {
    saving.writer?.abort();
    store.close();
  }
}

/** Exit code 2 and a closing line naming the paths given, when some inputs could not be read; 0 when all were. */
export function notRead(files: readonly FileReport[], given: readonly { name: string }[]): number {
  const failed = given.filter((_, i) => files[i].error !== null && !isEmptyReport(files[i]));
  if (failed.length === 0) return 0;
  process.stderr.write(
    `offbrowse: ${notReadLine(
      failed.map((f) => f.name),
      given.length,
    )}\n`,
  );
  return 2;
}

/** The closing line when inputs could not be read: which, and what the output above is. */
function notReadLine(names: readonly string[], of: number): string {
  const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return (
    `${names.length} of ${of} ${of === 1 ? 'input' : 'inputs'} could not be read (${list}; the "file" lines above say why): ` +
    'the output above is from the rest; fix or leave out those files and run again'
  );
}

/** The state file's writer, its header the saved history's (if any) with the files added; events are teed to it. */
function stateWriter(
  path: string,
  state: OpenedState | null,
  settings: Settings,
  counts: Counts,
  added: readonly ManifestEntry[],
  demo: boolean,
): StateFileWriter {
  return new StateFileWriter(path, {
    savedAt: new Date().toISOString(),
    settings,
    counts,
    files: [...(state?.header.files ?? []), ...added],
    demoLoaded: (state?.header.demoLoaded ?? false) || demo,
    events: (state?.header.events ?? 0) + added.reduce((n, f) => n + f.report.counts.nonBrowser, 0),
  });
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}
