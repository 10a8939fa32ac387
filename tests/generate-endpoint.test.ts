/**
 * The generator's endpoint view: Sysmon events as `wevtutil qe /f:xml` writes
 * them and Defender for Endpoint's advanced-hunting CSV exports, whose
 * connections are the firewall's URL rows. Checked without the product's
 * readers of those formats: the XML by a strict reading of its own
 * (helpers/event-xml.ts) and then through the shared mapping of a Windows
 * event to an endpoint record (src/core/sources/windowsEvent.ts), the CSV by
 * PapaParse, the firewall's rows by their documented column positions.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCommand } from '../src/cli/generate';
import { datasetFiles, DEFAULT_GENERATE, generate, type Dataset, type GenerateOptions } from '../src/core/generate/index';
import type { Connection, EndpointRecord } from '../src/core/events/endpoint';
import { endpointRecord, type WindowsEvent } from '../src/core/sources/windowsEvent';
import { child, parseXmlElements } from './helpers/event-xml';

/** Long enough for the implant (day 25), with enough Windows desktops left over by the scripted scenarios. */
const OPTIONS: Partial<GenerateOptions> = { days: 27, hosts: 120, seed: 4, rate: 4 };
/** Stitching's default window (docs/detection.md, stitchSeconds). */
const WINDOW_MS = 120_000;

const text = (chunks: Iterable<string>): string => [...chunks].join('');

/** Sysmon's fields by event, in the order Sysmon's schema 4.x writes them. */
const SYSMON_FIELDS: Record<number, string[]> = {
  1: [
    'RuleName',
    'UtcTime',
    'ProcessGuid',
    'ProcessId',
    'Image',
    'FileVersion',
    'Description',
    'Product',
    'Company',
    'OriginalFileName',
    'CommandLine',
    'CurrentDirectory',
    'User',
    'LogonGuid',
    'LogonId',
    'TerminalSessionId',
    'IntegrityLevel',
    'Hashes',
    'ParentProcessGuid',
    'ParentProcessId',
    'ParentImage',
    'ParentCommandLine',
    'ParentUser',
  ],
  3: [
    'RuleName',
    'UtcTime',
    'ProcessGuid',
    'ProcessId',
    'Image',
    'User',
    'Protocol',
    'Initiated',
    'SourceIsIpv6',
    'SourceIp',
    'SourceHostname',
    'SourcePort',
    'SourcePortName',
    'DestinationIsIpv6',
    'DestinationIp',
    'DestinationHostname',
    'DestinationPort',
    'DestinationPortName',
  ],
  22: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'QueryName', 'QueryStatus', 'QueryResults', 'Image', 'User'],
};

/** The columns of the two tables, as Microsoft's advanced hunting schema reference lists them. */
const NETWORK_SCHEMA =
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,Protocol,LocalIPType,RemoteIPType,InitiatingProcessSHA1,InitiatingProcessSHA256,InitiatingProcessMD5,InitiatingProcessFileName,InitiatingProcessFileSize,InitiatingProcessVersionInfoCompanyName,InitiatingProcessVersionInfoProductName,InitiatingProcessVersionInfoProductVersion,InitiatingProcessVersionInfoInternalFileName,InitiatingProcessVersionInfoOriginalFileName,InitiatingProcessVersionInfoFileDescription,InitiatingProcessId,InitiatingProcessCommandLine,InitiatingProcessCreationTime,InitiatingProcessFolderPath,InitiatingProcessParentFileName,InitiatingProcessParentId,InitiatingProcessParentCreationTime,InitiatingProcessAccountDomain,InitiatingProcessAccountName,InitiatingProcessAccountSid,InitiatingProcessAccountUpn,InitiatingProcessAccountObjectId,InitiatingProcessIntegrityLevel,InitiatingProcessTokenElevation,ReportId,AppGuardContainerId,AdditionalFields,InitiatingProcessSessionId,IsInitiatingProcessRemoteSession,InitiatingProcessRemoteSessionDeviceName,InitiatingProcessRemoteSessionIP';
const PROCESS_SCHEMA =
  'Timestamp,DeviceId,DeviceName,ActionType,FileName,FolderPath,SHA1,SHA256,MD5,FileSize,ProcessVersionInfoCompanyName,ProcessVersionInfoProductName,ProcessVersionInfoProductVersion,ProcessVersionInfoInternalFileName,ProcessVersionInfoOriginalFileName,ProcessVersionInfoFileDescription,ProcessId,ProcessCommandLine,ProcessIntegrityLevel,ProcessTokenElevation,ProcessCreationTime,AccountDomain,AccountName,AccountSid,AccountUpn,AccountObjectId,LogonId,InitiatingProcessAccountDomain,InitiatingProcessAccountName,InitiatingProcessAccountSid,InitiatingProcessAccountUpn,InitiatingProcessAccountObjectId,InitiatingProcessLogonId,InitiatingProcessIntegrityLevel,InitiatingProcessTokenElevation,InitiatingProcessSHA1,InitiatingProcessSHA256,InitiatingProcessMD5,InitiatingProcessFileName,InitiatingProcessFileSize,InitiatingProcessVersionInfoCompanyName,InitiatingProcessVersionInfoProductName,InitiatingProcessVersionInfoProductVersion,InitiatingProcessVersionInfoInternalFileName,InitiatingProcessVersionInfoOriginalFileName,InitiatingProcessVersionInfoFileDescription,InitiatingProcessId,InitiatingProcessCommandLine,InitiatingProcessCreationTime,InitiatingProcessFolderPath,InitiatingProcessParentId,InitiatingProcessParentFileName,InitiatingProcessParentCreationTime,InitiatingProcessSignerType,InitiatingProcessSignatureStatus,ReportId,AppGuardContainerId,AdditionalFields';

