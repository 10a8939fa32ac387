import { readFileSync } from 'node:fs';
import { analyse } from '../core/analyse';
import { Ingest } from '../core/ingest';
import { toRecord } from '../core/record';
import { resolveSettings, type Settings } from '../core/settings';
import { readChunks, zlibInflate } from './files';
import { alertTable, summaryText } from './summary';
import { demoSources } from './demo';
import { generateCommand } from './generate';
import { parseArgs, UsageError } from './args';

const USAGE = `usage:
  offbrowse detect [--json] [--settings FILE.json] [--tz ZONE] FILES...
  offbrowse detect --demo [--json]
  offbrowse generate --out DIR [--days 45] [--hosts 200] [--rate 4] [--seed N] [--start 2026-09-01]
                     [--format syslog|csv] [--gzip]
  offbrowse bench [--size-mb 500]

detect reads PAN-OS URL Filtering logs (syslog lines or CSV exports, .gz too) and
prints alerts: a table, or with --json one JSON object a line. A summary goes to
stderr. Exit code 0 when every input was read, 2 on a usage error or an input
that could not be read or recognised (alerts from the other inputs still print).`;

async function detectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'demo'], values: ['settings', 'tz'] });
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
    settings = resolveSettings(settingsInput);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (args.flags.demo && args.rest.length) throw new UsageError('--demo takes no files');
  if (!args.flags.demo && args.rest.length === 0) throw new UsageError('no input files');

  const ingest = new Ingest(settings);
  let failed = false;
  const sources = args.flags.demo
    ? demoSources()
    : args.rest.map((path) => ({ name: path, chunks: () => readChunks(path) }));
  for (const src of sources) {
    try {
      const report = await ingest.addFile(src.name, src.chunks(), { inflate: zlibInflate });
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
  process.stderr.write(summaryText(ingest.result.files, ingest.result.counts, detection));
  return failed ? 2 : 0;
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
