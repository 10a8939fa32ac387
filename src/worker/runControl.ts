import { IngestCancelled } from '../core/ingest/report';
import type { ProgressCallback, RunOutcome } from './api';
import type { Input } from './inputs';
import { RunProgressReporter } from './progress';

/** A run's work: it gets the abort signal and the progress reporter of the run. */
export type RunWork = (signal: AbortSignal, progress: RunProgressReporter) => Promise<RunOutcome>;

/**
 * One run at a time, and the cancel of the one running. A cancel ends as
 * `cancelled` (the work may answer with what it kept before the cancel).
 */
export class RunControl {
  private running: AbortController | null = null;

  get busy(): boolean {
    return this.running !== null;
  }

  cancel(): void {
    this.running?.abort();
  }

  /** `inputs` are what the progress lists; `onProgress` null: a run with no progress to show. */
  async exclusive(inputs: readonly Input[], onProgress: ProgressCallback | null, work: RunWork): Promise<RunOutcome> {
    if (this.running !== null) throw new Error('another run is in progress');
    const controller = new AbortController();
    this.running = controller;
    const progress = new RunProgressReporter(inputs, onProgress ?? (() => undefined));
    if (onProgress !== null) progress.flush();
    try {
      return await work(controller.signal, progress);
    } catch (e) {
      if (e instanceof IngestCancelled || controller.signal.aborted) {
        progress.cancelled();
        return { status: 'cancelled', analysis: null, notices: [], files: null };
      }
      throw e;
    } finally {
      progress.stop();
      this.running = null;
    }
  }
}
