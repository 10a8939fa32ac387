import { storageProblem } from '../db/problems';
import { MemoryStore } from './memoryStore';
import type { HistoryStore, StoredState } from './store';

/** Takes up a store and what it holds (analysing it); throws when what it holds cannot be used. */
export type UseStored = (store: HistoryStore, stored: StoredState) => Promise<void>;

/**
 * Opens the store and hands it and what it holds to `use`. When the browser
 * gives no database, or what is stored cannot be read or analysed, the
 * history falls back to this tab's memory, empty, and the store's status
 * says why. Returns the store in use.
 */
export async function openHistory(openStore: () => Promise<HistoryStore>, use: UseStored): Promise<HistoryStore> {
  let store: HistoryStore;
  try {
    store = await openStore();
  } catch (e) {
    const memory = new MemoryStore({ mode: 'memory', cause: 'no-database', reason: storageProblem(e).message });
    await use(memory, await memory.load());
    return memory;
  }
  try {
    await use(store, await store.load());
    return store;
  } catch (e) {
    store.close();
    const memory = new MemoryStore({ mode: 'memory', cause: 'unreadable', reason: storageProblem(e).message });
    await use(memory, await memory.load());
    return memory;
  }
}
