import type { RunProgress } from '../worker/api';

/**
 * Where the run in progress is, as one word for the page's `data-run-step`
 * (tests land a browser kill in each): reading, writing its runs (a file read
 * to the end, being saved), committing, detecting, saving the alerts.
 */
export function runStep(running: boolean, p: RunProgress | null): string {
  if (!running) return 'idle';
  if (p === null) return 'starting';
  if (p.step !== null) return p.step;
  return p.files.some((f) => f.state === 'saving') ? 'writing' : 'reading';
}
