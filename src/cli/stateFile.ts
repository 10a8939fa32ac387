import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import { errorMessage, jsonErrorWords } from '../core/util/errorMessage';
import type { CompactEvent, EventColumns } from '../core/events/columns';
import type { MergeSource } from '../core/runs/merge';
import { legacyState, StateError } from '../core/state/state';
import { type Triage } from '../core/alerts/triage';
import {
  alertLine,
  endLine,
  eventLine,
  headerLine,
  StateEventCoder,
  StateReader,
  textLines,
  triageLine,
} from '../core/state/stateLines';
import { type StateHeader } from '../core/state/state';
import type { AlertRecord } from '../core/alerts/record';
import { leftovers, removeOnExit, syncFile, syncFolder, tempPath } from './cleanup';
import { CliError, fsWords, isSystemError } from './errors';
import { pauseAt } from './testHook';

/** A saved history being read: its header now, its events during the merge, its triage after. */
export interface OpenedState {
  header: StateHeader;
  events: MergeSource;
  /** Reads the rest of the file once the events are read; gives the triage. */
  finish(): Promise<Record<string, Triage>>;
}

/** What to do about a state file that cannot be used, for every message about one. */
const STATE_ADVICE = 'it was not changed; restore it from a copy, or give --state a new file to start a new history';

function refused(path: string, why: string): CliError {
  return new CliError(`state file ${path}: ${why}; ${STATE_ADVICE}`);
}

