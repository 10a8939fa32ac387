/**
 * The endpoint input of the case folders, read for the runner until the
 * endpoint readers are on this branch: `endpoint*.xml` is Sysmon as
 * `wevtutil qe /f:xml` writes it (Event elements, System + EventData
 * Data Name=...), read by a minimal parse here and mapped by the product's
 * src/core/sources/windowsEvent.ts; `endpoint*.csv` is Defender's
 * DeviceNetworkEvents as advanced hunting exports it, mapped here. Once the
 * readers of issue 21 are merged, these files become `input*` files and this
 * helper goes.
 */
import Papa from 'papaparse';
import { endpointRecord, type WindowsEvent } from '../../src/core/sources/windowsEvent';
import type { Connection, EndpointRecord } from '../../src/core/events/endpoint';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);
}

function attr(text: string, element: string, name: string): string {
  const m = new RegExp(`<${element}\\b[^>]*\\b${name}=['"]([^'"]*)['"]`).exec(text);
  return m === null ? '' : unescapeXml(m[1]);
}

/** The records of a Sysmon XML file; each record's line is the line its `<Event` starts on. */
export function sysmonXmlRecords(text: string, file: string): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  const re = /<Event\b[\s\S]*?<\/Event>/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const ev = m[0];
    const data: Record<string, string> = {};
    for (const d of ev.matchAll(/<Data Name=['"]([^'"]+)['"]\s*(?:\/>|>([\s\S]*?)<\/Data>)/g))
      data[d[1]] = unescapeXml(d[2] ?? '');
    const id = /<EventID\b[^>]*>(\d+)<\/EventID>/.exec(ev);
    const computer = /<Computer>([^<]*)<\/Computer>/.exec(ev);
    const w: WindowsEvent = {
      eventId: id === null ? -1 : Number(id[1]),
      provider: attr(ev, 'Provider', 'Name'),
      time: Date.parse(attr(ev, 'TimeCreated', 'SystemTime')),
      computer: computer === null ? '' : unescapeXml(computer[1]),
      data,
    };
    const line = text.slice(0, m.index).split('\n').length;
    const rec = endpointRecord(w, file, line);
    if (rec !== null) out.push(rec);
  }
  return out;
}

/** The connections of a Defender DeviceNetworkEvents CSV export. */
export function defenderCsvRecords(text: string, file: string): EndpointRecord[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
  return parsed.data.map((r, i): Connection => {
    const num = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));
    const account = [r.InitiatingProcessAccountDomain ?? '', r.InitiatingProcessAccountName ?? ''].filter((s) => s !== '');
    const folder = r.InitiatingProcessFolderPath ?? '';
    return {
      kind: 'connection',
      time: Date.parse(r.Timestamp),
      computer: r.DeviceName,
      guid: '',
      pid: num(r.InitiatingProcessId),
      image: folder !== '' ? folder : (r.InitiatingProcessFileName ?? ''),
      user: account.join('\\'),
      file,
      line: i + 2,
      protocol: (r.Protocol ?? '').toLowerCase(),
      localAddress: r.LocalIP,
      localPort: num(r.LocalPort),
      remoteAddress: r.RemoteIP,
      remotePort: num(r.RemotePort),
      remoteUrl: r.RemoteUrl ?? '',
      reverseName: '',
      commandLine: r.InitiatingProcessCommandLine ?? '',
      parentImage: r.InitiatingProcessParentFileName ?? '',
    };
  });
}
