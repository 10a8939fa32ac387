/**
 * Windows events shipped by Winlogbeat or Elastic Agent, as JSON lines in the
 * Elastic Common Schema: `winlog.event_id`, `winlog.provider_name`,
 * `winlog.computer_name` and `winlog.event_data.*` (Sysmon's fields by name),
 * or, where a module moved event_data into ECS fields, those
 * (`process.executable`, `source.ip`, `dns.question.name`, …). Objects may be
 * nested or flattened (`"winlog.event_id": 3`), and a document may sit in an
 * Elasticsearch hit's `_source`. Each becomes a WindowsEvent, mapped as EVTX
 * and XML events are (windowsEvent.ts `endpointRecord`).
 */
import type { TimeParser } from '../util/time';
import type { LineReader, ReaderContext } from './format';
import { isRecord, parseRecord, type JsonRecord } from './jsonLine';
import type { RowSink } from './rowSink';
import { isoMs } from './sensorTime';
import type { WindowsEvent } from './windowsEvent';
import { takeWindowsEvent } from './windowsXml';

const EXAMPLE_CHARS = 200;
const PLAIN = /^[A-Za-z0-9_.-]{1,60}$/;

/** A field by its dotted ECS name, the objects nested or their keys flattened (or both, at any level). */
function ecsField(r: JsonRecord, path: string): unknown {
  if (path in r) return r[path];
  for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
    const inner = r[path.slice(0, i)];
    if (isRecord(inner)) {
      const v = ecsField(inner, path.slice(i + 1));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** A value as text: strings as they are, numbers and booleans written out, anything else ''. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return '';
}

function document(r: JsonRecord): JsonRecord {
  return isRecord(r._source) ? r._source : r;
}

/** Whether a document is Elastic Defend's (Elastic Agent's endpoint integration): its data stream or module says so. */
function isDefend(d: JsonRecord): boolean {
  return (
    text(ecsField(d, 'data_stream.dataset')).startsWith('endpoint.events.') || text(ecsField(d, 'event.module')) === 'endpoint'
  );
}

/** Whether a JSON record is a Winlogbeat / Elastic Agent Windows event, or an Elastic Defend event. */
export function isEcsRecord(r: JsonRecord): boolean {
  const d = document(r);
  return ecsField(d, 'winlog.event_id') !== undefined || ecsField(d, 'winlog.provider_name') !== undefined || isDefend(d);
}

function hasValue(v: unknown, want: string): boolean {
  return Array.isArray(v) ? v.includes(want) : v === want;
}

/**
 * The Sysmon event an Elastic Defend document is (it has no winlog): a process
 * start (1), an outbound connection (3), a name lookup's answer (22); null for
 * any other (files, registry, inbound connections, ...).
 */
function defendEventId(d: JsonRecord): number | null {
  const category = ecsField(d, 'event.category');
  const type = ecsField(d, 'event.type');
  const action = text(ecsField(d, 'event.action'));
  if (hasValue(category, 'process') && hasValue(type, 'start')) return 1;
  if (action === 'lookup_result' && ecsField(d, 'dns.question.name') !== undefined) return 22;
  if (hasValue(category, 'network') && action === 'connection_attempted') return 3;
  return null;
}

const IANA: Readonly<Record<string, string>> = { tcp: '6', udp: '17' };

/**
 * The Sysmon and Security `Data` names filled from ECS fields, for events whose
 * event_data a module moved out (event_data, where present, wins).
 */
function fromEcs(d: JsonRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (name: string, path: string): void => {
    const v = text(ecsField(d, path));
    if (v !== '') out[name] = v;
  };
  set('Image', 'process.executable');
  set('ProcessId', 'process.pid');
  set('ProcessGuid', 'process.entity_id');
  set('CommandLine', 'process.command_line');
  set('ParentImage', 'process.parent.executable');
  set('SourceIp', 'source.ip');
  set('SourcePort', 'source.port');
  set('DestinationIp', 'destination.ip');
  set('DestinationPort', 'destination.port');
  set('DestinationHostname', 'destination.domain');
  set('Protocol', 'network.transport');
  set('QueryName', 'dns.question.name');
  const name = text(ecsField(d, 'user.name'));
  const domain = text(ecsField(d, 'user.domain'));
  if (name !== '') out.User = domain === '' ? name : `${domain}\\${name}`;
  const resolved = ecsField(d, 'dns.resolved_ip');
  if (Array.isArray(resolved))
    out.QueryResults = resolved
      .map(text)
      .filter((a) => a !== '')
      .join(';');
  const direction = text(ecsField(d, 'network.direction')).toLowerCase();
  const inbound = direction === 'ingress' || direction === 'inbound';
  const outbound = direction === 'egress' || direction === 'outbound';
  if (inbound || outbound) out.Initiated = outbound ? 'true' : 'false';
  // The Security log's 5156 names, for the same values.
  if (out.Image !== undefined) out.Application = out.Image;
  if (out.ProcessId !== undefined) out.ProcessID = out.ProcessId;
  if (out.SourceIp !== undefined) out.SourceAddress = out.SourceIp;
  if (out.DestinationIp !== undefined) out.DestAddress = out.DestinationIp;
  if (out.DestinationPort !== undefined) out.DestPort = out.DestinationPort;
  const iana = text(ecsField(d, 'network.iana_number')) || IANA[(out.Protocol ?? '').toLowerCase()];
  if (iana !== undefined && iana !== '') out.IanaProtocol = iana;
  if (outbound) out.Direction = '%%14593';
  return out;
}

export class EcsJsonReader implements LineReader {
  readonly format = 'ecs-json';

  constructor(private readonly parseTime: TimeParser) {}

  context(): { context: ReaderContext; final: boolean } {
    return { context: { format: 'ecs-json' }, final: true };
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    const r = parseRecord(text, start, end);
    if (r === null) sink.skip('not-json', line, text.slice(start, end));
    else this.record(r, text, start, end, line, sink);
  }

  /** One parsed line (the format sniffer parses the first one). */
  record(r: JsonRecord, line: string, start: number, end: number, at: number, sink: RowSink): void {
    const d = document(r);
    const example = line.slice(start, Math.min(end, start + EXAMPLE_CHARS));
    let id = text(ecsField(d, 'winlog.event_id') ?? ecsField(d, 'event.code')).trim();
    let provider = text(ecsField(d, 'winlog.provider_name')) || text(ecsField(d, 'event.provider'));
    const defend = ecsField(d, 'winlog') === undefined && isDefend(d) ? defendEventId(d) : null;
    if (defend !== null) {
      // Read as the Sysmon event it matches, its fields from ECS (fromEcs).
      id = String(defend);
      provider = 'Microsoft-Windows-Sysmon';
    }
    if (!/^\d{1,10}$/.test(id) || provider === '') {
      // Another Beat's document in the same stream, or an event without an id: counted by its dataset.
      const dataset =
        text(ecsField(d, 'event.dataset')) || text(ecsField(d, 'data_stream.dataset')) || text(ecsField(d, 'event.module'));
      sink.other(`ECS ${PLAIN.test(dataset) ? dataset : '(no event id)'}`);
      return;
    }
    const data = fromEcs(d);
    const eventData = ecsField(d, 'winlog.event_data');
    if (isRecord(eventData)) for (const [k, v] of Object.entries(eventData)) data[k] = text(v);
    // The Security log's Protocol is IANA's number; ECS names it (network.transport).
    if (!isRecord(eventData) || eventData.Protocol === undefined) {
      if (data.IanaProtocol !== undefined && provider.toLowerCase() === 'microsoft-windows-security-auditing')
        data.Protocol = data.IanaProtocol;
    }
    const ev: WindowsEvent = {
      eventId: Number(id),
      provider,
      time: isoMs(text(ecsField(d, '@timestamp')), this.parseTime),
      computer: text(ecsField(d, 'winlog.computer_name')) || text(ecsField(d, 'host.name')),
      data,
    };
    takeWindowsEvent(ev, at, example, sink);
  }
}
