import { EVENT_COLUMNS } from './eventRow';
import { FILE_COLUMNS } from './fileRow';
import type { ColumnType } from './eventRow';
import type { Tables } from './detectionSql';
import type { Dialect } from './dialect';

/**
 * How each engine loads the CSV files `offbrowse events` writes
 * (core/events/dataCsv.ts: a header row, `,`, fields quoted with `"` and a
 * `"` inside doubled, an empty cell for a missing value and `""` for an
 * empty text). Every option is given explicitly: a reader that guesses them
 * from a sample (DuckDB sniffs only the first file of a glob) picks no escape
 * when that sample holds no doubled quote, and then fails on a later file
 * that does.
 */

/** The map's column lists, as each table is created (createTablesSql). */
const COLUMNS: Record<'events' | 'files', readonly { name: string; type: ColumnType }[]> = {
  events: EVENT_COLUMNS,
  files: FILE_COLUMNS,
};

/** Text columns that may be missing (NULL) rather than empty: the files table's. */
const NULLABLE_TEXT = new Set(['fingerprint', 'format', 'error', 'duplicate_of']);

const quoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The quote and escape every dialect's reader is told: RFC 4180's `"` and `""`. */
const CSV_QUOTE = '"';
const CSV_ESCAPE = '"';

/** DuckDB COPY/read_csv options; the column types come from the table loaded into. */
const DUCKDB_CSV_OPTIONS =
  `FORMAT csv, HEADER true, DELIMITER ',', QUOTE '${CSV_QUOTE}', ESCAPE '${CSV_ESCAPE}', ` +
  // An empty cell is NULL, a quoted empty text stays '' (as PostgreSQL reads them, and as the map meant them).
  "NULL '', ALLOW_QUOTED_NULLS false, AUTO_DETECT false";

/** PostgreSQL COPY options (for `COPY … FROM STDIN` and psql's `\copy`). */
export function postgresCsvOptions(header: boolean): string {
  return `FORMAT csv, HEADER ${header}, DELIMITER ',', QUOTE '${CSV_QUOTE}', ESCAPE '${CSV_ESCAPE}', NULL ''`;
}

/** The folder's files of one kind: `events-<run>.csv` or `files-<run>.csv`, by name. */
function mapCsvFiles(names: readonly string[], kind: 'events' | 'files'): string[] {
  return names.filter((n) => n.startsWith(`${kind}-`) && n.endsWith('.csv')).sort();
}

const joinPath = (dir: string, name: string): string => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/**
 * The statements that load the map's CSV files in `dir` into the two tables
 * (created by createTablesSql). `names` is the folder's listing, for
 * PostgreSQL, whose psql `\copy` takes one file at a time; the other engines
 * take a glob. Trino and Spark read the folder through a staging table or
 * view over it, then INSERT into the typed table.
 */
export function csvLoadSql(d: Dialect, tables: Tables, dir: string, names: readonly string[] = []): string[] {
  const kinds = ['events', 'files'] as const;
  switch (d.name) {
    case 'duckdb':
      return kinds.map((k) => `COPY ${tables[k]} FROM ${quoted(joinPath(dir, `${k}-*.csv`))} (${DUCKDB_CSV_OPTIONS})`);
    case 'postgres':
      // psql meta-commands: one line each, no terminating semicolon.
      return kinds.flatMap((k) =>
        mapCsvFiles(names, k).map(
          (n) => `\\copy ${tables[k]} FROM ${quoted(joinPath(dir, n))} WITH (${postgresCsvOptions(true)})`,
        ),
      );
    case 'spark':
      return kinds.flatMap((k) => {
        const view = d.ident(`offbrowse_${k}_csv`);
        const cols = COLUMNS[k].map((c) => `${d.ident(c.name)} ${d.type(c.type)}`).join(', ');
        return [
          `CREATE OR REPLACE TEMPORARY VIEW ${view} (${cols}) USING csv OPTIONS (path ${quoted(joinPath(dir, `${k}-*.csv`))}, ` +
            `header 'true', sep ',', quote '${CSV_QUOTE}', escape '${CSV_ESCAPE}', multiLine 'true', ` +
            `nullValue '', emptyValue '', mode 'FAILFAST')`,
          `INSERT INTO ${tables[k]} SELECT * FROM ${view}`,
        ];
      });
    case 'trino':
      return kinds.flatMap((k) => {
        const staging = d.ident(`offbrowse_${k}_csv`);
        const cols = COLUMNS[k].map((c) => `${d.ident(c.name)} VARCHAR`).join(', ');
        const casts = COLUMNS[k].map((c) => {
          const col = d.ident(c.name);
          if (c.type === 'text') return NULLABLE_TEXT.has(c.name) ? `NULLIF(${col}, '')` : col;
          return `CAST(NULLIF(${col}, '') AS ${d.type(c.type)})`;
        });
        return [
          // Trino's Hive CSV reader (OpenCSV's rules) reads a doubled quote inside quotes as one quote; it
          // treats an escape character given as '"' as a backslash (trinodb/trino#18952), which would eat
          // backslashes in URLs, so escaping is turned off with NUL instead.
          `CREATE TABLE ${staging} (${cols}) WITH (format = 'CSV', external_location = ${quoted(dir)}, ` +
            `skip_header_line_count = 1, csv_separator = ',', csv_quote = '${CSV_QUOTE}', csv_escape = U&'\\0000')`,
          `INSERT INTO ${tables[k]} SELECT ${casts.join(', ')} FROM ${staging} WHERE "$path" LIKE ${quoted(`%/${k}-%.csv`)}`,
        ];
      });
  }
}