interface XmlEvent {
  ev: WindowsEvent;
  names: string[];
  rec: EndpointRecord | null;
  line: string;
}

/**
 * One `wevtutil` line: exactly one Event element, read strictly, then mapped
 * as the product maps a Windows event. Throws on what is wrong (a check per
 * line through expect would take most of the test's time).
 */
function readEventLine(line: string, file: string, n: number): XmlEvent {
  const roots = parseXmlElements(line);
  const [root] = roots;
  if (roots.length !== 1 || root.name !== 'Event') throw new Error(`${file}:${n}: not one Event element`);
  if (root.attributes.xmlns !== 'http://schemas.microsoft.com/win/2004/08/events/event')
    throw new Error(`${file}:${n}: no event namespace`);
  const system = child(root, 'System');
  const provider = child(system, 'Provider').attributes.Name;
  const systemTime = child(system, 'TimeCreated').attributes.SystemTime;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/.test(systemTime)) throw new Error(`${file}:${n}: SystemTime ${systemTime}`);
  const data = child(root, 'EventData').children;
  if (!data.every((d) => d.name === 'Data' && d.children.length === 0))
    throw new Error(`${file}:${n}: EventData holds more than Data`);
  const fields: Record<string, string> = {};
  for (const d of data) fields[d.attributes.Name] = d.text;
  const ev: WindowsEvent = {
    eventId: Number(child(system, 'EventID').text),
    provider,
    time: Date.parse(systemTime.slice(0, 23) + 'Z'),
    computer: child(system, 'Computer').text,
    data: fields,
  };
  return { ev, names: data.map((d) => d.attributes.Name), rec: endpointRecord(ev, file, n), line };
}

interface UrlRow {
  time: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  userAgent: string;
}

const tuple = (src: string, sport: number | null, dst: string, dport: number | null): string => `${src}:${sport} ${dst}:${dport}`;

