import type { Detection } from '../core/alerts/alert';
import type { Suppression } from '../core/settings/settings';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import {
  mostlyUnknown,
  SKIP_REASONS,
  totalEvents,
  totalSkipped,
  unknownHint,
  type Counts,
  type SkipReason,
} from '../core/sources/counts';
import { terminalText } from '../core/util/strings';
import type { StitchCounts } from '../core/runs/stitchJoin';
import { isoTime } from '../core/util/time';
import { VARIATION_IDS, VARIATIONS } from '../core/settings/variations';

/**
 * A count with thousands separators, as `toLocaleString('en-US')` writes it.
 * Whole numbers are grouped here: the first toLocaleString of a process loads
 * ICU's number formatting, tens of milliseconds of a run that prints a summary.
 */
export function thousands(x: number): string {
  if (!Number.isSafeInteger(x) || Object.is(x, -0)) return x.toLocaleString('en-US');
  const digits = String(Math.abs(x));
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return x < 0 ? '-' + out : out;
}

const n = thousands;

/** Lines for the terminal: names and fields from the logs in them have their control and bidi characters escaped. */
function terminalLines(lines: readonly string[]): string {
  return lines.map(terminalText).join('\n') + '\n';
}

/** What the endpoint records were and what stitching made of them (docs/detection.md "Endpoint sources and stitching"). */
function stitchLines(counts: Counts, stitch: StitchCounts | null, stitchSeconds: number): string[] {
  const e = counts.endpoint;
  if (e.process + e.connection + e.lookup === 0 && stitch === null) return [];
  const out = [`endpoint records: ${n(e.process)} process starts, ${n(e.connection)} connections, ${n(e.lookup)} name lookups`];
  if (stitch === null) return out;
  const why = stitch.notStitched;
  out.push(
    `stitching: ${n(stitch.stitched)} URL events got their process (${n(stitch.uaClaimedBrowser)} of them sent a browser's User-Agent); ` +
      `${n(stitch.connectionsUnstitched)} endpoint connections found no URL event; endpoint-only events: ` +
      `${n(stitch.endpointOnly.connections)} from named connections, ${n(stitch.endpointOnly.lookups)} from name lookups`,
    `  non-browser URL events not stitched: no ports in the source ${n(why.noPorts)}, no endpoint data for that host ` +
      `${n(why.noEndpointData)}, no match within ${n(stitchSeconds)} s ${n(why.noMatch)}`,
  );
  return out;
}

