import type { Transaction } from 'dexie';
import type { EventBlockRow, HistoryMeta, MetaRow } from './rows';

/** Version 1's history row: the counts, without the file and event totals. */
type HistoryMetaV1 = Omit<HistoryMeta, 'fileCount' | 'eventCount'>;

/**
 * 1 → 2: the history row gains `fileCount` and `eventCount`, counted once
 * here (reading every event block this one time), so the baseline panel
 * reads them instead of counting on every change. The triage indexes are
 * built by IndexedDB itself.
 */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  const meta = tx.table<MetaRow, string>('meta');
  const row = await meta.get('history');
  if (row === undefined || row.key !== 'history') return;
  const old = row.value as HistoryMetaV1 & Partial<HistoryMeta>;
  const fileCount = await tx.table('files').count();
  let eventCount = 0;
  await tx.table<EventBlockRow, number>('events').each((block) => (eventCount += block.events.length));
  await meta.put({ key: 'history', value: { ...old, fileCount, eventCount } });
}