/** PAN-OS syslog THREAT/url rows by their documented positions: 6 Generated Time, 7/8 addresses, 24/25 ports, 46 User-Agent. */
function urlRows(log: string): UrlRow[] {
  const out: UrlRow[] = [];
  for (const line of log.split('\n')) {
    if (line === '') continue;
    const cells = Papa.parse<string[]>(line.slice(line.indexOf(' PA-3220 ') + 9)).data[0];
    if (cells[3] !== 'THREAT' || cells[4] !== 'url') continue;
    out.push({
      time: Date.parse(cells[6].replace(/\//g, '-').replace(' ', 'T') + 'Z'),
      src: cells[7],
      dst: cells[8],
      sport: Number(cells[24]),
      dport: Number(cells[25]),
      userAgent: cells[46],
    });
  }
  return out;
}

interface Views {
  dataset: Dataset;
  rows: UrlRow[];
  sysmon: XmlEvent[];
  network: Record<string, string>[];
  processes: Record<string, string>[];
}

let views: Views | undefined;
function read(): Views {
  if (views === undefined) throw new Error('the views are read before the tests');
  return views;
}

/** The dataset's files read as above; `days` (0-based) picks some days only, of a big dataset. */
function readViews(dataset: Dataset, days?: readonly number[]): Views {
  const pick = <T>(files: T[], perDay: number): T[] =>
    days === undefined ? files : days.flatMap((d) => files.slice(d * perDay, (d + 1) * perDay));
  const rows = pick(dataset.files, 1).flatMap((f) => urlRows(text(f.chunks())));
  const sysmon: XmlEvent[] = [];
  const network: Record<string, string>[] = [];
  const processes: Record<string, string>[] = [];
  for (const f of pick(dataset.endpoint, 3)) {
    const body = text(f.chunks());
    if (f.name.startsWith('sysmon-')) {
      body
        .split('\n')
        .slice(0, -1)
        .forEach((line, i) => sysmon.push(readEventLine(line, f.name, i + 1)));
      continue;
    }
    const parsed = Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: true });
    expect(parsed.errors, f.name).toEqual([]);
    expect(parsed.meta.fields?.join(','), f.name).toBe(f.name.startsWith('defender-network-') ? NETWORK_SCHEMA : PROCESS_SCHEMA);
    (f.name.startsWith('defender-network-') ? network : processes).push(...parsed.data);
  }
  return { dataset, rows, sysmon, network, processes };
}

/** What breaks a rule, as `what` says it; [] when nothing does. */
function failing<T>(items: readonly T[], ok: (x: T) => boolean, what: (x: T) => string): string[] {
  return items
    .filter((x) => !ok(x))
    .slice(0, 5)
    .map(what);
}

/** Each Sysmon 3 and Defender connection has a URL row with its four values within the window, in fact seconds apart; returns them. */
function expectStitchable({ sysmon, network, rows }: Views): { time: number; key: string; image: string }[] {
  const byTuple = new Map<string, UrlRow[]>();
  for (const r of rows) {
    const k = tuple(r.src, r.sport, r.dst, r.dport);
    byTuple.set(k, [...(byTuple.get(k) ?? []), r]);
  }
  const connections: { time: number; key: string; image: string }[] = [
    ...sysmon
      .map((x) => x.rec)
      .filter((r): r is Connection => r?.kind === 'connection')
      .map((c) => ({
        time: c.time,
        key: tuple(c.localAddress, c.localPort, c.remoteAddress, c.remotePort),
        image: c.image,
      })),
    ...network.map((r) => ({
      time: Date.parse(r.Timestamp.slice(0, 23) + 'Z'),
      key: tuple(r.LocalIP, Number(r.LocalPort), r.RemoteIP, Number(r.RemotePort)),
      image: r.InitiatingProcessFolderPath,
    })),
  ];
  // Within the window, and in fact seconds apart: clock skew and the time between connecting and the request.
  const gap = (c: { time: number; key: string }): number =>
    Math.min(
      ...(byTuple.get(c.key) ?? []).filter((r) => Math.abs(r.time - c.time) <= WINDOW_MS).map((r) => Math.abs(r.time - c.time)),
    );
  expect(
    failing(
      connections,
      (c) => gap(c) < 5_000,
      (c) => `${c.key} at ${new Date(c.time).toISOString()}`,
    ),
  ).toEqual([]);
  return connections;
}

