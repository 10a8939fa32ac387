import { detectCommand } from './detect';
import { generateCommand } from './generate';
import { UsageError } from './args';

const USAGE = `usage:
  offbrowse detect [--json] [--settings FILE.json] [--tz ZONE] [--state STATE.jsonl.gz] [--threads N] FILES...
  offbrowse detect --demo [--format syslog|csv|zeek|zeek-json|suricata] [--json] [--threads N]
  offbrowse generate --out DIR [--days 45] [--hosts 200] [--rate 12] [--seed N] [--start 2026-09-01]
                     [--format syslog|csv|zeek|zeek-json|suricata] [--gzip]
  offbrowse bench [--size-mb 500]

detect reads PAN-OS URL Filtering logs (syslog lines or CSV exports), Zeek http.log
(TSV or JSON) and Suricata eve.json, .gz too, told apart by content, and prints
alerts: a table, or with --json one JSON object a line. A summary goes to
stderr. Exit code 0 when every input was read, 2 on a usage error or an input
that could not be read or recognised (alerts from the other inputs still print).
--state loads a saved history (the app's "Export state" file works too) when the
file exists, adds the inputs to it (a file already in it is recognised and
skipped) and saves it back, as gzip-compressed JSON lines (state files of
earlier versions, one JSON object, are read too); its settings apply unless
--settings/--tz are given. --threads sets how many threads parse (default: one
per core); the answers do not depend on it. --demo --format picks the form the
demo dataset is written in (a network sensor's view: zeek, zeek-json, suricata).`;

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
