import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataCsvHeader, dataCsvLine } from '../core/sql/dataCsv';
import { EVENT_COLUMNS, type ColumnType, type EventRow } from '../core/sql/eventRow';
import { FILE_COLUMNS, type FileRow } from '../core/sql/fileRow';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import { parseArgs, UsageError } from './args';
import { readChunks } from './files';
import { settingsFromArgs } from './settingsArgs';
import { readEvents } from './readEvents';
import { threadsOption } from './detect';

/**
 * A run's name: from the content fingerprints of its files, so running the
 * same files again (a retried batch job) replaces its output instead of
 * adding a second copy, and different files never share a name.
 */
function runId(files: readonly FileReport[]): string {
  const parts = files.map((f) => f.fingerprint ?? `${f.name}:${f.bytes}:${f.error ?? ''}`).sort();
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

async function writeCsv<T extends object>(
  path: string,
  columns: readonly { name: keyof T; type: ColumnType }[],
  rows: Iterable<T> | AsyncIterable<T>,
): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  let chunk = dataCsvHeader(columns);
  for await (const row of rows) {
    chunk += dataCsvLine(row, columns);
    n++;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return n;
}

/**
 * `offbrowse events --out DIR [--format csv|parquet] FILES...`: the map
 * alone. Writes `events-<run>.csv` (one row per non-browser event) and
 * `files-<run>.csv` (one row per input file) into DIR, or the same as Parquet
 * (written by embedded DuckDB, with the columns' types). Each is written under a temporary name
 * and renamed when complete, so a glob over DIR never loads half a run.
 */
export async function eventsCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['out', 'settings', 'tz', 'format', 'threads'] });
  const out = args.values.out;
  if (out === undefined) throw new UsageError('events needs --out DIR');
  const format = args.values.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') throw new UsageError(`unknown format "${format}" (csv or parquet)`);
  if (args.rest.length === 0) throw new UsageError('no input files');
  const settings = settingsFromArgs(args.values, null);
  const threads = threadsOption(args.values.threads);
  const map = await readEvents(
    args.rest.map((path) => ({ name: path, size: null, chunks: () => readChunks(path) })),
    settings,
    {
      fingerprint: true,
      threads,
    },
  );
  mkdirSync(out, { recursive: true });
  const id = runId(map.files);
  const partial = (name: string): string => join(out, `.${name}.${process.pid}.partial`);
  const targets = { events: `events-${id}.${format}`, files: `files-${id}.${format}` };
  let events: number;
  try {
    if (format === 'parquet') {
      const { writeParquet } = await import('./engines/duckdb');
      events = await writeParquet(map, { events: partial(targets.events), files: partial(targets.files) });
    } else {
      events = await writeCsv<EventRow>(partial(targets.events), EVENT_COLUMNS, map.rows());
      await writeCsv<FileRow>(partial(targets.files), FILE_COLUMNS, map.fileRows());
    }
    renameSync(partial(targets.events), join(out, targets.events));
    renameSync(partial(targets.files), join(out, targets.files));
  } catch (e) {
    rmSync(partial(targets.events), { force: true });
    rmSync(partial(targets.files), { force: true });
    throw e;
  } finally {
    map.close();
  }
  for (const f of map.files) {
    const what = f.error
      ? isEmptyReport(f)
        ? `nothing to read: ${f.error}`
        : `NOT READ: ${f.error}`
      : f.duplicateOf
        ? `same content as ${f.duplicateOf}: adds nothing`
        : `${f.format ?? 'empty'}, ${f.counts.lines} lines, ${f.counts.nonBrowser} non-browser events`;
    process.stderr.write(`file ${f.name}: ${what}\n`);
  }
  process.stderr.write(
    `wrote ${events} events to ${join(out, targets.events)} and ${map.files.length} file rows to ${join(out, targets.files)}\n`,
  );
  return map.failed ? 2 : 0;
}