/** The implant: Chrome's User-Agent on the firewall, updater.exe from an encoded PowerShell on the endpoint, one URL row. */
function expectImplant({ sysmon, rows, dataset }: Views): void {
  expect(dataset.truth.endpointAlerts).toHaveLength(1);
  const [alert] = dataset.truth.endpointAlerts;
  expect([alert.variation, alert.client, alert.domain, alert.count]).toEqual([
    'text_share_upload',
    'updater.exe',
    'hastebin.com',
    1,
  ]);
  expect(alert.process.image).toMatch(/^C:\\Users\\[a-z.0-9]+\\AppData\\Roaming\\.*\\updater\.exe$/);
  const start = sysmon.find((x) => x.ev.eventId === 1 && x.ev.data.Image === alert.process.image);
  expect(start?.ev.data.CommandLine).toBe(alert.process.command_line);
  expect(start?.ev.data.ParentImage).toBe(alert.process.parent_image);
  expect(start?.ev.data.ParentCommandLine).toMatch(/powershell\.exe" -nop -w hidden -enc [A-Za-z0-9+/=]+$/);
  const conns = sysmon.filter((x) => x.ev.eventId === 3 && x.ev.data.Image === alert.process.image);
  expect(conns).toHaveLength(1);
  const c = conns[0].rec as Connection;
  const matching = rows.filter(
    (r) =>
      tuple(r.src, r.sport, r.dst, r.dport) === tuple(c.localAddress, c.localPort, c.remoteAddress, c.remotePort) &&
      Math.abs(r.time - c.time) <= WINDOW_MS,
  );
  expect(matching).toHaveLength(1);
  expect([matching[0].src, new Date(matching[0].time).toISOString()]).toEqual([alert.host, alert.first_seen]);
  expect(matching[0].userAgent).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\) .* Chrome\/[\d.]+ Safari\/537\.36$/);
  // From the firewall's view alone it is a browser: a near miss, not an alert.
  expect(dataset.truth.alerts.some((a) => a.host === alert.host)).toBe(false);
  expect(dataset.truth.nearMisses.some((m) => m.host === alert.host && m.client === '' && m.domain === 'hastebin.com')).toBe(
    true,
  );
}

