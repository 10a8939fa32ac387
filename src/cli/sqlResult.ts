import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { toRecord } from '../core/alerts/record';
import { alertsFromRows, checkResultColumns, ResultError, type ResultRow } from '../core/sql/resultAlerts';
import { parseArgs, UsageError } from './args';
import { fsWords } from './errors';
import { settingsFromArgs } from './settingsArgs';
import { terminalText } from '../core/util/strings';

/**
 * `offbrowse sql-result [--settings FILE.json] RESULT.csv`: the detection
 * query's result as another engine saved it (CSV with a header row, e.g.
 * Trino's or Spark's), turned into the alert records `detect --json` prints,
 * for the tab's "Import alerts…". The settings must be the ones given to
 * `offbrowse sql`: the records carry them.
 */
export async function sqlResultCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['settings'] });
  if (args.rest.length !== 1)
    throw new UsageError("sql-result takes one CSV file: the detection query's result with its header row");
  const settings = settingsFromArgs(args.values, null);
  const path = args.rest[0];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    process.stderr.write(`offbrowse: ${terminalText(`cannot read ${path}: ${fsWords(e)}`)}\n`);
    return 2;
  }
  const parsed = Papa.parse<ResultRow>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  try {
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      throw new ResultError(
        `not a CSV file: ${e.message}${e.row === undefined ? '' : ` (row ${e.row + 1})`}: give the CSV file the detection query's result was saved to`,
      );
    }
    checkResultColumns(parsed.meta.fields ?? []);
    const alerts = alertsFromRows(parsed.data);
    for (const a of alerts) {
      if (a.explanation.windowDays !== settings.trainingDays || a.explanation.rareHosts !== settings.rareHosts) {
        throw new ResultError(
          `the result was made with trainingDays ${a.explanation.windowDays} and rareHosts ${a.explanation.rareHosts}, ` +
            `but the settings given here say ${settings.trainingDays} and ${settings.rareHosts}: give sql-result the --settings given to sql`,
        );
      }
    }
    process.stdout.write(alerts.map((a) => JSON.stringify(toRecord(a, settings)) + '\n').join(''));
    process.stderr.write(`${alerts.length} alerts from ${parsed.data.length} result rows\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ResultError)) throw e;
    process.stderr.write(`offbrowse: ${terminalText(`${path}: ${e.message}`)}\n`);
    return 2;
  }
}
