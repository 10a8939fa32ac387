import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { terminalText } from '../core/util/strings';
import { errorMessage } from '../core/util/errorMessage';
import {
  checkOptions,
  datasetFiles,
  DEFAULT_GENERATE,
  generate,
  GENERATED_NAME,
  type GenerateOptions,
} from '../core/generate/index';
import { parseArgs, UsageError } from './args';
import { leftovers, makeFolder, removeOnExit, syncFile, syncFolder, tempPath } from './cleanup';
import { CliError, fsWords } from './errors';
import { pauseAt } from './testHook';

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number, not "${value}"`);
  return Number(value);
}

/** `offbrowse generate`: writes the dataset's files and its endpoint view (streamed, never whole in memory) and truth.json. */
export async function generateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['gzip', 'no-endpoint'],
    values: ['out', 'days', 'hosts', 'seed', 'format', 'rate', 'start'],
  });
  if (args.rest.length) throw new UsageError(`generate takes no positional arguments (got ${args.rest.join(' ')})`);
  const out = args.values.out;
  if (out === undefined || out === '') throw new UsageError('generate needs --out DIR');
  const rateText = args.values.rate;
  if (rateText !== undefined && !/^\d+(\.\d+)?$/.test(rateText.trim()))
    throw new UsageError(`--rate must be a number, not "${rateText}"`);
  const rate = rateText === undefined ? DEFAULT_GENERATE.rate : Number(rateText);
  const opts: GenerateOptions = {
    days: wholeNumber('days', args.values.days, DEFAULT_GENERATE.days),
    hosts: wholeNumber('hosts', args.values.hosts, DEFAULT_GENERATE.hosts),
    seed: wholeNumber('seed', args.values.seed, DEFAULT_GENERATE.seed),
    format: (args.values.format ?? DEFAULT_GENERATE.format) as GenerateOptions['format'],
    start: args.values.start ?? DEFAULT_GENERATE.start,
    rate,
    endpoint: args.flags['no-endpoint'] !== true,
  };
  try {
    checkOptions(opts);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }

  const gzip = args.flags.gzip === true;
  const dataset = generate(opts);
  makeFolder(out, '--out');
  // What runs killed outright (SIGKILL, a power cut) left: their temporary files, never a finished one.
  for (const left of leftovers(out, GENERATED_NAME, 'tmp')) {
    rmSync(left, { force: true });
    process.stderr.write(`removed ${terminalText(left)}, left by an earlier run that was stopped while writing it\n`);
  }
  const started = Date.now();
  let bytes = 0;
  /**
   * Each file whole or not at all, even under SIGKILL: written to
   * `<file>.<host>.<pid>.tmp` beside it, fsynced, renamed into place (as
   * src/cli/stateFile.ts saves a state). A stop that can be caught removes the
   * temporary file; the next run removes one a kill left.
   */
  const write = async (path: string, chunks: Iterable<string>, zip: boolean): Promise<void> => {
    const tmp = tempPath(path, 'tmp');
    const release = removeOnExit(tmp);
    try {
      const fd = openSync(tmp, 'w');
      await pauseAt('generate-file');
      if (zip) await pipeline(Readable.from(chunks), createGzip(), createWriteStream('', { fd }));
      else await pipeline(Readable.from(chunks), createWriteStream('', { fd }));
      syncFile(tmp);
      await pauseAt('generate-synced');
      renameSync(tmp, path);
      bytes += (await stat(path)).size;
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new CliError(`could not write ${path}: ${fsWords(e)}: give --out a folder you can write to`);
    } finally {
      release();
    }
  };
  // Day by day, each day's endpoint files after its firewall file: a day's entries are made once for all four.
  for (const file of datasetFiles(dataset)) await write(join(out, gzip ? `${file.name}.gz` : file.name), file.chunks(), gzip);
  await write(join(out, 'truth.json'), [JSON.stringify(dataset.truth, null, 2) + '\n'], false);
  // The renames themselves on the disk, before the run says it wrote them.
  syncFolder(out);

  const ext = gzip ? '.gz' : '';
  const span = (files: readonly { name: string }[]): string =>
    files.length === 1 ? files[0].name + ext : `${files[0].name}${ext} .. ${files[files.length - 1].name}${ext}`;
  const endpoint = dataset.endpoint;
  const views =
    endpoint.length === 0
      ? ''
      : `, and the endpoint view: ${endpoint.length} files (${['sysmon', 'defender-network', 'defender-process']
          .map((kind) => span(endpoint.filter((f) => f.name.startsWith(`${kind}-`))))
          .join('; ')})`;
  process.stderr.write(
    `wrote ${dataset.files.length} files (${span(dataset.files)})${views}, ${(bytes / 1e6).toFixed(1)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
      `wrote truth.json: ${dataset.truth.alerts.length} expected alerts, ${dataset.truth.nearMisses.length} near misses` +
      (endpoint.length === 0 ? '' : `, ${dataset.truth.endpointAlerts.length} more with the endpoint view`) +
      '\n' +
      `to ${terminalText(out)} (days ${opts.days}, hosts ${opts.hosts}, seed ${opts.seed}, format ${opts.format}, rate ${opts.rate}, start ${opts.start}${opts.endpoint ? '' : ', no endpoint view'})\n`,
  );
  return 0;
}