describe('generate: the endpoint view', () => {
  beforeAll(() => {
    views = readViews(generate(OPTIONS));
  }, 120_000);

  it('is written day by day beside the firewall logs, and left out when asked', async () => {
    const d = generate({ ...OPTIONS, days: 2 });
    expect(d.endpoint.map((f) => f.name)).toEqual([
      'sysmon-2026-09-01.xml',
      'defender-network-2026-09-01.csv',
      'defender-process-2026-09-01.csv',
      'sysmon-2026-09-02.xml',
      'defender-network-2026-09-02.csv',
      'defender-process-2026-09-02.csv',
    ]);
    expect(datasetFiles(d).map((f) => f.name.slice(0, f.name.indexOf('-2026')))).toEqual(
      Array.from({ length: 2 }, () => ['url', 'sysmon', 'defender-network', 'defender-process']).flat(),
    );
    // The endpoint view is the same whatever form the firewall's side takes.
    const zeek = generate({ ...OPTIONS, days: 2, format: 'zeek' });
    expect(zeek.endpoint.map((f) => text(f.chunks()))).toEqual(d.endpoint.map((f) => text(f.chunks())));
    const without = generate({ ...OPTIONS, days: 2, endpoint: false });
    expect(without.endpoint).toEqual([]);
    expect(without.files.map((f) => text(f.chunks()))).toEqual(d.files.map((f) => text(f.chunks())));

    const dir = await mkdtemp(join(tmpdir(), 'offbrowse-gen-endpoint-'));
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await generateCommand(['--out', join(dir, 'a'), '--days', '1', '--hosts', '40'])).toBe(0);
      expect(await generateCommand(['--out', join(dir, 'b'), '--days', '1', '--hosts', '40', '--no-endpoint'])).toBe(0);
    } finally {
      process.stderr.write = stderr;
    }
    expect((await readdir(join(dir, 'a'))).sort()).toEqual([
      'defender-network-2026-09-01.csv',
      'defender-process-2026-09-01.csv',
      'sysmon-2026-09-01.xml',
      'truth.json',
      'url-2026-09-01.log',
    ]);
    expect((await readdir(join(dir, 'b'))).sort()).toEqual(['truth.json', 'url-2026-09-01.log']);
    await rm(dir, { recursive: true });
  });

  it('writes Sysmon 1, 3 and 22 as well-formed wevtutil XML with Sysmon’s fields, each mapped to its endpoint record', () => {
    const { sysmon } = read();
    expect(sysmon.length).toBeGreaterThan(1000);
    expect([...new Set(sysmon.map((x) => x.ev.eventId))].sort((a, b) => a - b)).toEqual([1, 3, 22]);
    const kinds: Record<number, string> = { 1: 'process', 3: 'connection', 22: 'lookup' };
    const results = /^(type: {2}5 [a-z0-9.-]+;)?(::ffff:\d+\.\d+\.\d+\.\d+;)+$/;
    expect(
      failing(
        sysmon,
        ({ ev, names, rec }) =>
          ev.provider === 'Microsoft-Windows-Sysmon' &&
          names.join() === SYSMON_FIELDS[ev.eventId].join() &&
          /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(ev.data.UtcTime) &&
          /^WKS-\d{5}\.corp\.example\.com$/.test(ev.computer) &&
          rec?.kind === kinds[ev.eventId] &&
          (rec.kind !== 'lookup' || (results.test(ev.data.QueryResults) && rec.answers.length > 0)),
        (x) => x.line,
      ),
    ).toEqual([]);
    // Some values need escaping in XML; the strict reading above gave them back whole.
    expect(sysmon.some((x) => x.line.includes('&amp;'))).toBe(true);
  });

  it('names the far end of a connection by a reverse lookup at most, never by the site', () => {
    const { sysmon } = read();
    const sites = new Set(sysmon.filter((x) => x.ev.eventId === 22).map((x) => x.ev.data.QueryName));
    const names = sysmon.filter((x) => x.ev.eventId === 3).map((x) => x.ev.data.DestinationHostname);
    expect(sites.size).toBeGreaterThan(0);
    expect(names.filter((n) => n !== '-').length).toBeGreaterThan(0);
    expect(names.filter((n) => n === '-').length).toBeGreaterThan(0);
    expect(names.filter((n) => sites.has(n))).toEqual([]);
  });

  it('exports Defender rows that PapaParse reads under the documented header, one width throughout', () => {
    const { network, processes } = read();
    expect(network.length).toBeGreaterThan(200);
    expect(processes.length).toBeGreaterThan(20);
    const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
    expect(
      failing(
        [...network, ...processes],
        (r) => stamp.test(r.Timestamp),
        (r) => r.Timestamp,
      ),
    ).toEqual([]);
    expect(
      failing(
        network,
        (r) =>
          [r.ActionType, r.Protocol, r.LocalIPType, r.RemoteIPType].join() === 'ConnectionSuccess,Tcp,Private,Public' &&
          r.InitiatingProcessFolderPath.endsWith(r.InitiatingProcessFileName.toLowerCase()) &&
          r.InitiatingProcessCommandLine !== '' &&
          /\.exe$/.test(r.InitiatingProcessParentFileName),
        (r) => JSON.stringify(r),
      ),
    ).toEqual([]);
    expect(
      failing(
        processes,
        (r) => r.ActionType === 'ProcessCreated' && r.FolderPath.endsWith(`\\${r.FileName}`) && r.ProcessCommandLine !== '',
        (r) => JSON.stringify(r),
      ),
    ).toEqual([]);
  });

  it('gives every connection of a covered host the URL row with its four values, seconds apart', () => {
    const { rows } = read();
    const connections = expectStitchable(read());
    // Browsers do ordinary work for stitching, beside tools and apps.
    const images = new Set(connections.map((c) => c.image.slice(c.image.lastIndexOf('\\') + 1).toLowerCase()));
    for (const b of ['chrome.exe', 'msedge.exe', 'firefox.exe']) expect(images.has(b), b).toBe(true);
    expect(images.size).toBeGreaterThan(8);
    // Each URL row has its own connection: a source port is not reused on a host within a day.
    const perDay = new Set(rows.map((r) => `${Math.floor(r.time / 86_400_000)} ${r.src}:${r.sport}`));
    expect(perDay.size).toBe(rows.length);
  });

  it('logs a process start before its connections, and a name lookup naming the address before each first connection', () => {
    const { sysmon } = read();
    const starts = new Map<string, number>();
    const lookups: { guid: string; time: number; answers: string[] }[] = [];
    for (const { rec } of sysmon) {
      if (rec?.kind === 'process') starts.set(rec.guid, rec.time);
      if (rec?.kind === 'lookup') lookups.push({ guid: rec.guid, time: rec.time, answers: rec.answers });
    }
    const connections = sysmon.map((x) => x.rec).filter((r): r is Connection => r?.kind === 'connection');
    expect(connections.length).toBeGreaterThan(500);
    expect(
      failing(
        connections,
        (c) => (starts.get(c.guid) ?? Infinity) < c.time,
        (c) => `${c.guid} ${c.image}`,
      ),
    ).toEqual([]);
    const byGuid = new Map<string, typeof lookups>();
    for (const l of lookups) byGuid.set(l.guid, [...(byGuid.get(l.guid) ?? []), l]);
    expect(
      failing(
        connections,
        (c) =>
          (byGuid.get(c.guid) ?? []).some(
            (l) => l.time <= c.time && c.time - l.time <= 600_000 && l.answers.includes(c.remoteAddress),
          ),
        (c) => `${c.image} → ${c.remoteAddress}`,
      ),
    ).toEqual([]);
    // Parents as a Windows desktop has them.
    const parents = new Set(sysmon.filter((x) => x.ev.eventId === 1).map((x) => x.ev.data.ParentImage.toLowerCase()));
    for (const p of ['c:\\windows\\explorer.exe', 'c:\\windows\\system32\\cmd.exe', 'c:\\windows\\system32\\services.exe'])
      expect(parents.has(p), p).toBe(true);
  });

  it('leaves some Windows desktops, and the scripted scenarios but the implant, without endpoint logs', () => {
    const { sysmon, network, dataset, rows } = read();
    const covered = new Set([
      ...sysmon.filter((x) => x.ev.eventId === 3).map((x) => x.ev.data.SourceIp),
      ...network.map((r) => r.LocalIP),
    ]);
    const desktops = new Set(rows.filter((r) => r.src.startsWith('10.20.')).map((r) => r.src));
    expect(covered.size).toBeGreaterThan(5);
    expect(desktops.size - covered.size).toBeGreaterThan(5);
    const [implant] = dataset.truth.endpointAlerts;
    for (const a of dataset.truth.alerts) expect(covered.has(a.host), `${a.client} on ${a.host}`).toBe(false);
    for (const m of dataset.truth.nearMisses) expect(covered.has(m.host) && m.host !== implant.host, m.why).toBe(false);
  });

  it('has the implant: Chrome’s User-Agent on the firewall, updater.exe from an encoded PowerShell on the endpoint, one URL row', () => {
    expectImplant(read());
  });

  it('gives the sensors the firewall’s four values for each request', () => {
    const opts = { ...OPTIONS, days: 3 };
    const panos = generate(opts).files.flatMap((f) => urlRows(text(f.chunks())));
    const zeek = generate({ ...opts, format: 'zeek-json' }).files.flatMap((f) =>
      text(f.chunks())
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, string | number>),
    );
    const eve = generate({ ...opts, format: 'suricata' }).files.flatMap((f) =>
      text(f.chunks())
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, string | number>)
        .filter((r) => r.event_type === 'http'),
    );
    const want = panos.map((r) => tuple(r.src, r.sport, r.dst, r.dport));
    expect(
      zeek.map((r) => tuple(String(r['id.orig_h']), Number(r['id.orig_p']), String(r['id.resp_h']), Number(r['id.resp_p']))),
    ).toEqual(want);
    expect(eve.map((r) => tuple(String(r.src_ip), Number(r.src_port), String(r.dest_ip), Number(r.dest_port)))).toEqual(want);
  });
});

describe('the demo dataset', () => {
  it('holds each day’s firewall log and its endpoint view, which reads well-formed and stitches, the implant once', () => {
    const dataset = generate({ ...DEFAULT_GENERATE });
    const names = datasetFiles(dataset).map((f) => f.name);
    expect(names).toHaveLength(DEFAULT_GENERATE.days * 4);
    expect(names.slice(0, 4)).toEqual([
      'url-2026-09-01.log',
      'sysmon-2026-09-01.xml',
      'defender-network-2026-09-01.csv',
      'defender-process-2026-09-01.csv',
    ]);
    expect(dataset.truth.endpointAlerts.map((a) => [a.variation, a.client, a.first_seen])).toEqual([
      ['text_share_upload', 'updater.exe', '2026-09-26T10:41:17.000Z'],
    ]);
    // The implant's day and the days around it (the whole demo is some 130 MB of text).
    const demo = readViews(dataset, [24, 25, 26]);
    expect(demo.sysmon.length).toBeGreaterThan(1000);
    expect(demo.network.length).toBeGreaterThan(300);
    expect(expectStitchable(demo).length).toBe(demo.network.length + demo.sysmon.filter((x) => x.ev.eventId === 3).length);
    expectImplant(demo);
  }, 120_000);
});
