import type { Transaction } from 'dexie';
import { DomainKeys } from '../core/classify/domain';
import type { Candidate } from '../core/events/event';
import { BLOCK_EVENTS, encodeBlock } from '../core/runs/block';
import { ColumnsBuilder, sortColumns } from '../core/events/columns';
import { pushCandidate } from '../core/classify/fromCandidate';
import { TEXT_SHARE_SITES } from '../core/settings/lists';
import { resolveSettings } from '../core/settings/settings';
import type { BlockRow, FileRow, HistoryMeta, MetaRow, RunRow } from './rows';

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
  await tx.table<EventBlockV2, number>('events').each((block) => (eventCount += block.events.length));
  await meta.put({ key: 'history', value: { ...old, fileCount, eventCount } });
}

/** A version 2 event block: a file's events as whole objects. */
interface EventBlockV2 {
  id?: number;
  /** The fingerprint of the file they came from ('' when not known). */
  file: string;
  events: Candidate[];
}

/**
 * 2 → 3: the events move from blocks of whole objects into one sorted run of
 * compact blocks (what the streaming pipeline reads); each file gets the key
 * its events carry (its fingerprint, which the old blocks named). The stored
 * alerts are marked stale, so they are made again from the run on opening.
 * Version 2 kept at most 2,000,000 events, so they are sorted in memory once.
 */
export async function upgradeToV3(tx: Transaction): Promise<void> {
  const files = tx.table<FileRow, number>('files');
  await files.toCollection().modify((f) => {
    f.key = f.fingerprint ?? `v2-${f.id}`;
  });
  const settingsRow = await tx.table<MetaRow, string>('meta').get('settings');
  let textShare: readonly string[] = TEXT_SHARE_SITES;
  try {
    if (settingsRow?.key === 'settings') textShare = resolveSettings(settingsRow.value).textShareSites;
  } catch {
    // Settings that no longer validate are dropped on loading too: the defaults apply.
  }
  const domains = new DomainKeys(textShare);
  const b = new ColumnsBuilder(4096);
  await tx.table<EventBlockV2, number>('events').each((block) => {
    for (const e of block.events) {
      pushCandidate(b, e, domains, block.file);
    }
  });
  if (b.count > 0) {
    const sorted = sortColumns(b.build());
    const blocks: Uint8Array[] = [];
    for (let at = 0; at < sorted.count; at += BLOCK_EVENTS)
      blocks.push(encodeBlock(sorted, at, Math.min(sorted.count, at + BLOCK_EVENTS)));
    const run = await tx.table<RunRow, number>('runs').add({
      state: 'committed',
      kind: 'events',
      owner: 'upgrade-to-v3',
      count: sorted.count,
      minTime: sorted.time[0],
      maxTime: sorted.time[sorted.count - 1],
      blocks: blocks.length,
      createdAt: Date.now(),
    });
    await tx
      .table<BlockRow, [number, number]>('blocks')
      .bulkAdd(blocks.map((bytes, no) => ({ run, no, bytes: bytes.buffer as ArrayBuffer })));
  }
  await tx.table<MetaRow, string>('meta').delete('alerts');
}
