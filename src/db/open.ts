import type { DexieOptions } from 'dexie';
import { problemMessage, StorageProblem, storageProblem } from './problems';
import { DB_NAME, OffbrowseDb, SCHEMA_VERSION } from './schema';

/** How long an upgrade may wait for other tabs to let go of an older version before giving up. */
const OPEN_TIMEOUT_MS = 8000;

export interface OpenOptions {
  name?: string;
  timeoutMs?: number;
  dexie?: DexieOptions;
}

/**
 * Opens (and upgrades) the database, or throws a StorageProblem saying why
 * not: no IndexedDB here, a newer schema on disk, or an older tab blocking.
 */
export async function openDatabase(options: OpenOptions = {}): Promise<OffbrowseDb> {
  if (options.dexie?.indexedDB === undefined && typeof indexedDB === 'undefined') {
    throw new StorageProblem('unavailable', problemMessage('unavailable'));
  }
  const db = new OffbrowseDb(options.name ?? DB_NAME, { autoOpen: false, ...options.dexie });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StorageProblem('blocked', problemMessage('blocked'))),
      options.timeoutMs ?? OPEN_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([db.open(), timeout]);
    // Dexie opens a newer database as it is when its tables look compatible; its rows may not be.
    // (Dexie stores version n as 10n, plus one for each of its own schema patches.)
    if (Math.floor(db.backendDB().version / 10) > SCHEMA_VERSION) throw new StorageProblem('newer', problemMessage('newer'));
    return db;
  } catch (e) {
    db.close();
    throw storageProblem(e);
  } finally {
    clearTimeout(timer);
  }
}
