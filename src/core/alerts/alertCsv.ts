import type { CsvValue } from '../util/csv';
import type { AlertRecord } from './record';

/** The CSV export's columns: the alert record flattened, with its first evidence row. */
export const ALERT_CSV_HEADER: readonly string[] = [
  'id',
  'severity',
  'variation',
  'name',
  'host',
  'user',
  'client',
  'domain',
  'first_seen',
  'last_seen',
  'count',
  'mitre_tactic',
  'mitre_technique',
  'hosts_with_key_in_window',
  'host_seen_key_in_window',
  'window_days',
  'rare_hosts',
  'tested_upload',
  'first_url',
  'first_method',
  'first_user_agent',
  'first_action',
  'first_source',
  'first_user_agent_claims_browser',
  'first_process_computer',
  'first_process_image',
  'first_process_pid',
  'first_process_user',
  'first_process_command_line',
  'first_process_parent_image',
];

export function alertCsvRow(r: AlertRecord): CsvValue[] {
  const e = r.evidence[0];
  // The process (stitched, or an endpoint-only event): log text like the rest, neutralised by the CSV writer.
  const p = e?.process ?? null;
  return [
    r.id,
    r.severity,
    r.variation,
    r.name,
    r.host,
    r.user,
    r.client,
    r.domain,
    r.first_seen,
    r.last_seen,
    r.count,
    r.mitre.tactic,
    r.mitre.technique,
    r.explanation.hosts_with_key_in_window,
    r.explanation.host_seen_key_in_window,
    r.explanation.window_days,
    r.explanation.rare_hosts,
    r.explanation.tested_key.upload,
    e ? e.url : null,
    e ? e.method : null,
    e ? e.user_agent : null,
    e ? e.action : null,
    e ? `${e.source.file}:${e.source.line}` : null,
    e ? e.user_agent_claims_browser : null,
    p ? p.computer : null,
    p ? p.image : null,
    p ? p.pid : null,
    p ? p.user : null,
    p ? p.command_line : null,
    p ? p.parent_image : null,
  ];
}
