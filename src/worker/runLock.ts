/**
 * A reading holds a Web Lock named after it while it runs, so another tab
 * (or this one, on its next visit) can tell its pending runs from those of a
 * tab that went away: a lock nobody holds belongs to nobody. Work that
 * changes the history (a drop, a removal, a settings change, an import, a
 * reset) also holds HISTORY from before it reads the stored revision to after
 * its alerts are saved, so two tabs' work on one history runs one after the
 * other, each on what the other left. The browser lets go of a killed tab's locks.
 */
const PREFIX = 'offbrowse-reading-';
const HISTORY = 'offbrowse-history';

/** The browser's Web Locks, where it gives them to this page (not where site data is blocked, and not in Node). */
function locks(): LockManager | null {
  try {
    return typeof navigator === 'undefined' || navigator.locks === undefined ? null : navigator.locks;
  } catch {
    return null;
  }
}

/** Runs `work` holding the lock of `owner` (or without one where the browser gives no Web Locks). */
export function withReadingLock<T>(owner: string, work: () => Promise<T>): Promise<T> {
  return withLock(PREFIX + owner, work);
}

/** Runs `work` holding the history's lock: after any other tab's work on the history, and before the next. */
export function withHistoryLock<T>(work: () => Promise<T>): Promise<T> {
  return withLock(HISTORY, work);
}

async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const l = locks();
  if (l === null) return work();
  let started = false;
  try {
    return await l.request(name, () => {
      started = true;
      return work();
    });
  } catch (e) {
    // The lock itself was refused (a storage policy): the work did not start, so it runs without one.
    if (started) throw e;
    return work();
  }
}

/** Whether no one holds `owner`'s lock (its pending runs are left over); without Web Locks, whether they are a day old. */
export async function abandoned(owner: string, createdAt: number): Promise<boolean> {
  const l = locks();
  const old = Date.now() - createdAt > 86_400_000;
  if (l === null) return old;
  try {
    return await l.request(PREFIX + owner, { ifAvailable: true }, async (lock) => lock !== null);
  } catch {
    return old;
  }
}

/** A key for one reading, unique in any history: its files' keys start with it, and its lock is named after it. */
export function readingKey(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}
