import { expect } from 'vitest';
import type { Refusal, RunOutcome } from '../../src/worker/api';

export type Done = Extract<RunOutcome, { status: 'done' }>;

/** The outcome of a run that must have done all it was asked, narrowed to `done`. */
export function done(outcome: RunOutcome): Done {
  expect(outcome.status === 'refused' ? outcome.refusal : outcome.status === 'stopped' ? outcome.notSaved : null).toBeNull();
  expect(outcome.status).toBe('done');
  return outcome as Done;
}

/** The refusal of a run that must have been refused. */
export function refusal(outcome: RunOutcome): Refusal {
  expect(outcome.status).toBe('refused');
  if (outcome.status !== 'refused') throw new Error(`not refused: ${outcome.status}`);
  return outcome.refusal;
}