/** The ingest and detection summary the CLI writes to stderr. */
export function summaryText(
  files: FileReport[],
  counts: Counts,
  detection: Detection,
  join: { joined: number | null; unmatched: number | null; stitch?: StitchCounts | null } = { joined: null, unmatched: null },
  suppress: readonly Suppression[] = [],
  stitchSeconds = 120,
): string {
  const out: string[] = [];
  // Name every file when there are few; with many, only the ones that could not be read.
  const listed = files.length <= 10 ? files : files.filter((f) => f.error || f.duplicateOf);
  for (const f of listed) {
    const what = f.error
      ? isEmptyReport(f)
        ? `nothing to read: ${f.error}`
        : `NOT READ: ${f.error}`
      : f.duplicateOf
        ? `already read (same content as ${f.duplicateOf}): adds nothing`
        : `${f.format ?? 'empty'}${f.gzip ? ', gzip' : ''}, ${n(f.counts.lines)} lines`;
    out.push(`file ${f.name}: ${what}`);
  }
  if (listed.length < files.length) {
    out.push(`files read: ${n(files.length - listed.length)} of ${n(files.length)}`);
  }
  const events = totalEvents(counts);
  out.push(`lines read: ${n(counts.lines)} (blank ${n(counts.blank)}, header rows ${n(counts.headers)})`);
  out.push(
    `URL events: ${n(events)} (browser ${n(counts.browser)}, non-browser ${n(counts.nonBrowser)}, unknown client ${n(counts.unknown)})`,
  );
  if (mostlyUnknown(counts)) out.push(`hint: ${unknownHint(files.filter((f) => f.error === null).map((f) => f.format))}`);
  const other = Object.entries(counts.other).sort((a, b) => b[1] - a[1]);
  if (other.length) out.push(`other log types passed over: ${other.map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
  const skipped = totalSkipped(counts) + files.filter((f) => f.error).reduce((s, f) => s + totalSkipped(f.counts), 0);
  out.push(`skipped lines: ${n(skipped)}`);
  const all = [counts, ...files.filter((f) => f.error).map((f) => f.counts)];
  const reasons = new Map<SkipReason, number>();
  for (const c of all)
    for (const [r, v] of Object.entries(c.skipped) as [SkipReason, number][]) reasons.set(r, (reasons.get(r) ?? 0) + v);
  for (const [reason, count] of reasons) {
    const examples = all
      .flatMap((c) => c.examples)
      .filter((e) => e.reason === reason)
      .slice(0, 5);
    out.push(`  ${SKIP_REASONS[reason]}: ${n(count)} (e.g. ${examples.map((e) => `${e.file}:${e.line}`).join(', ')})`);
  }
  if (join.joined !== null && join.unmatched !== null) {
    out.push(
      `TRAFFIC join: ${n(join.joined)} URL events got their bytes sent from a TRAFFIC row of their session; ` +
        `${n(join.unmatched)} found none near them in log time (an upload is then told by its method alone)`,
    );
  }
  out.push(...stitchLines(counts, join.stitch ?? null, stitchSeconds));
  if (counts.minTime !== null && counts.maxTime !== null) {
    out.push(`time range: ${isoTime(counts.minTime)} to ${isoTime(counts.maxTime)}`);
  }
  if (detection.activeFrom !== null) {
    const reached = counts.maxTime !== null && counts.maxTime >= detection.activeFrom;
    out.push(
      `baseline active from: ${isoTime(detection.activeFrom)}${reached ? '' : ' (not reached by these logs: no alerts possible yet)'}`,
    );
  }
  const per = VARIATION_IDS.map((v) => `${v} ${detection.alerts.filter((a) => a.variation === v).length}`);
  out.push(`alerts: ${detection.alerts.length} (${per.join(', ')})`);
  const hidden = suppressedLine(detection, suppress);
  if (hidden !== null) out.push(hidden);
  return terminalLines(out);
}

/** What the suppression list left out, entry by entry; null without a list. */
function suppressedLine(detection: Detection, suppress: readonly Suppression[]): string | null {
  if (suppress.length === 0) return null;
  const total = detection.suppressed.reduce((n, h) => n + h.alerts, 0);
  const parts = suppress.map((s, i) => {
    const h = detection.suppressed[i] ?? { alerts: 0, events: 0 };
    return `${s.client} → ${s.domain}${s.host === undefined ? '' : ` on ${s.host}`}: ${n(h.alerts)}`;
  });
  return `suppressed alerts (left out by the settings' suppression list): ${n(total)} (${parts.join('; ')})`;
}

/** A readable table of alerts for a terminal. */
export function alertTable(detection: Detection): string {
  const head = ['SEVERITY', 'FIRST SEEN (UTC)', 'HOST', 'CLIENT', 'DOMAIN', 'COUNT', 'ALERT'];
  // Escaped before the widths are taken, so a column is as wide as what the terminal shows.
  const rows = detection.alerts.map((a) =>
    [
      VARIATIONS[a.variation].severity,
      isoTime(a.firstSeen).replace('T', ' ').slice(0, 19),
      a.host,
      a.client,
      a.domain,
      String(a.count),
      VARIATIONS[a.variation].name,
    ].map(terminalText),
  );
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (r: string[]): string =>
    r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** The summary of a detection over tables loaded elsewhere: the files were read by the map runs, not here. */
export function tablesSummaryText(
  detection: Detection,
  suppress: readonly Suppression[] = [],
  unread: readonly { file: string; error: string }[] = [],
): string {
  const out: string[] = [];
  // The map runs exited 2 for these; the reduce says so again, since its alerts lack their events.
  for (const f of unread.slice(0, 10)) out.push(`file ${f.file}: NOT READ by its map run: ${f.error}`);
  if (unread.length > 10) out.push(`… and ${n(unread.length - 10)} more files not read`);
  if (unread.length > 0)
    out.push(
      `${n(unread.length)} input ${unread.length === 1 ? 'file was' : 'files were'} not read: the alerts lack their events`,
    );
  if (detection.dataStart !== null) out.push(`data start (from the files table): ${isoTime(detection.dataStart)}`);
  if (detection.activeFrom !== null) out.push(`baseline active from: ${isoTime(detection.activeFrom)}`);
  const per = VARIATION_IDS.map((v) => `${v} ${detection.alerts.filter((a) => a.variation === v).length}`);
  out.push(`alerts: ${detection.alerts.length} (${per.join(', ')})`);
  const hidden = suppressedLine(detection, suppress);
  if (hidden !== null) out.push(hidden);
  return terminalLines(out);
}
