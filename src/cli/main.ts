import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { analyse } from '../core/analyse';
import { Ingest } from '../core/ingest';
import { toRecord } from '../core/record';
import { resolveSettings, type Settings } from '../core/settings';
import { fromState, StateError, toState, type LoadedState, type StateFile } from '../core/state';
import { readChunks, zlibInflate } from './files';
import { alertTable, summaryText } from './summary';
import { demoSources } from './demo';
import { generateCommand } from './generate';
import { parseArgs, UsageError } from './args';

const USAGE = `usage:
  offbrowse detect [--json] [--settings FILE.json] [--tz ZONE] [--state STATE.json] FILES...
  offbrowse detect --demo [--json]
  offbrowse generate --out DIR [--days 45] [--hosts 200] [--rate 12] [--seed N] [--start 2026-09-01]
                     [--format syslog|csv] [--gzip]
  offbrowse bench [--size-mb 500]

detect reads PAN-OS URL Filtering logs (syslog lines or CSV exports, .gz too) and
prints alerts: a table, or with --json one JSON object a line. A summary goes to
stderr. Exit code 0 when every input was read, 2 on a usage error or an input
that could not be read or recognised (alerts from the other inputs still print).
--state loads a saved history (the app's "Export state" file works too) when the
file exists, adds the inputs to it (a file already in it is recognised and
skipped) and saves it back; its settings apply unless --settings/--tz are given.`;

async function detectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'demo'], values: ['settings', 'tz', 'state'] });
  const statePath = args.values.state;
  const loaded = statePath !== undefined && existsSync(statePath) ? loadState(statePath) : null;
  let settingsInput: Record<string, unknown> = {};
  if (args.values.settings !== undefined) {
    let text: string;
    try {
      text = readFileSync(args.values.settings, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read settings file ${args.values.settings}: ${(e as Error).message}`);
    }
    try {
      settingsInput = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`settings file ${args.values.settings} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (args.values.tz !== undefined) settingsInput = { ...settingsInput, timeZone: args.values.tz };
  let settings: Settings;
  try {
    const own = args.values.settings !== undefined || args.values.tz !== undefined;
    settings = loaded && !own ? loaded.settings : resolveSettings(settingsInput);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (args.flags.demo && args.rest.length) throw new UsageError('--demo takes no files');
  if (!args.flags.demo && args.rest.length === 0) throw new UsageError('no input files');

  const filesBefore = loaded?.collected.files.length ?? 0;
  const ingest = new Ingest(settings, loaded?.collected);
  // Fingerprints find a file given twice; one file and no state cannot repeat, so skip the hashing.
  const fingerprint = statePath !== undefined || args.rest.length > 1;
  let failed = false;
  const sources = args.flags.demo
    ? demoSources()
    : args.rest.map((path) => ({ name: path, chunks: () => readChunks(path) }));
  for (const src of sources) {
    try {
      const report = await ingest.addFile(src.name, src.chunks(), { inflate: zlibInflate, fingerprint });
      if (report.error) failed = true;
    } catch (e) {
      failed = true;
      process.stderr.write(`offbrowse: ${src.name}: ${(e as Error).message}\n`);
    }
  }
  const detection = analyse(ingest.result, settings);
  const out: string[] = [];
  if (args.flags.json) {
    for (const a of detection.alerts) out.push(JSON.stringify(toRecord(a, settings)) + '\n');
  } else {
    out.push(alertTable(detection));
  }
  await write(process.stdout, out.join(''));
  const newFiles = ingest.result.files.slice(filesBefore);
  process.stderr.write(summaryText(newFiles, ingest.result.counts, detection));
  if (statePath !== undefined) {
    saveState(statePath, toState(ingest.result, settings, detection.alerts, loaded?.triage ?? {}));
    process.stderr.write(`state saved to ${statePath} (${ingest.result.files.filter((f) => !f.error && !f.duplicateOf).length} files, ${ingest.result.candidates.length} non-browser events)\n`);
  }
  return failed ? 2 : 0;
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
