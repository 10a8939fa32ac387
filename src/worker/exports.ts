import { csvRow } from '../core/util/csv';
import { ALERT_CSV_HEADER, alertCsvRow } from '../core/alerts/alertCsv';
import type { Alert } from '../core/alerts/alert';
import { alertId, toRecord, type AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Triage, TriageStatus } from '../core/alerts/triage';
import type { Export } from './api';

/** File names say what and when: offbrowse-alerts-20261020T130405Z.jsonl */
function fileName(ext: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `offbrowse-alerts-${stamp}.${ext}`;
}

/** The triage part of an exported record: an extra field, which docs/detection.md ("The alert record") allows. */
interface TriageRecord {
  status: TriageStatus;
  note: string;
  /** Null for an alert nobody has triaged. */
  changed_at: string | null;
}

type TriagedRecord = AlertRecord & { triage: TriageRecord };

export const TRIAGE_CSV_HEADER: readonly string[] = ['triage_status', 'triage_note', 'triage_changed_at'];

export interface ExportRequest {
  /** The alerts to write, in the order to write them (the table's, filtered and sorted). */
  alerts: readonly Alert[];
  settings: Settings;
  triage: Readonly<Record<string, Triage>>;
  now?: Date;
}

function triageRecord(t: Triage | undefined): TriageRecord {
  return t === undefined
    ? { status: 'new', note: '', changed_at: null }
    : { status: t.status, note: t.note, changed_at: t.changedAt };
}

function records(r: ExportRequest): TriagedRecord[] {
  return r.alerts.map((a) => ({ ...toRecord(a, r.settings), triage: triageRecord(r.triage[alertId(a)]) }));
}

/** The CLI's `--json` output, plus each alert's triage: one record a line. Built as parts, so no single giant string. */
export function jsonLinesExport(r: ExportRequest): Export {
  const rows = records(r);
  const parts = rows.map((rec) => JSON.stringify(rec) + '\n');
  return {
    blob: new Blob(parts, { type: 'application/x-ndjson' }),
    fileName: fileName('jsonl', r.now ?? new Date()),
    alerts: rows.length,
  };
}

/** UTF-8 with a byte order mark, which spreadsheet programs need to read non-ASCII text right. */
export function csvExport(r: ExportRequest): Export {
  const rows = records(r);
  const parts = ['\uFEFF' + csvRow([...ALERT_CSV_HEADER, ...TRIAGE_CSV_HEADER]) + '\r\n'];
  for (const rec of rows) {
    parts.push(csvRow([...alertCsvRow(rec), rec.triage.status, rec.triage.note, rec.triage.changed_at]) + '\r\n');
  }
  return {
    blob: new Blob(parts, { type: 'text/csv;charset=utf-8' }),
    fileName: fileName('csv', r.now ?? new Date()),
    alerts: rows.length,
  };
}
