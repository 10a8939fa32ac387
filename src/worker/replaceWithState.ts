import type { Settings } from '../core/settings/settings';
import { StateError } from '../core/state/state';
import { type Triage } from '../core/alerts/triage';
import { StorageProblem, storageProblem } from '../db/problems';
import type { Refusal } from './api';
import type { History } from './history';
import { readingKey, withReadingLock } from './runLock';
import { importState, type ImportedState } from './stateTransfer';
import type { HistoryStore } from './store';

export interface StateTaken {
  history: History;
  settings: Settings;
  triage: Record<string, Triage>;
}

/**
 * Replaces the stored history, settings and triage with a state file's, in
 * one transaction. A bad file, or a failure to store it, is refused and
 * changes nothing. `committing` hears when its events are written and the
 * commit starts.
 */
export async function replaceWithState(
  store: HistoryStore,
  file: File,
  committing: () => void = () => undefined,
): Promise<StateTaken | { refusal: Refusal }> {
  const owner = readingKey();
  const runs = store.runs(owner);
  let imported: ImportedState;
  try {
    imported = await withReadingLock(owner, () => importState(file, runs));
  } catch (e) {
    if (e instanceof StateError)
      return { refusal: { kind: 'state-not-imported', file: file.name, reason: e.message, cause: 'file' } };
    if (e instanceof StorageProblem)
      return { refusal: { kind: 'state-not-imported', file: file.name, reason: e.message, cause: 'storage' } };
    throw e;
  }
  const { header } = imported;
  const history: History = {
    files: header.files,
    counts: header.counts,
    runs: imported.runs,
    demoLoaded: header.demoLoaded,
    revision: 0,
  };
  committing();
  try {
    history.revision = await store.replace(history, header.settings, imported.triage);
  } catch (e) {
    for (const run of imported.runs) await runs.delete(run).catch(() => undefined);
    return { refusal: { kind: 'state-not-imported', file: file.name, reason: storageProblem(e).message, cause: 'storage' } };
  }
  return { history, settings: header.settings, triage: imported.triage };
}
