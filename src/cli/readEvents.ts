import { joinTraffic } from '../core/analyse';
import { DomainKeys } from '../core/domain';
import { eventRow, type EventRow } from '../core/events/eventRow';
import { fileRow, type FileRow } from '../core/events/fileRow';
import { Ingest, type Collected, type FileReport } from '../core/ingest';
import type { Settings } from '../core/settings';
import { zlibInflate } from './files';

export interface MapInput {
  name: string;
  chunks(): AsyncIterable<Uint8Array>;
}

export interface MapResult {
  /** Everything read, merged (the built-in engine's input). */
  collected: Collected;
  /** The files of this run, in the order given. */
  files: FileReport[];
  /** True when an input could not be read or recognised. */
  failed: boolean;
  /** One row per non-browser event, TRAFFIC bytes joined. */
  rows(): Iterable<EventRow>;
  /** One row per file of this run. */
  fileRows(): FileRow[];
}

export interface MapOptions {
  /** Work out content fingerprints (recognises a file given twice). */
  fingerprint: boolean;
  /** A history read earlier (a state file) that these inputs add to. */
  from?: Collected;
  /** Told of an input that could not be opened at all. */
  onError?: (name: string, message: string) => void;
}

/**
 * The map: inputs to the compact events the detector reads, with the
 * per-file facts (data start, counts) beside them. Everything that needs the
 * map goes through here (detect, events, the engines), so the reading can be
 * swapped for another pipeline that gives the same rows.
 */
export async function readEvents(inputs: readonly MapInput[], settings: Settings, opts: MapOptions): Promise<MapResult> {
  const ingest = new Ingest(settings, opts.from);
  const before = ingest.result.files.length;
  let failed = false;
  for (const input of inputs) {
    try {
      const report = await ingest.addFile(input.name, input.chunks(), { inflate: zlibInflate, fingerprint: opts.fingerprint });
      if (report.error) failed = true;
    } catch (e) {
      failed = true;
      opts.onError?.(input.name, (e as Error).message);
    }
  }
  const collected = ingest.result;
  joinTraffic(collected.candidates, collected.traffic);
  const files = collected.files.slice(before);
  const domains = new DomainKeys(settings.textShareSites);
  return {
    collected,
    files,
    failed,
    *rows(): Iterable<EventRow> {
      for (const c of collected.candidates) yield eventRow(c, domains);
    },
    fileRows: () => files.map(fileRow),
  };
}
