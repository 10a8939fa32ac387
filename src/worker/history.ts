import type { Candidate } from '../core/event';
import { emptyCollected, type Collected, type FileReport } from '../core/ingest';
import { addCounts, type Counts } from '../core/stats';
import type { TrafficBytes } from '../core/traffic';

/**
 * Everything ingested into this baseline: what analysis runs over. The
 * worker keeps it in memory for speed; with storage it mirrors the database.
 */
export interface History {
  /** `files` is the manifest: only files that were added (not failed, not repeats). */
  collected: Collected;
  demoLoaded: boolean;
  /** Fingerprints of the manifest's generated demo files (they can be made again; dropped files need their handle). */
  demoFiles: Set<string>;
}

export function emptyHistory(): History {
  return { collected: emptyCollected(), demoLoaded: false, demoFiles: new Set() };
}

/** One input read on its own: its effect, not yet part of any history. */
export interface Reading {
  report: FileReport;
  /** Empty for a file that failed or repeats one already added. */
  candidates: Candidate[];
  /** The file's counts (empty when it added nothing). */
  counts: Counts;
  traffic: TrafficBytes;
  demo: boolean;
}

/** Adds a reading that has been committed (or, without storage, accepted) to the history. */
export function applyReading(history: History, reading: Reading): void {
  const { collected } = history;
  for (const c of reading.candidates) collected.candidates.push(c);
  addCounts(collected.counts, reading.counts);
  collected.files.push(reading.report);
  for (const [k, v] of reading.traffic) collected.traffic.set(k, v);
  if (reading.demo) {
    history.demoLoaded = true;
    if (reading.report.fingerprint !== null) history.demoFiles.add(reading.report.fingerprint);
  }
}
