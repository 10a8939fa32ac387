import { detectCommand } from './detect';
import { generateCommand } from './generate';
import { terminalText } from '../core/util/strings';
import { UsageError } from './args';
import { errorMessage } from '../core/util/errorMessage';
import { hookExit } from './cleanup';
import { CliError, EXIT_BUG, fsWords, isSystemError } from './errors';

const USAGE = `usage:
  offbrowse detect [--json] [--settings FILE.json] [--tz ZONE] [--state STATE.jsonl.gz] [--threads N] FILES...
  offbrowse detect --demo [--format syslog|csv|zeek|zeek-json|suricata] [--json] [--threads N]
  offbrowse detect --engine duckdb|postgres://USER@HOST:PORT/DB [--json] [--settings FILE.json] [--threads N] FILES...
  offbrowse detect --engine postgres://USER@HOST:PORT/DB --events-table T --files-table F [--json]
  offbrowse detect --engine duckdb --events-dir DIR [--json]
  offbrowse events --out DIR [--format csv|parquet] [--settings FILE.json] [--tz ZONE] [--threads N] FILES...
  offbrowse sql --dialect duckdb|postgres|trino|spark [--settings FILE.json] [--events-table T]
                [--files-table F] [--ddl [--load DIR]]
  offbrowse sql-result [--settings FILE.json] RESULT.csv
  offbrowse generate --out DIR [--days 45] [--hosts 200] [--rate 12] [--seed N] [--start 2026-09-01]
                     [--format syslog|csv|zeek|zeek-json|suricata] [--gzip] [--no-endpoint]

detect reads PAN-OS URL Filtering logs (syslog lines or CSV exports), Zeek http.log
(TSV or JSON) and Suricata eve.json, .gz too, told apart by content, and prints
alerts: a table, or with --json one JSON object a line. A summary goes to
stderr. Exit code 0 when every input was read, 2 on a usage error or an input
or output that could not be read, recognised or written (alerts from the other
inputs still print), 70 on a bug, 130/143 when stopped by Ctrl-C/SIGTERM.
--state loads a saved history (the app's "Export state" file works too) when the
file exists, adds the inputs to it (a file already in it is recognised and
skipped; with no inputs, runs it again under --settings/--tz) and saves it back, as gzip-compressed JSON lines (state files of
earlier versions, one JSON object, are read too); its settings apply unless
--settings/--tz are given. --threads sets how many threads parse (default: one
per core, or one for files under 256 KiB together); the answers do not depend on it. --demo --format picks the form the
demo dataset is written in (a network sensor's view: zeek, zeek-json, suricata).
--engine runs the detection as SQL in embedded DuckDB or in PostgreSQL (loaded
with COPY into temporary tables, rolled back afterwards); the output is the same.
events writes the normalised events and per-file counts as CSV for an engine;
sql prints the detection as SQL over them; sql-result turns that query's result,
saved as CSV by any engine, into the JSON lines detect --json prints
(docs/engines.md). generate writes a day's firewall (or sensor) log and, unless
--no-endpoint, its endpoint view: Sysmon events as wevtutil XML
(sysmon-DATE.xml) and Defender for Endpoint exports (defender-network-DATE.csv,
defender-process-DATE.csv), with truth.json (docs/cli.md).`;

/** Messages are one line: what a library says may hold line breaks. */
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * The last resort, for what no command turned into a message: one line, and
 * exit 70 (EX_SOFTWARE) with a request to report it, never a stack trace.
 * An operating-system error that got this far still names its path and
 * gets exit 2: it is about the machine, not a bug.
 */
function unexpected(e: unknown): number {
  if (isSystemError(e)) {
    const where = typeof e.path === 'string' ? `${e.path}: ` : '';
    process.stderr.write(`offbrowse: ${terminalText(where + fsWords(e))}\n`);
    return 2;
  }
  process.stderr.write(
    `offbrowse: internal error: ${oneLine(errorMessage(e))}; this is a bug, please report it with the command you ran\n`,
  );
  return EXIT_BUG;
}

let guarded = false;

/** Errors thrown where no command awaits them (a stream's 'error' with no listener): the same one line. */
function guard(): void {
  if (guarded) return;
  guarded = true;
  const fatal = (e: unknown): void => process.exit(unexpected(e));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  hookExit();
}

export async function main(argv: string[]): Promise<number> {
  guard();
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
    // Only a usage error shows the usage.
    if (e instanceof UsageError) {
      process.stderr.write(`offbrowse: ${terminalText(oneLine(e.message))}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      process.stderr.write(`offbrowse: ${terminalText(oneLine(e.message))}\n`);
      return e.exitCode;
    }
    return unexpected(e);
  }
}
