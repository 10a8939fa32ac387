import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { analyse } from '../core/analyse';
import type { Detection } from '../core/detector';
import { toRecord } from '../core/record';
import type { Settings } from '../core/settings';
import { fromState, StateError, toState, type LoadedState, type StateFile } from '../core/state';
import { readChunks } from './files';
import { alertTable, summaryText, tablesSummaryText } from './summary';
import { readEvents } from './readEvents';
import { EngineError, type EngineResult } from './engines/engine';
import { detectionFromResult, detectWithEngine, parseEngine } from './engines/detectWithEngine';
import { demoSources } from './demo';
import { generateCommand } from './generate';
import { parseArgs, UsageError } from './args';
import { settingsFromArgs } from './settingsArgs';

const USAGE = `usage:
  offbrowse detect [--json] [--settings FILE.json] [--tz ZONE] [--state STATE.json] FILES...
  offbrowse detect --demo [--json]
  offbrowse detect --engine duckdb|postgres://USER@HOST:PORT/DB [--json] [--settings FILE.json] FILES...
  offbrowse detect --engine postgres://USER@HOST:PORT/DB --events-table T --files-table F [--json]
  offbrowse detect --engine duckdb --events-dir DIR [--json]
  offbrowse events --out DIR [--format csv|parquet] [--settings FILE.json] [--tz ZONE] FILES...
  offbrowse sql --dialect duckdb|postgres|trino|spark [--settings FILE.json] [--events-table T]
                [--files-table F] [--ddl]
  offbrowse sql-result [--settings FILE.json] RESULT.csv
  offbrowse generate --out DIR [--days 45] [--hosts 200] [--rate 12] [--seed N] [--start 2026-09-01]
                     [--format syslog|csv] [--gzip]
  offbrowse bench [--size-mb 500] [--runs 2]
  offbrowse peer [--json] FILES...   (the benchmark's DuckDB peer over raw PAN-OS files)

detect reads PAN-OS URL Filtering logs (syslog lines or CSV exports, .gz too) and
prints alerts: a table, or with --json one JSON object a line. A summary goes to
stderr. Exit code 0 when every input was read, 2 on a usage error or an input
that could not be read or recognised (alerts from the other inputs still print).
--state loads a saved history (the app's "Export state" file works too) when the
file exists, adds the inputs to it (a file already in it is recognised and
skipped) and saves it back; its settings apply unless --settings/--tz are given.
--engine runs the detection as SQL in embedded DuckDB or in PostgreSQL (loaded
with COPY into temporary tables, rolled back afterwards); the output is the same.
events writes the normalised events and per-file counts as CSV for an engine;
sql prints the detection as SQL over them; sql-result turns that query's result,
saved as CSV by any engine, into the JSON lines detect --json prints (README:
"Bigger than one machine").`;

