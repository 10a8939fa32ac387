import type { AlertSummary, EvidenceRow } from '../worker/api';
import { count, utcTime } from './displayFormat';
import { processRecord } from './processText';

/** The formats as the evidence record names them. */
const FORMAT_NAMES: Record<string, string> = {
  'panos-syslog': 'PAN-OS syslog',
  'panos-csv': 'PAN-OS CSV export',
  'zeek-tsv': 'Zeek http.log (TSV)',
  'zeek-json': 'Zeek http.log (JSON)',
  'suricata-eve': 'Suricata eve.json',
  // The endpoint formats of issue 21, for events made from the endpoint alone.
  evtx: 'Windows event log (EVTX)',
  'windows-xml': 'Windows event XML',
  'ecs-json': 'ECS JSON lines (Winlogbeat, Elastic Agent)',
  'defender-csv': 'Defender for Endpoint CSV',
  'defender-json': 'Defender for Endpoint JSON',
};

/** Formats without lines, whose events are found by their record number (an EVTX file's records). */
const NUMBERED_RECORDS: ReadonlySet<string> = new Set(['evtx']);

/** Formats whose logs hold no user at all (an empty user is not an unknown one there). */
const NO_USER_FORMATS = ['zeek-tsv', 'zeek-json', 'suricata-eve'];

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

/** One evidence event's whole normalised record, as label and value, in the order the panel lists them. */
export function evidenceRecord(ev: EvidenceRow, a: AlertSummary): [string, string][] {
  return [
    ['Time (UTC)', utcTime(ev.time)],
    ['Host', ev.host],
    [
      'User',
      ev.user === ''
        ? ev.format !== null && NO_USER_FORMATS.includes(ev.format)
          ? 'none (this source logs no user)'
          : 'unknown'
        : ev.user,
    ],
    ['Client', a.client],
    ...processRecord(ev),
    ['User agent', ev.userAgent === '' ? '(empty)' : ev.userAgent],
    ['URL', ev.url],
    ['Host name', ev.hostname],
    ['Path', ev.path],
    ['Domain key', a.domain],
    ['Method', ev.method || '(none)'],
    ['Content type', ev.contentType || '(none)'],
    ['Bytes sent', ev.bytesOut === null ? 'unknown' : count(ev.bytesOut)],
    ['Bytes received', ev.bytesIn === null ? 'unknown' : count(ev.bytesIn)],
    ['Action', ev.action || '(none logged)'],
    ['Text-share site', yesNo(ev.textShare)],
    ['API host or path', yesNo(ev.api)],
    ['HTML or no content type', yesNo(ev.html)],
    ['Upload', ev.upload ? 'yes' : ev.uploadMethod ? 'no (sent fewer bytes than the smallest upload)' : 'no'],
    ['Variation', ev.variation ?? 'none'],
    [
      'Source',
      `${ev.file}, ${NUMBERED_RECORDS.has(ev.format ?? '') ? 'record' : 'line'} ${ev.line}${ev.format === null ? '' : ` (${FORMAT_NAMES[ev.format] ?? ev.format})`}`,
    ],
  ];
}
