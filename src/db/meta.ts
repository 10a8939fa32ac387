import type { Table } from 'dexie';
import { emptyCounts } from '../core/sources/counts';
import type { HistoryMeta, MetaKey, MetaRow, MetaValues } from './rows';

/** Typed access to the key-value `meta` table. */

export async function getMeta<K extends MetaKey>(table: Table<MetaRow, MetaKey>, key: K): Promise<MetaValues[K] | undefined> {
  const row = await table.get(key);
  return row === undefined ? undefined : (row.value as MetaValues[K]);
}

export async function putMeta<K extends MetaKey>(table: Table<MetaRow, MetaKey>, key: K, value: MetaValues[K]): Promise<void> {
  await table.put({ key, value } as MetaRow);
}

export function emptyHistoryMeta(): HistoryMeta {
  return { counts: emptyCounts(), demoLoaded: false, revision: 0, fileCount: 0, eventCount: 0 };
}

export async function historyMeta(table: Table<MetaRow, MetaKey>): Promise<HistoryMeta> {
  return (await getMeta(table, 'history')) ?? emptyHistoryMeta();
}
