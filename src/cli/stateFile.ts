import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import { errorMessage } from '../core/util/errorMessage';
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
import { UsageError } from './args';

/** A saved history being read: its header now, its events during the merge, its triage after. */
export interface OpenedState {
  header: StateHeader;
  events: MergeSource;
  /** Reads the rest of the file once the events are read; gives the triage. */
  finish(): Promise<Record<string, Triage>>;
}

function gzipMagic(path: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** Opens `path`: a version 2 file (gzip JSON lines) streams; a version 1 file (one JSON object) is read whole. */
export async function openState(path: string): Promise<OpenedState> {
  try {
    if (gzipMagic(path)) {
      const reader = await StateReader.open(textLines(createReadStream(path).pipe(createGunzip())));
      return {
        header: reader.header,
        events: { kind: 'events', blocks: reader.blocks() },
        finish: async () => {
          await reader.finish();
          return reader.triage;
        },
      };
    }
    const legacy = legacyState(JSON.parse(readFileSync(path, 'utf8')));
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
    if (e instanceof StateError) throw new UsageError(`state file ${path}: ${e.message}`);
    throw new UsageError(`cannot read state file ${path}: ${errorMessage(e)}`);
  }
}

export function stateExists(path: string): boolean {
  return existsSync(path);
}

/**
 * Writes a version 2 state file beside its target and renames it over the
 * target when complete, so a crash never leaves half a state file.
 */
export class StateFileWriter {
  private readonly tmp: string;
  private readonly gzip: Gzip;
  private readonly out: WriteStream;
  private events = 0;
  private failed: Error | null = null;
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly path: string,
    header: StateHeader,
  ) {
    this.tmp = `${path}.${process.pid}.tmp`;
    this.gzip = createGzip();
    this.out = createWriteStream(this.tmp);
    this.gzip.pipe(this.out);
    this.gzip.on('error', (e) => (this.failed ??= e));
    this.out.on('error', (e) => (this.failed ??= e));
    this.line(headerLine(header));
  }

  /** Each event in time order, as the merge hands them on (synchronous: lines are buffered and written in batches). */
  event(e: CompactEvent): void {
    this.events++;
    this.line(eventLine(e));
  }

  /** Lets buffered lines go out, waiting when the disk is behind. */
  async drain(): Promise<void> {
    this.flushParts();
    if (this.gzip.writableNeedDrain) await once(this.gzip, 'drain');
  }

  async finish(triage: Record<string, Triage>, alerts: readonly AlertRecord[]): Promise<void> {
    for (const [id, t] of Object.entries(triage)) this.line(triageLine(id, t));
    for (const a of alerts) this.line(alertLine(a));
    this.line(endLine(this.events));
    this.flushParts();
    this.gzip.end();
    await once(this.out, 'close');
    if (this.failed) {
      rmSync(this.tmp, { force: true });
      throw this.failed;
    }
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    this.gzip.destroy();
    this.out.destroy();
    rmSync(this.tmp, { force: true });
  }

  private line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length;
    if (this.size > 1 << 20) this.flushParts();
  }

  private flushParts(): void {
    if (this.parts.length === 0) return;
    this.gzip.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
