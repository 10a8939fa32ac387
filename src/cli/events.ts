import { terminalText } from '../core/util/strings';
import { createHash } from 'node:crypto';
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '../core/util/errorMessage';
import { dataCsvHeader, dataCsvLine } from '../core/sql/dataCsv';
import { EVENT_COLUMNS, type ColumnType, type EventRow } from '../core/sql/eventRow';
import { FILE_COLUMNS, type FileRow } from '../core/sql/fileRow';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import { parseArgs, UsageError } from './args';
import { makeFolder, removeOnExit, syncFile, syncFolder, tempPath } from './cleanup';
import { CliError, fsWords, isSystemError } from './errors';
import { tidyEventsDir } from './eventsDir';
import { fileInputs } from './inputs';
import { pauseAt } from './testHook';
import { settingsFromArgs } from './settingsArgs';
import { readEvents } from './readEvents';
import { threadsFor } from './pool';
import { notRead, threadsOption } from './detect';

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
  let n = 0;
  async function* chunks(): AsyncIterable<string> {
    let chunk = dataCsvHeader(columns);
    for await (const row of rows) {
      chunk += dataCsvLine(row, columns);
      n++;
      if (chunk.length >= 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  // Opened here, so that a failure to create it is thrown here (and a stop right after finds it to remove).
  const fd = openSync(path, 'wx');
  await pipeline(Readable.from(chunks()), createWriteStream('', { fd }));
  return n;
}

/** A failure to write the outputs, in words: a file system error, or DuckDB's (Parquet). */
function writeError(out: string, e: unknown): CliError {
  const why = isSystemError(e) ? fsWords(e) : errorMessage(e).split('\n')[0];
  return new CliError(`could not write the events into ${out}: ${why}: give --out a folder you can write to`);
}

/**
 * `offbrowse events --out DIR [--format csv|parquet] FILES...`: the map
 * alone. Writes `events-<run>.csv` (one row per non-browser event) and
 * `files-<run>.csv` (one row per input file) into DIR, or the same as Parquet
 * (written by embedded DuckDB, with the columns' types). Both are written
 * under temporary names, fsynced, and renamed (files, then events) when
 * complete, so a glob over DIR never loads half a run (src/cli/eventsDir.ts).
 */
export async function eventsCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['out', 'settings', 'tz', 'format', 'threads'] });
  const out = args.values.out;
  if (out === undefined) throw new UsageError('events needs --out DIR');
  const format = args.values.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') throw new UsageError(`unknown format "${format}" (csv or parquet)`);
  if (args.rest.length === 0) throw new UsageError('no input files');
  const settings = settingsFromArgs(args.values, null);
  const threadsGiven = threadsOption(args.values.threads);
  // The folder first: a place it cannot write to is said before the inputs are read.
  makeFolder(out, '--out');
  tidyEventsDir(out);
  const inputs = fileInputs(args.rest);
  if (inputs.length === 0) throw new CliError('no logs among the files given');
  const threads = threadsGiven ?? threadsFor(inputs);
  const map = await readEvents(inputs, settings, { fingerprint: true, threads });
  const id = runId(map.files);
  const targets = { events: `events-${id}.${format}`, files: `files-${id}.${format}` };
  const partial = {
    events: tempPath(join(out, `.${targets.events}`), 'partial'),
    files: tempPath(join(out, `.${targets.files}`), 'partial'),
  };
  const releases = [removeOnExit(partial.events), removeOnExit(partial.files)];
  let events: number;
  try {
    if (format === 'parquet') {
      const { writeParquet } = await import('./engines/duckdb');
      events = await writeParquet(map, partial);
    } else {
      events = await writeCsv<EventRow>(partial.events, EVENT_COLUMNS, map.rows());
      await pauseAt('events-events-written');
      await writeCsv<FileRow>(partial.files, FILE_COLUMNS, map.fileRows());
    }
    syncFile(partial.events);
    syncFile(partial.files);
    await pauseAt('events-written');
    // Files first, events last: a run stopped between the two is completed by the next (tidyEventsDir).
    renameSync(partial.files, join(out, targets.files));
    await pauseAt('events-files-renamed');
    renameSync(partial.events, join(out, targets.events));
    syncFolder(out);
  } catch (e) {
    rmSync(partial.events, { force: true });
    rmSync(partial.files, { force: true });
    throw writeError(out, e);
  } finally {
    for (const release of releases) release();
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
    process.stderr.write(terminalText(`file ${f.name}: ${what}`) + '\n');
  }
  process.stderr.write(
    terminalText(
      `wrote ${events} events to ${join(out, targets.events)} and ${map.files.length} file rows to ${join(out, targets.files)}`,
    ) + '\n',
  );
  return notRead(map.files, inputs);
}
