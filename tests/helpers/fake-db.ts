import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { OpenOptions } from '../../src/db/open';

/** A browser profile of its own: an empty in-memory IndexedDB (fake-indexeddb), for one test. */
export function freshProfile(): OpenOptions {
  return { dexie: { indexedDB: new IDBFactory(), IDBKeyRange } };
}
