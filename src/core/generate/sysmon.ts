import type { WindowsEventToWrite as EvtxEventToWrite } from '../evtx/write';
import type { EndpointEvent, Proc } from './endpoint';
import { hexOf, mix, Random } from './random';

/**
 * The Sysmon hosts' endpoint events as Windows events (Sysmon 1, 3 and 22,
 * fields by the names of Sysmon's schema 4.x), and those events written as
 * `wevtutil qe … /f:xml` writes them: one `Event` element a line, attributes
 * in single quotes, no root element. The events are built in the shape the
 * EVTX writer takes (src/core/evtx/write.ts `writeEvtx`), so the same day can
 * be written as an .evtx file by handing `sysmonEvents(...)` to it instead of
 * `eventXmlLines`.
 */

/** The EVTX writer's input, with every value a string as the XML form writes it. */
export type WindowsEventToWrite = EvtxEventToWrite & { data: [name: string, value: string][] };

const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SYSMON_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';
const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

const p2 = (n: number): string => String(n).padStart(2, '0');

/** Sysmon's `UtcTime`: `2026-09-01 08:12:03.512`. */
function utcTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

function accountName(proc: Proc, domainUser: string): string {
  if (proc.account === 'system') return 'NT AUTHORITY\\SYSTEM';
  if (proc.account === 'network') return 'NT AUTHORITY\\NETWORK SERVICE';
  return domainUser;
}

/** `corp\alice.b` as Windows writes an account: the NetBIOS domain in capitals. */
function domainUser(user: string): string {
  const slash = user.indexOf('\\');
  return slash === -1 ? user : `${user.slice(0, slash).toUpperCase()}${user.slice(slash)}`;
}

function hashes(image: string): string {
  return `SHA256=${hexOf(`sha256:${image.toLowerCase()}`, 64).toUpperCase()}`;
}

/** Sysmon logs a connection once it is noticed, a little after it was made; a start and a lookup at once. */
const LOG_DELAY_MS = { start: [1, 30], lookup: [1, 40], connection: [200, 2_500] } as const;

/**
 * The day's events of the Sysmon hosts as Windows events, in the order the
 * collector received them. `seed` and `day` fix the event record numbers and
 * the logging delays.
 */
export function sysmonEvents(events: readonly EndpointEvent[], seed: number, day: number): WindowsEventToWrite[] {
  const rng = new Random(mix(seed, 0x5e5, day));
  const records = new Map<string, number>();
  const out: WindowsEventToWrite[] = [];
  for (const ev of events) {
    const { ep, proc } = ev;
    const user = domainUser(ep.host.user);
    const [lo, hi] = LOG_DELAY_MS[ev.kind];
    const head: [string, string][] = [
      ['RuleName', '-'],
      ['UtcTime', utcTime(ev.time)],
      ['ProcessGuid', proc.guid],
      ['ProcessId', String(proc.pid)],
    ];
    let eventId: number;
    let data: [string, string][];
    if (ev.kind === 'start') {
      const info = proc.program?.info;
      const parent = proc.parent;
      eventId = 1;
      data = [
        ...head,
        ['Image', proc.image],
        ['FileVersion', info?.version || '-'],
        ['Description', info?.description || '-'],
        ['Product', info?.product || '-'],
        ['Company', info?.company || '-'],
        ['OriginalFileName', info?.original || '-'],
        ['CommandLine', proc.commandLine],
        ['CurrentDirectory', proc.account === 'user' ? `C:\\Users\\${ep.userName}\\` : 'C:\\Windows\\system32\\'],
        ['User', accountName(proc, user)],
        ['LogonGuid', `{${ep.machine}-0000-0000-0000-000000000000}`],
        ['LogonId', proc.account === 'user' ? '0x2d4e1' : proc.account === 'system' ? '0x3e7' : '0x3e4'],
        ['TerminalSessionId', proc.account === 'user' ? '1' : '0'],
        ['IntegrityLevel', proc.account === 'user' ? 'Medium' : 'System'],
        ['Hashes', hashes(proc.image)],
        ['ParentProcessGuid', parent?.guid ?? '-'],
        ['ParentProcessId', parent === null ? '-' : String(parent.pid)],
        ['ParentImage', parent?.image ?? '-'],
        ['ParentCommandLine', parent?.commandLine ?? '-'],
        ['ParentUser', parent === null ? '-' : accountName(parent, user)],
      ];
    } else if (ev.kind === 'lookup') {
      eventId = 22;
      data = [
        ...head,
        ['QueryName', ev.query],
        ['QueryStatus', '0'],
        ['QueryResults', ev.results],
        ['Image', proc.image],
        ['User', accountName(proc, user)],
      ];
    } else {
      const port = ev.entry.port ?? 443;
      eventId = 3;
      data = [
        ...head,
        ['Image', proc.image],
        ['User', accountName(proc, user)],
        ['Protocol', 'tcp'],
        ['Initiated', 'true'],
        ['SourceIsIpv6', 'false'],
        ['SourceIp', ep.host.ip],
        ['SourceHostname', ep.computer],
        ['SourcePort', String(ev.entry.sourcePort)],
        ['SourcePortName', '-'],
        ['DestinationIsIpv6', 'false'],
        ['DestinationIp', ev.remote],
        ['DestinationHostname', ev.reverse === '' ? '-' : ev.reverse],
        ['DestinationPort', String(port)],
        ['DestinationPortName', port === 443 ? 'https' : port === 80 ? 'http' : '-'],
      ];
    }
    out.push({
      eventId,
      provider: SYSMON_PROVIDER,
      channel: SYSMON_CHANNEL,
      computer: ep.computer,
      time: ev.time + rng.range(lo, hi),
      data,
    });
  }
  // The collector receives them as they are logged; each computer numbers its own log in that order.
  out.sort((a, b) => a.time - b.time);
  for (const ev of out) {
    ev.recordId = (records.get(ev.computer) ?? 10_000 * (day + 1) + rng.int(5_000)) + 1;
    records.set(ev.computer, ev.recordId);
  }
  return out;
}

