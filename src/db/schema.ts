import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { AlertRow, BaselineDbRow, BaselineKey, EventBlockRow, FileRow, MetaKey, MetaRow, TriageRow } from './rows';
import { upgradeToV2 } from './upgrade';

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
export const SCHEMA_V2: Readonly<Record<string, string>> = {
  triage: 'id, status, changedAt',
};

export const SCHEMA_VERSION = 2;

export class OffbrowseDb extends Dexie {
  events!: Table<EventBlockRow, number>;
  files!: Table<FileRow, number>;
  baseline!: Table<BaselineDbRow, BaselineKey>;
  alerts!: Table<AlertRow, string>;
  triage!: Table<TriageRow, string>;
  meta!: Table<MetaRow, MetaKey>;

  constructor(name = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ ...SCHEMA_V1 });
    this.version(2).stores({ ...SCHEMA_V2 }).upgrade(upgradeToV2);
  }
}
