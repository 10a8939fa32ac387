import { DEFAULT_SETTINGS } from '../core/settings/settings';
import { createTablesSql, DEFAULT_TABLES, detectionSql } from '../core/sql/detectionSql';
import { csvLoadSql } from '../core/sql/csvLoad';
import { DIALECT_NAMES, dialectNamed, tableName, type Dialect } from '../core/sql/dialect';
import type { Tables } from '../core/sql/detectionSql';
import { readdirSync } from 'node:fs';
import { errorMessage } from '../core/util/errorMessage';
import { parseArgs, UsageError } from './args';
import { settingsFromArgs } from './settingsArgs';

/**
 * `offbrowse sql --dialect duckdb|postgres|trino|spark`: prints the detection
 * as one query over the tables the map's files are loaded into (`--ddl`:
 * their CREATE TABLE statements). Only the numeric settings reach the SQL;
 * the lists and the time zone are applied by the map (`offbrowse events`).
 */
export async function sqlCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['ddl'], values: ['dialect', 'settings', 'events-table', 'files-table', 'load'] });
  if (args.rest.length > 0) throw new UsageError(`sql takes no files (got ${args.rest[0]})`);
  const name = args.values.dialect;
  if (name === undefined) throw new UsageError(`sql needs --dialect (${DIALECT_NAMES.join(', ')})`);
  const dialect = dialectNamed(name);
  if (dialect === null) throw new UsageError(`unknown dialect "${name}" (use ${DIALECT_NAMES.join(', ')})`);
  const settings = settingsFromArgs(args.values, null);
  const events = tableName(dialect, args.values['events-table'] ?? DEFAULT_TABLES.events);
  const files = tableName(dialect, args.values['files-table'] ?? DEFAULT_TABLES.files);
  if (events === null)
    throw new UsageError(`not a table name: "${args.values['events-table']}" (letters, digits, _, dotted for a schema)`);
  if (files === null)
    throw new UsageError(`not a table name: "${args.values['files-table']}" (letters, digits, _, dotted for a schema)`);
  const mapOnly = (['textShareSites', 'browserProcesses', 'appTokens', 'timeZone'] as const).filter(
    (k) => JSON.stringify(settings[k]) !== JSON.stringify(DEFAULT_SETTINGS[k]),
  );
  if (mapOnly.length > 0) {
    process.stderr.write(
      `offbrowse: ${mapOnly.join(', ')} apply while reading logs: give the same settings to offbrowse events; the SQL does not use them\n`,
    );
  }
  const load = args.values.load;
  if (load !== undefined && !args.flags.ddl) throw new UsageError('--load DIR goes with --ddl');
  const text = args.flags.ddl ? ddlText(dialect, { events, files }, load) : detectionSql(dialect, settings, { events, files });
  process.stdout.write(text);
  return 0;
}

/**
 * The CREATE TABLE statements, and with `--load DIR` the statements that load
 * the map's CSV files in DIR with every reader option spelled out
 * (core/sql/csvLoad.ts). PostgreSQL's are psql `\copy` lines, one per file,
 * so the folder is listed now; the other engines take a glob.
 */
function ddlText(dialect: Dialect, tables: Tables, load: string | undefined): string {
  const statements = createTablesSql(dialect, tables).map((s) => s + ';\n');
  if (load !== undefined) {
    let names: string[] = [];
    if (dialect.name === 'postgres') {
      try {
        names = readdirSync(load);
      } catch (e) {
        throw new UsageError(`--load ${load}: cannot list the folder (${errorMessage(e)})`);
      }
      if (!names.some((n) => n.startsWith('events-') && n.endsWith('.csv')))
        throw new UsageError(`--load ${load}: no events-*.csv there (write them with offbrowse events --out ${load} FILES...)`);
    }
    for (const s of csvLoadSql(dialect, tables, load, names)) statements.push(s.startsWith('\\') ? s + '\n' : s + ';\n');
  }
  return statements.join('');
}