/** The first two bytes, or fewer when the file is shorter. */
function head(path: string): Buffer {
  const bytes = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    return bytes.subarray(0, readSync(fd, bytes, 0, 2, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The gzip's lines. A gunzip or read failure (a file cut short: zlib checks
 * the length and CRC of its trailer; a damaged block) ends the lines with a
 * StateError, which the reader's caller words (src/cli/detect.ts): the file
 * is refused, never half-read.
 */
function gzipLines(path: string): AsyncIterable<string> {
  async function* inflated(): AsyncIterable<Uint8Array> {
    try {
      // pipeline passes a failure of either stream on to the gunzip, and so to this loop.
      for await (const chunk of pipeline(createReadStream(path), createGunzip(), () => undefined)) yield chunk as Buffer;
    } catch (err) {
      throw isSystemError(err)
        ? new StateError(`cannot be read: ${fsWords(err)}`)
        : new StateError(`it is cut short or damaged (gzip: ${errorMessage(err).replace(/\.$/, '')})`);
    }
  }
  return textLines(inflated());
}

/** A StateError or a decoding error met while reading `path`, as the one line the CLI prints. */
export function stateReadError(path: string, e: unknown): CliError | null {
  if (e instanceof StateError) return refused(path, e.message);
  // The lines' TextDecoder is fatal: bytes that are not UTF-8.
  if (e instanceof TypeError) return refused(path, 'it holds bytes that are not UTF-8 text');
  return null;
}

/** Opens `path`: a version 2 file (gzip JSON lines) streams; a version 1 file (one JSON object) is read whole. */
export async function openState(path: string): Promise<OpenedState> {
  try {
    if (statSync(path).isDirectory()) throw refused(path, 'it is a folder, not a file');
    const magic = head(path);
    if (magic.length === 0) throw refused(path, 'it is empty (cut short?)');
    if (magic[0] === 0x1f && (magic.length === 1 || magic[1] === 0x8b)) {
      const reader = await StateReader.open(gzipLines(path));
      return {
        header: reader.header,
        events: { kind: 'events', blocks: reader.blocks() },
        finish: async () => {
          await reader.finish();
          return reader.triage;
        },
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      if (isSystemError(e)) throw e;
      throw refused(path, `not an Offbrowse state file (neither gzip nor a version 1 file: ${jsonErrorWords(e)})`);
    }
    const legacy = legacyState(parsed);
    const coder = new StateEventCoder(legacy.header.settings);
    async function* blocks(): AsyncIterable<EventColumns> {
      for (let i = 0; i < legacy.events.length; i++) {
        const block = coder.add(legacy.events[i], i + 1);
        if (block !== null) yield block;
      }
      yield coder.take();
    }
    return { header: legacy.header, events: { kind: 'events', blocks: blocks() }, finish: async () => legacy.triage };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw stateReadError(path, e) ?? new CliError(`cannot read state file ${path}: ${fsWords(e)}`);
  }
}

/** True when there is something at `path` (a file to open, or something to refuse); false when nothing is. */
export function stateExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    // Under a file (ENOTDIR) nothing can be either: the save will say why it cannot write there.
    if (isSystemError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return false;
    throw new CliError(`cannot read state file ${path}: ${fsWords(e)}`);
  }
}

/**
 * Removes the temporary files killed runs left beside the state (SIGKILL,
 * a power cut): only `<state>.<host>.<pid>.tmp` of this machine whose
 * process is gone. Says which, on stderr.
 */
export function removeStateLeftovers(path: string): void {
  for (const left of leftovers(dirname(path), basename(path), 'tmp')) {
    rmSync(left, { force: true });
    process.stderr.write(`removed ${left}, left by an earlier run that was stopped while saving\n`);
  }
}

/** A state that could not be saved: the message says so; the alerts are printed before it (src/cli/detect.ts). */
export class SaveError extends CliError {}

/**
 * Writes a version 2 state file beside its target and renames it over the
 * target when complete, so a crash never leaves half a state file: written
 * to `<state>.<host>.<pid>.tmp` in the same folder, fsynced, renamed over the
 * target, the folder fsynced. The temporary file is removed on an error, on
 * Ctrl-C or SIGTERM; one a SIGKILL left is removed by the next run
 * (`removeStateLeftovers`). A failure to write does not stop the detection:
 * `finish` reports it.
 */
export class StateFileWriter {
  private readonly tmp: string;
  private readonly gzip: Gzip | null = null;
  private readonly written: Promise<void> = Promise.resolve();
  private readonly release: () => void = () => undefined;
  private failed: unknown = null;
  private stopped: () => void = () => undefined;
  private readonly stop: Promise<void>;
  private events = 0;
  private parts: string[] = [];
  private size = 0;
  private drains = 0;

  constructor(
    private readonly path: string,
    header: StateHeader,
  ) {
    this.tmp = tempPath(path, 'tmp');
    this.stop = new Promise((resolve) => (this.stopped = resolve));
    let fd: number;
    try {
      // Opened here, not by the stream later, so that `abort` right after finds the file to remove.
      fd = openSync(this.tmp, 'wx');
    } catch (e) {
      this.fail(e);
      return;
    }
    this.release = removeOnExit(this.tmp);
    this.gzip = createGzip();
    const gzip = this.gzip;
    this.written = new Promise((resolve) =>
      pipeline(gzip, createWriteStream('', { fd }), (err) => {
        if (err) this.fail(err);
        resolve();
      }),
    );
    this.line(headerLine(header));
  }

  /** Each event in time order, as the merge hands them on (synchronous: lines are buffered and written in batches). */
  event(e: CompactEvent): void {
    this.events++;
    this.line(eventLine(e));
  }

  /** Lets buffered lines go out, waiting when the disk is behind (not once writing failed). */
  async drain(): Promise<void> {
    this.flushParts();
    if (this.drains++ === 0) await pauseAt('state-drain');
    if (this.gzip?.writableNeedDrain && this.failed === null) await Promise.race([once(this.gzip, 'drain'), this.stop]);
  }

  /** Writes the rest and puts the file in place; a SaveError when it could not be saved (the target is then untouched). */
  async finish(triage: Record<string, Triage>, alerts: readonly AlertRecord[]): Promise<void> {
    for (const [id, t] of Object.entries(triage)) this.line(triageLine(id, t));
    for (const a of alerts) this.line(alertLine(a));
    this.line(endLine(this.events));
    this.flushParts();
    this.gzip?.end();
    await this.written;
    try {
      if (this.failed !== null) throw this.failed;
      await pauseAt('state-written');
      syncFile(this.tmp);
      await pauseAt('state-synced');
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw new SaveError(
        `could not save the state to ${this.path}: ${fsWords(e)}; ` +
          `the alerts above are complete, ${this.path} was not changed: give --state a file in a folder you can write to`,
      );
    }
    this.release();
    await pauseAt('state-renamed');
    syncFolder(dirname(this.path));
  }

  abort(): void {
    this.gzip?.destroy();
    rmSync(this.tmp, { force: true });
    this.release();
  }

  private fail(e: unknown): void {
    this.failed ??= e;
    this.stopped();
  }

  private line(text: string): void {
    if (this.gzip === null || this.failed !== null) return;
    this.parts.push(text, '\n');
    this.size += text.length;
    if (this.size > 1 << 20) this.flushParts();
  }

  private flushParts(): void {
    if (this.parts.length === 0) return;
    if (this.gzip !== null && this.failed === null) this.gzip.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
