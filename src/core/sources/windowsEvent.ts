import type { Connection, EndpointRecord, NameLookup, ProcessStart } from '../events/endpoint';

/**
 * One Windows event as the EVTX reader and the XML readers give it: the
 * System fields the mapping needs and the EventData's named `Data` values.
 */
export interface WindowsEvent {
  eventId: number;
  /** System/Provider/@Name (`Microsoft-Windows-Sysmon`, `Microsoft-Windows-Security-Auditing`). */
  provider: string;
  /** System/TimeCreated/@SystemTime as UTC epoch ms; NaN when missing. */
  time: number;
  computer: string;
  /** EventData/Data by its Name attribute. */
  data: Readonly<Record<string, string>>;
}

const SYSMON = 'microsoft-windows-sysmon';
const SECURITY = 'microsoft-windows-security-auditing';
/** The Security log's "connection permitted" (Windows Filtering Platform). */
const WFP_CONNECTION = 5156;
const OUTBOUND = '%%14593';
const UTC_TIME = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z?$/;

/** Sysmon's `UtcTime` (`2019-05-02 14:48:51.664`, always UTC) as epoch ms; NaN when unreadable. */
function sysmonUtcTime(text: string): number {
  const m = UTC_TIME.exec(text.trim());
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

function port(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

function pid(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  // The Security log writes process ids in hex (`0x1a2c`).
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  return null;
}

/** `::ffff:1.2.3.4` as `1.2.3.4`: the same address, as firewalls write it. */
export function plainAddress(text: string): string {
  const t = text.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(t) ? t.slice(7) : t;
}

/**
 * The addresses among a Sysmon 22 `QueryResults` value: answers are `;`
 * separated, addresses as `::ffff:151.101.36.133` or plain, other records as
 * `type:  5 github.map.fastly.net` (left out).
 */
function lookupAnswers(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(';')) {
    const t = part.trim();
    if (t === '' || t.startsWith('type:')) continue;
    const a = plainAddress(t);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(a) || /^[0-9a-f:]+$/i.test(a)) out.push(a);
  }
  return out;
}

const PROTOCOLS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp' };

/**
 * The endpoint record a Windows event holds, or null for every other event
 * (counted by the caller). Fields are found by name: Sysmon's field sets
 * differ across its schema versions. `file` and `line` say where it came from.
 */
export function endpointRecord(ev: WindowsEvent, file: string, line: number): EndpointRecord | null {
  const d = ev.data;
  const provider = ev.provider.toLowerCase();
  const base = {
    computer: ev.computer,
    guid: d.ProcessGuid ?? '',
    pid: pid(d.ProcessId),
    image: d.Image ?? '',
    user: d.User ?? '',
    file,
    line,
  };
  const time = d.UtcTime !== undefined && !Number.isNaN(sysmonUtcTime(d.UtcTime)) ? sysmonUtcTime(d.UtcTime) : ev.time;
  if (provider === SYSMON) {
    if (ev.eventId === 1) {
      const rec: ProcessStart = {
        kind: 'process',
        time,
        ...base,
        commandLine: d.CommandLine ?? '',
        parentImage: d.ParentImage ?? '',
      };
      return rec;
    }
    if (ev.eventId === 3) {
      // Initiated=false: the connection came in, and its source is the far end.
      const inbound = (d.Initiated ?? 'true').toLowerCase() === 'false';
      const src = { address: plainAddress(d.SourceIp ?? ''), port: port(d.SourcePort) };
      const dst = { address: plainAddress(d.DestinationIp ?? ''), port: port(d.DestinationPort) };
      const [local, remote] = inbound ? [dst, src] : [src, dst];
      const rec: Connection = {
        kind: 'connection',
        time,
        ...base,
        protocol: (d.Protocol ?? '').toLowerCase(),
        localAddress: local.address,
        localPort: local.port,
        remoteAddress: remote.address,
        remotePort: remote.port,
        remoteUrl: '',
        reverseName: inbound ? (d.SourceHostname ?? '') : (d.DestinationHostname ?? ''),
        commandLine: '',
        parentImage: '',
      };
      return rec;
    }
    if (ev.eventId === 22) {
      const rec: NameLookup = {
        kind: 'lookup',
        time,
        ...base,
        query: d.QueryName ?? '',
        answers: lookupAnswers(d.QueryResults ?? ''),
      };
      return rec;
    }
    return null;
  }
  if (provider === SECURITY && ev.eventId === WFP_CONNECTION) {
    // `%%14593` as the log stores it; `Outbound` where a shipper rendered the message string.
    const direction = (d.Direction ?? '').trim();
    if (direction !== OUTBOUND && direction.toLowerCase() !== 'outbound') return null;
    const rec: Connection = {
      kind: 'connection',
      time: ev.time,
      computer: ev.computer,
      guid: '',
      pid: pid(d.ProcessID ?? d.ProcessId),
      // The Security log names the image by its device path (`\device\harddiskvolume2\windows\...`).
      image: d.Application ?? '',
      user: '',
      file,
      line,
      protocol: PROTOCOLS[d.Protocol ?? ''] ?? '',
      localAddress: plainAddress(d.SourceAddress ?? ''),
      localPort: port(d.SourcePort),
      remoteAddress: plainAddress(d.DestAddress ?? ''),
      remotePort: port(d.DestPort),
      remoteUrl: '',
      reverseName: '',
      commandLine: '',
      parentImage: '',
    };
    return rec;
  }
  return null;
}
