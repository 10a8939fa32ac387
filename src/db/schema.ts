import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { AlertRow, BlockRow, FileRow, MetaKey, MetaRow, RunRow, TriageRow } from './rows';
import { upgradeToV2, upgradeToV3 } from './upgrade';

export const DB_NAME = 'offbrowse';

/** Version 1, as first designed. Kept as written: Dexie needs every version's schema to upgrade from it. */
export const SCHEMA_V1: Readonly<Record<string, string>> = {
  events: '++id, file',
  files: '++id, &fingerprint, addedAt',
  baseline: '[client+domain+upload+host], host, client, domain',
  alerts: 'id, first_seen, [id+sig]',
  triage: 'id',
  meta: 'key',
};

/** Version 2: triage indexed by status and time of change (filters, "recently triaged"); file and event counts in meta. */
const SCHEMA_V2: Readonly<Record<string, string>> = {
  triage: 'id, status, changedAt',
};

/**
 * Version 3: events in sorted runs of compact blocks (the scale pipeline),
 * files keyed by the key their events carry. Version 4 drops what version 3
 * copied across: the old event blocks and the baseline aggregates.
 */
const SCHEMA_V3: Readonly<Record<string, string>> = {
  runs: '++id, state, owner',
  blocks: '[run+no]',
  files: '++id, &fingerprint, addedAt, &key',
};
const SCHEMA_V4: Readonly<Record<string, string | null>> = {
  events: null,
  baseline: null,
};

export const SCHEMA_VERSION = 4;

export class OffbrowseDb extends Dexie {
  runs!: Table<RunRow, number>;
  blocks!: Table<BlockRow, [number, number]>;
  files!: Table<FileRow, number>;
  alerts!: Table<AlertRow, string>;
  triage!: Table<TriageRow, string>;
  meta!: Table<MetaRow, MetaKey>;

  constructor(name = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ ...SCHEMA_V1 });
    this.version(2)
      .stores({ ...SCHEMA_V2 })
      .upgrade(upgradeToV2);
    this.version(3)
      .stores({ ...SCHEMA_V3 })
      .upgrade(upgradeToV3);
    this.version(4).stores({ ...SCHEMA_V4 });
  }
}
