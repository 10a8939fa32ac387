import type { Candidate } from '../core/event';
import { emptyCollected, type Collected } from '../core/ingest';
import { resolveSettings, type Settings } from '../core/settings';
import type { Triage } from '../core/state';
import { detach, Interner } from '../core/strings';
import { EventBlocks } from './eventBlocks';
import { getMeta, historyMeta } from './meta';
import type { OffbrowseDb } from './schema';

/** Event blocks are read in pages, so a large history never needs one giant request. */
const PAGE = 50;

export interface StoredHistory {
  /** Events, merged counts and the file manifest; no TRAFFIC sessions (those are not stored). */
  collected: Collected;
  demoLoaded: boolean;
  /** Fingerprints of the generated demo files in the manifest. */
  demoFiles: Set<string>;
  revision: number;
  /** Null when none were saved (or they no longer validate): the defaults apply. */
  settings: Settings | null;
  triage: Record<string, Triage>;
  /** The history revision the stored alerts were made from; null when none are stored. */
  alertsRevision: number | null;
  /** The stored block of each event, for writing byte counts a later TRAFFIC log brings. */
  blocks: EventBlocks;
}

/** Repeated values (hosts, clients, user agents) shared, as ingest shares them. */
function intern(e: Candidate, s: Interner): Candidate {
  return {
    time: e.time, host: s.get(e.host), user: s.get(e.user), userAgent: s.get(e.userAgent), image: s.get(e.image),
    url: detach(e.url), hostname: s.get(e.hostname), path: detach(e.path), method: s.get(e.method),
    contentType: s.get(e.contentType), bytesOut: e.bytesOut, bytesIn: e.bytesIn, action: s.get(e.action),
    source: { file: s.get(e.source.file), line: e.source.line }, session: detach(e.session),
    client: s.get(e.client), domain: s.get(e.domain),
  };
}

function validSettings(value: unknown): Settings | null {
  if (value === undefined) return null;
  try {
    return resolveSettings(value);
  } catch {
    return null;
  }
}

/** Everything stored, read in one transaction so it is one consistent picture. */
export function loadHistory(db: OffbrowseDb): Promise<StoredHistory> {
  return db.transaction('r', [db.events, db.files, db.meta, db.triage], async () => {
    const meta = await historyMeta(db.meta);
    const collected = emptyCollected();
    collected.counts = meta.counts;
    const demoFiles = new Set<string>();
    for (const row of await db.files.orderBy(':id').toArray()) {
      collected.files.push(row.report);
      if (row.demo && row.fingerprint !== null) demoFiles.add(row.fingerprint);
    }
    const blocks = new EventBlocks();
    const strings = new Interner();
    let after = 0;
    for (;;) {
      const rows = await db.events.where(':id').above(after).limit(PAGE).toArray();
      for (const row of rows) {
        const events = row.events.map((e) => intern(e, strings));
        for (const e of events) collected.candidates.push(e);
        blocks.add(row.id!, { file: row.file, events });
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id!;
    }
    const triage: Record<string, Triage> = {};
    for (const t of await db.triage.toArray()) triage[t.id] = { status: t.status, note: t.note, changedAt: t.changedAt };
    const alerts = await getMeta(db.meta, 'alerts');
    return {
      collected,
      demoLoaded: meta.demoLoaded,
      demoFiles,
      revision: meta.revision,
      settings: validSettings(await getMeta(db.meta, 'settings')),
      triage,
      alertsRevision: alerts?.revision ?? null,
      blocks,
    };
  });
}
