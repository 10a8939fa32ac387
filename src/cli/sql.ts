import { DEFAULT_SETTINGS } from '../core/settings/settings';
import { createTablesSql, DEFAULT_TABLES, detectionSql } from '../core/sql/detectionSql';
import { DIALECT_NAMES, dialectNamed, tableName } from '../core/sql/dialect';
import { parseArgs, UsageError } from './args';
import { settingsFromArgs } from './settingsArgs';

/**
 * `offbrowse sql --dialect duckdb|postgres|trino|spark`: prints the detection
 * as one query over the tables the map's files are loaded into (`--ddl`:
 * their CREATE TABLE statements). Only the numeric settings reach the SQL;
 * the lists and the time zone are applied by the map (`offbrowse events`).
 */
export async function sqlCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['ddl'], values: ['dialect', 'settings', 'events-table', 'files-table'] });
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
  const text = args.flags.ddl
    ? createTablesSql(dialect, { events, files })
        .map((s) => s + ';\n')
        .join('')
    : detectionSql(dialect, settings, { events, files });
  process.stdout.write(text);
  return 0;
}
