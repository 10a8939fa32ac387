import { ALERT_CSV_HEADER, alertCsvRow, csvRow } from '../core/csv';
import type { Alert } from '../core/detector';
import { toRecord } from '../core/record';
import type { Settings } from '../core/settings';
import type { Export } from './api';

/** File names say what and when: offbrowse-alerts-20261020T130405Z.jsonl */
function fileName(ext: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `offbrowse-alerts-${stamp}.${ext}`;
}

/** The CLI's `--json` output: one alert record a line. Built as parts, so no single giant string. */
export function jsonLinesExport(alerts: readonly Alert[], settings: Settings, now = new Date()): Export {
  const parts = alerts.map((a) => JSON.stringify(toRecord(a, settings)) + '\n');
  return { blob: new Blob(parts, { type: 'application/x-ndjson' }), fileName: fileName('jsonl', now), alerts: alerts.length };
}

/** UTF-8 with a byte order mark, which spreadsheet programs need to read non-ASCII text right. */
export function csvExport(alerts: readonly Alert[], settings: Settings, now = new Date()): Export {
  const parts = ['\uFEFF' + csvRow(ALERT_CSV_HEADER) + '\r\n'];
  for (const a of alerts) parts.push(csvRow(alertCsvRow(toRecord(a, settings))) + '\r\n');
  return { blob: new Blob(parts, { type: 'text/csv;charset=utf-8' }), fileName: fileName('csv', now), alerts: alerts.length };
}