/** Text as Windows' event rendering escapes it; in attributes (single-quoted) `'` too. */
function escapeXml(s: string, attribute = false): string {
  if (!/[&<>']/.test(s)) return s;
  let out = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attribute) out = out.replace(/'/g, '&apos;');
  return out;
}

/** `2026-09-01T08:12:03.5120000Z`: TimeCreated's seven decimals (the event's ms, then digits of its own). */
function systemTime(ms: number, sub: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(sub).padStart(4, '0')}Z`;
}

/** Sysmon writes its events from its own process (one per computer) and a few threads. */
function execution(computer: string): { pid: number; threads: readonly number[] } {
  const h = parseInt(hexOf(computer, 6), 16);
  const pid = 4 * (500 + (h % 1500));
  return { pid, threads: [pid + 4 * ((h >>> 3) % 50) + 8, pid + 4 * ((h >>> 9) % 50) + 220, pid + 1_104] };
}

/**
 * Windows events as `wevtutil qe CHANNEL /f:xml` prints them, one line each
 * (each ending in `\n`). `seed` and `day` fix the sub-millisecond digits.
 */
export function* eventXmlLines(events: readonly WindowsEventToWrite[], seed: number, day: number): Iterable<string> {
  const rng = new Random(mix(seed, 0x3c1, day));
  const executions = new Map<string, { pid: number; threads: readonly number[] }>();
  for (const ev of events) {
    let exec = executions.get(ev.computer);
    if (exec === undefined) {
      exec = execution(ev.computer);
      executions.set(ev.computer, exec);
    }
    // Sysmon logs connections from a thread of their own.
    const thread = exec.threads[ev.eventId === 3 ? 1 : ev.eventId === 22 ? 2 : 0];
    const version = ev.eventId === 1 || ev.eventId === 3 || ev.eventId === 22 ? 5 : 0;
    let data = '';
    for (const [name, value] of ev.data) data += `<Data Name='${escapeXml(name, true)}'>${escapeXml(value)}</Data>`;
    yield `<Event xmlns='${EVENT_NS}'><System><Provider Name='${escapeXml(ev.provider, true)}' Guid='${SYSMON_GUID}'/><EventID>${ev.eventId}</EventID><Version>${version}</Version><Level>4</Level><Task>${ev.eventId}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${systemTime(ev.time, rng.int(10_000))}'/><EventRecordID>${ev.recordId ?? 0}</EventRecordID><Correlation/><Execution ProcessID='${exec.pid}' ThreadID='${thread}'/><Channel>${escapeXml(ev.channel)}</Channel><Computer>${escapeXml(ev.computer)}</Computer><Security UserID='S-1-5-18'/></System><EventData>${data}</EventData></Event>\n`;
  }
}
