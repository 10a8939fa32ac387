import { isEvtx } from '../evtx/layout';
import { DEFAULT_GENERATE } from '../generate/index';
import { emptyCounts } from '../sources/counts';
import type { FormatId } from '../sources/format';
import { readLines } from '../sources/lines';
import { createReader } from '../sources/reader';
import type { RowSink } from '../sources/rowSink';
import { gunzipHead, isGzip } from '../util/gzip';
import { makeTimeParser } from '../util/time';
import type { MapInput } from './coordinator';
import { TextBytes } from './textBytes';

/*
 * Whether a map's browser rows are worth keeping for stitching (MapOptions.keepPending):
 * only when endpoint data is there to stitch them to. Told before the map, from
 * each input's first bytes, since a drop's endpoint file may come after its URL logs.
 */

/** Bytes of an input read first to tell its format (compressed, for gzip)... */
const FIRST_LOOK_BYTES = 4096;
/** ...and at most, when those show none... */
export const HEAD_BYTES = 64 * 1024;
/** ...and at most this much of its plain text read as lines. */
const PLAIN_HEAD_BYTES = 256 * 1024;

const ENDPOINT_FORMATS: ReadonlySet<FormatId> = new Set<FormatId>([
  'evtx',
  'windows-xml',
  'ecs-json',
  'defender-csv',
  'defender-json',
]);

/** A sink that keeps nothing: the head is read only for the format the lines show. */
const NOWHERE: RowSink = {
  url: () => undefined,
  wantsDetail: () => false,
  traffic: () => undefined,
  other: () => undefined,
  header: () => undefined,
  skip: () => undefined,
};

function joined(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The format the first bytes of a file show (`whole`: they are all of it), as the map would read them; null when they show none. */
function headFormat(raw: Uint8Array, whole: boolean): FormatId | null {
  const gzip = isGzip(raw);
  const plain = gzip ? gunzipHead(raw, whole, PLAIN_HEAD_BYTES) : raw;
  if (isEvtx(plain)) return 'evtx';
  const text = new TextBytes();
  const first = text.push(plain, true);
  const rest = text.end();
  let lines = new TextDecoder('utf-8').decode(joined([first, rest], first.byteLength + rest.byteLength));
  // A line cut at the head's end could read as another format, or as none.
  if (!whole || plain.byteLength >= PLAIN_HEAD_BYTES) lines = lines.slice(0, lines.lastIndexOf('\n') + 1);
  const reader = createReader(null, makeTimeParser('UTC'));
  readLines(lines, 1, reader, NOWHERE, emptyCounts());
  return reader.format;
}

/**
 * Whether an input is endpoint data, by its first bytes: an EVTX file's
 * signature, or lines the format sniffer (sources/reader.ts) reads as Windows
 * event XML, ECS or Defender, plain or gzip, UTF-8 or UTF-16 (as the map reads
 * them: ingest/textBytes.ts). A generated file is, when its dataset has the
 * endpoint view. An input read once only (a pipe) may be: its head is not read.
 * An input whose head cannot be read or shows no format is not: the map refuses it.
 */
export async function isEndpointInput(input: MapInput): Promise<boolean> {
  if (input.generated !== undefined) return input.generated.options.endpoint ?? DEFAULT_GENERATE.endpoint;
  if (input.onePass === true) return true;
  const it = input.chunks()[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let size = 0;
  let whole = false;
  try {
    // Most files show their format in their first line: the rest of the head is read only when they do not.
    for (const max of [FIRST_LOOK_BYTES, HEAD_BYTES]) {
      while (size < max && !whole) {
        const next = await it.next();
        if (next.done) {
          whole = true;
        } else {
          // Copied: a chunk may be reused once the next is asked for.
          const take = next.value.slice(0, max - size);
          parts.push(take);
          size += take.byteLength;
        }
      }
      const format = headFormat(joined(parts, size), whole);
      if (format !== null || whole) return format !== null && ENDPOINT_FORMATS.has(format);
    }
    return false;
  } catch {
    return false;
  } finally {
    await it.return?.();
  }
}

/** Whether stitching can happen in a map of `inputs`: the history before it holds endpoint records, or one of them is endpoint data. */
export async function mayStitch(inputs: readonly MapInput[], historyHasEndpoints: boolean): Promise<boolean> {
  if (historyHasEndpoints) return true;
  for (const input of inputs) if (await isEndpointInput(input)) return true;
  return false;
}
