import { fflateInflate, type Inflate } from '../core/gzip';
import { emptyCollected, Ingest, type FileReport } from '../core/ingest';
import type { Settings } from '../core/settings';
import { FileEventBudget } from './eventBudget';
import type { Reading } from './history';
import type { Input } from './inputs';
import { hasPlatformGunzip, platformInflate } from './platformInflate';
import { PROGRESS_EVERY_MS, type RunProgressReporter } from './progress';

export interface ReadContext {
  settings: Settings;
  /** The files already added: one with the same content is recognised (`duplicateOf`) and adds nothing. */
  known: readonly FileReport[];
  signal: AbortSignal;
  progress: RunProgressReporter;
  /** Non-browser events kept before this file, and how many may be. */
  keptBefore: number;
  budget: number;
}

/**
 * Reads one input on its own, fingerprinting its content, so a failed or
 * cancelled read touches nothing and a repeated file is known by content.
 */
export async function readInput(input: Input, i: number, ctx: ReadContext): Promise<Reading> {
  const { progress, signal } = ctx;
  const attempt = async (inflate: Inflate): Promise<Reading> => {
    const own = { ...emptyCollected(), files: [...ctx.known] };
    const ingest = new Ingest(ctx.settings, own);
    const budget = new FileEventBudget(input.name, ctx.keptBefore, ctx.budget);
    const report = await ingest.addFile(input.name, input.chunks(), {
      size: input.size, signal, inflate, progressEveryMs: PROGRESS_EVERY_MS, fingerprint: true,
      // Throws past the budget: the file stops being read, and the run stops with the message.
      onProgress: (p) => {
        progress.reading(i, p);
        budget.check(p.kept);
      },
    });
    return { report, candidates: own.candidates, counts: own.counts, traffic: own.traffic, demo: input.demo };
  };

  let platformFailed = false;
  let reading = await attempt(hasPlatformGunzip() ? platformInflate(() => (platformFailed = true)) : fflateInflate);
  if (platformFailed && reading.report.error !== null && !signal.aborted) {
    progress.restart(i);
    reading = await attempt(fflateInflate);
  }
  return reading;
}
