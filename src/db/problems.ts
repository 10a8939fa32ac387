import { errorMessage } from '../core/util/errorMessage';

/**
 * Storage failures in words the analyst can act on. Dexie wraps the browser's
 * errors (an aborted transaction carries the quota error as `inner`; a bulk
 * write lists its `failures`), so the whole chain is searched.
 */
export type StorageProblemKind = 'quota' | 'unavailable' | 'newer' | 'blocked' | 'closed' | 'corrupt' | 'other';

export class StorageProblem extends Error {
  constructor(
    readonly kind: StorageProblemKind,
    message: string,
  ) {
    super(message);
    this.name = 'StorageProblem';
  }
}

const MESSAGES: Record<Exclude<StorageProblemKind, 'other'>, string> = {
  quota:
    'the browser has no more storage for this page (quota exceeded). Export the state to keep a copy, ' +
    'then reset the stored baseline or free disk space',
  unavailable: 'this browser gives this page no IndexedDB storage (a private window, a file:// page or a storage policy)',
  newer: 'the stored history was written by a newer version of Offbrowse; open that version to use it',
  blocked: 'another Offbrowse tab holds the database open with an older version; close it and reload this page',
  corrupt: 'the stored history is damaged (the browser cleared part of it, or it was changed outside Offbrowse)',
  closed: 'the database was closed underneath this page (storage cleared, or another tab upgraded it); reload the page',
};

function names(e: unknown, seen = new Set<unknown>()): string[] {
  if (typeof e !== 'object' || e === null || seen.has(e)) return [];
  seen.add(e);
  const err = e as { name?: unknown; inner?: unknown; failures?: unknown };
  const out = typeof err.name === 'string' ? [err.name] : [];
  out.push(...names(err.inner, seen));
  if (Array.isArray(err.failures)) for (const f of err.failures) out.push(...names(f, seen));
  return out;
}

function kindOf(all: string[]): StorageProblemKind {
  if (all.includes('QuotaExceededError')) return 'quota';
  if (all.includes('VersionError')) return 'newer';
  if (all.includes('DatabaseClosedError')) return 'closed';
  if (
    all.some((n) =>
      ['MissingAPIError', 'SecurityError', 'InvalidStateError', 'UnknownError', 'OpenFailedError', 'InvalidAccessError'].includes(
        n,
      ),
    )
  ) {
    return 'unavailable';
  }
  return 'other';
}

/** A StorageProblem for any error thrown by the database. */
export function storageProblem(e: unknown): StorageProblem {
  if (e instanceof StorageProblem) return e;
  const kind = kindOf(names(e));
  if (kind !== 'other') return new StorageProblem(kind, MESSAGES[kind]);
  return new StorageProblem('other', `the browser's database failed: ${errorMessage(e)}`);
}

export function problemMessage(kind: Exclude<StorageProblemKind, 'other'>): string {
  return MESSAGES[kind];
}
