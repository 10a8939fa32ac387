import type { Alert, EvidenceEvent } from '../alerts/alert';
import type { Candidate } from '../events/event';
import { urlParts } from '../util/url';
import { VARIATION_IDS, type VariationId } from '../settings/variations';
import { RESULT_COLUMNS, type ResultColumn } from './detectionSql';

/** A result row as a driver gives it: numbers may come as bigint or text, booleans as text or 0/1. */
export type ResultRow = Readonly<Record<string, unknown>>;

export class ResultError extends Error {}

function num(row: ResultRow, col: ResultColumn, i: number): number {
  const v = row[col];
  const n =
    typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new ResultError(`result row ${i + 1}: column ${col} is not a number (${String(v)})`);
  return n;
}

function numOrNull(row: ResultRow, col: ResultColumn, i: number): number | null {
  const v = row[col];
  return v === null || v === undefined || v === '' ? null : num(row, col, i);
}

function str(row: ResultRow, col: ResultColumn, i: number): string {
  const v = row[col];
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') throw new ResultError(`result row ${i + 1}: column ${col} is not text (${String(v)})`);
  return v;
}

function bool(row: ResultRow, col: ResultColumn, i: number): boolean {
  const v = row[col];
  if (v === true || v === 1 || v === 1n || v === 't' || v === 'true' || v === '1') return true;
  if (v === false || v === 0 || v === 0n || v === 'f' || v === 'false' || v === '0') return false;
  throw new ResultError(`result row ${i + 1}: column ${col} is not a boolean (${String(v)})`);
}

/** Checks that a result has the detection query's columns; the message names the missing ones. */
export function checkResultColumns(columns: readonly string[]): void {
  const missing = RESULT_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new ResultError(`not an Offbrowse detection result: no column ${missing.join(', ')}`);
}

/**
 * The alerts of a detection query's result (detectionSql.ts): rows come one
 * per evidence event, alerts in output order, evidence in event order. Gives
 * the built-in engine's Alert objects, so records, tables and summaries are
 * made by the same code whichever engine ran.
 */
export function alertsFromRows(rows: Iterable<ResultRow>): Alert[] {
  const alerts: Alert[] = [];
  let current: Alert | null = null;
  let key = '';
  let i = 0;
  for (const row of rows) {
    const variation = str(row, 'variation', i);
    if (!(VARIATION_IDS as readonly string[]).includes(variation))
      throw new ResultError(`result row ${i + 1}: unknown variation "${variation}"`);
    const host = str(row, 'host', i);
    const client = str(row, 'client', i);
    const domain = str(row, 'domain', i);
    const firstSeen = num(row, 'first_seen_ms', i);
    const rowKey = JSON.stringify([firstSeen, host, variation, client, domain]);
    if (current === null || rowKey !== key) {
      key = rowKey;
      current = {
        variation: variation as VariationId,
        host,
        user: str(row, 'user', i),
        client,
        domain,
        firstSeen,
        lastSeen: num(row, 'last_seen_ms', i),
        count: num(row, 'count', i),
        evidence: [],
        explanation: {
          hostsWithKeyInWindow: num(row, 'hosts_with_key_in_window', i),
          hostSeenKeyInWindow: bool(row, 'host_seen_key_in_window', i),
          windowDays: num(row, 'window_days', i),
          rareHosts: num(row, 'rare_hosts', i),
          upload: bool(row, 'tested_upload', i),
          historyMs: firstSeen - num(row, 'data_start_ms', i),
        },
      };
      alerts.push(current);
    }
    const rank = num(row, 'evidence_rank', i);
    if (rank !== current.evidence.length + 1)
      throw new ResultError(`result row ${i + 1}: evidence ${rank} of an alert comes out of order`);
    const url = str(row, 'url', i);
    const parts = urlParts(url);
    const event: Candidate & Pick<EvidenceEvent, 'process' | 'uaClaimsBrowser'> = {
      time: num(row, 'time_ms', i),
      host,
      user: str(row, 'event_user', i),
      userAgent: str(row, 'user_agent', i),
      image: '',
      url,
      hostname: parts.hostname,
      path: parts.path,
      method: str(row, 'method', i),
      contentType: str(row, 'content_type', i),
      bytesOut: numOrNull(row, 'bytes_out', i),
      bytesIn: numOrNull(row, 'bytes_in', i),
      action: str(row, 'action', i),
      source: { file: str(row, 'file', i), line: num(row, 'line', i) },
      session: '',
      client,
      domain,
      process: null,
      uaClaimsBrowser: false,
    };
    current.evidence.push(event);
    i++;
  }
  return alerts;
}
