import type { FileProgressRow, ProgressCallback, RunProgress, RunStep } from './api';

/** At most this often a progress message goes to the page (about 10 a second). */
export const PROGRESS_EVERY_MS = 100;

/** Rates before this much reading are noise; no time left is guessed from them. */
const MIN_ELAPSED_FOR_ESTIMATE_MS = 300;

/**
 * Progress of one run, per input, sent to the page throttled: changes in
 * between are coalesced, and the latest state always goes out (trailing send).
 */
export class RunProgressReporter {
  private readonly rows: FileProgressRow[];
  private phase: RunProgress['phase'] = 'reading';
  private step: RunStep | null = null;
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    inputs: readonly { name: string; size: number | null }[],
    private readonly send: ProgressCallback,
  ) {
    this.rows = inputs.map((f) => ({
      name: f.name,
      state: 'queued',
      bytesRead: 0,
      bytesTotal: f.size,
      rows: 0,
      elapsedMs: 0,
      bytesPerSec: 0,
      msLeft: null,
      error: null,
      duplicateOf: null,
    }));
  }

  /** Reading of input `i` moved on. */
  reading(i: number, p: { bytesRead: number; lines: number; elapsedMs: number }): void {
    const row = this.rows[i];
    row.state = 'reading';
    row.bytesRead = p.bytesRead;
    row.rows = p.lines;
    row.elapsedMs = p.elapsedMs;
    row.bytesPerSec = p.elapsedMs > 0 ? (p.bytesRead * 1000) / p.elapsedMs : 0;
    row.msLeft =
      row.bytesTotal !== null && row.bytesPerSec > 0 && p.elapsedMs >= MIN_ELAPSED_FOR_ESTIMATE_MS
        ? (Math.max(0, row.bytesTotal - p.bytesRead) * 1000) / row.bytesPerSec
        : null;
    this.changed();
  }

  /** Input `i` is starting over (a gzip file read again with the fallback inflater). */
  restart(i: number): void {
    Object.assign(this.rows[i], { state: 'reading', bytesRead: 0, rows: 0, elapsedMs: 0, bytesPerSec: 0, msLeft: null });
    this.changed();
  }

  /** Read to the end; now being written to storage. */
  saving(i: number): void {
    this.rows[i].state = 'saving';
    this.changed();
  }

  /** `duplicateOf`: the earlier file with the same content, so this one added nothing. */
  finished(i: number, error: string | null, duplicateOf: string | null = null): void {
    const row = this.rows[i];
    row.state = error !== null ? 'failed' : duplicateOf !== null ? 'duplicate' : 'done';
    row.error = error;
    row.duplicateOf = duplicateOf;
    row.msLeft = 0;
    if (row.bytesTotal === null || error === null) row.bytesTotal = row.bytesRead;
    this.changed();
  }

  /** Marks the input being read and those not yet started as cancelled, and sends at once. */
  cancelled(): void {
    for (const row of this.rows) if (row.state === 'queued' || row.state === 'reading') row.state = 'cancelled';
    this.flush();
  }

  /** Read to the end: from here on the run commits, detects and saves (`step`, sent at once). */
  analysing(step: RunStep = 'committing'): void {
    this.phase = 'analysing';
    this.step = step;
    this.flush();
  }

  /** Sends the current state now, cancelling any pending trailing send. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastSent = Date.now();
    void Promise.resolve(this.send({ phase: this.phase, step: this.step, files: this.rows.map((r) => ({ ...r })) })).catch(
      () => undefined,
    );
  }

  /** Drops a pending trailing send: the run is over and its result says the rest. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.timer !== null) return;
    const wait = PROGRESS_EVERY_MS - (Date.now() - this.lastSent);
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }
}