async function detectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'demo'], values: ['settings', 'tz', 'state', 'engine', 'events-table', 'files-table', 'events-dir'] });
  const statePath = args.values.state;
  const loaded = statePath !== undefined && existsSync(statePath) ? loadState(statePath) : null;
  const settings = settingsFromArgs(args.values, loaded?.settings ?? null);
  const engine = args.values.engine === undefined ? null : parseEngine(args.values.engine);
  if (args.values.engine !== undefined && engine === null) {
    throw new UsageError(`unknown engine "${args.values.engine}": use duckdb or postgres://USER@HOST:PORT/DB`);
  }
  const eventsDir = args.values['events-dir'];
  if (eventsDir !== undefined) {
    if (engine?.kind !== 'duckdb') throw new UsageError('--events-dir needs --engine duckdb (for PostgreSQL, load the tables and give --events-table/--files-table)');
    if (args.rest.length || args.flags.demo) throw new UsageError('--events-dir takes no input files');
    if (statePath !== undefined) throw new UsageError('--state works with the built-in engine only');
    return loadedDetect(async () => (await import('./engines/duckdb')).runDuckDbOnDir(eventsDir, settings), settings, args.flags.json === true);
  }
  const tables = args.values['events-table'] ?? args.values['files-table'];
  if (tables !== undefined) {
    if (engine?.kind !== 'postgres') throw new UsageError('--events-table and --files-table need --engine postgres://…');
    if (args.values['events-table'] === undefined || args.values['files-table'] === undefined) {
      throw new UsageError('give both --events-table and --files-table');
    }
    if (args.rest.length || args.flags.demo) throw new UsageError('--events-table and --files-table take no input files');
    if (statePath !== undefined) throw new UsageError('--state works with the built-in engine only');
  } else {
    if (args.flags.demo && args.rest.length) throw new UsageError('--demo takes no files');
    if (!args.flags.demo && args.rest.length === 0) throw new UsageError('no input files');
    if (engine !== null && statePath !== undefined) throw new UsageError('--state works with the built-in engine only');
  }

  if (tables !== undefined && engine?.kind === 'postgres') {
    const names = { events: args.values['events-table']!, files: args.values['files-table']! };
    return loadedDetect(async () => (await import('./engines/postgres')).runPostgresOnTables(engine.url, names, settings), settings, args.flags.json === true);
  }

  const sources = args.flags.demo
    ? demoSources()
    : args.rest.map((path) => ({ name: path, chunks: () => readChunks(path) }));
  const map = await readEvents(sources, settings, {
    // Fingerprints find a file given twice; one file and no state cannot repeat, so skip the hashing.
    fingerprint: statePath !== undefined || args.rest.length > 1,
    from: loaded?.collected,
    onError: (name, message) => process.stderr.write(`offbrowse: ${name}: ${message}\n`),
  });
  const failed = map.failed;
  let detection: Detection;
  if (engine === null) {
    detection = analyse(map.collected, settings);
  } else {
    try {
      detection = await detectWithEngine(engine, map, settings);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      process.stderr.write(`offbrowse: ${e.message}\n`);
      return 2;
    }
  }
  await printAlerts(detection, settings, args.flags.json === true);
  process.stderr.write(summaryText(map.files, map.collected.counts, detection));
  if (statePath !== undefined) {
    saveState(statePath, toState(map.collected, settings, detection.alerts, loaded?.triage ?? {}));
    process.stderr.write(`state saved to ${statePath} (${map.collected.files.filter((f) => !f.error && !f.duplicateOf).length} files, ${map.collected.candidates.length} non-browser events)\n`);
  }
  return failed ? 2 : 0;
}

async function printAlerts(detection: Detection, settings: Settings, json: boolean): Promise<void> {
  const out: string[] = [];
  if (json) {
    for (const a of detection.alerts) out.push(JSON.stringify(toRecord(a, settings)) + '\n');
  } else {
    out.push(alertTable(detection));
  }
  await write(process.stdout, out.join(''));
}

/** The SQL over events the map wrote earlier (PostgreSQL tables, or a folder DuckDB loads): no inputs read here. */
async function loadedDetect(run: () => Promise<EngineResult>, settings: Settings, json: boolean): Promise<number> {
  let detection: Detection;
  try {
    detection = detectionFromResult(await run(), settings);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    process.stderr.write(`offbrowse: ${e.message}\n`);
    return 2;
  }
  await printAlerts(detection, settings, json);
  process.stderr.write(tablesSummaryText(detection));
  return 0;
}

function loadState(path: string): LoadedState {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read state file ${path}: ${(e as Error).message}`);
  }
  try {
    return fromState(json);
  } catch (e) {
    if (e instanceof StateError) throw new UsageError(`state file ${path}: ${e.message}`);
    throw e;
  }
}

/** Written beside the target and renamed over it, so a crash never leaves half a state file. */
function saveState(path: string, state: StateFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'detect':
        return await detectCommand(rest);
      case 'generate':
        return await generateCommand(rest);
      case 'events': {
        const { eventsCommand } = await import('./events');
        return await eventsCommand(rest);
      }
      case 'sql': {
        const { sqlCommand } = await import('./sql');
        return await sqlCommand(rest);
      }
      case 'sql-result': {
        const { sqlResultCommand } = await import('./sqlResult');
        return await sqlResultCommand(rest);
      }
      case 'peer': {
        const { peerCommand } = await import('./peer/peerCommand');
        return await peerCommand(rest);
      }
      case 'bench': {
        const { benchCommand } = await import('./bench');
        return await benchCommand(rest);
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`offbrowse: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
