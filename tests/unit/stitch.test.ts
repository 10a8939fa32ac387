/**
 * Stitching's parts beside the case folders (tests/cases/stitch-*,
 * endpoint-*): the endpoint records kept across drops as the tab keeps them,
 * the process carried by the state file, the alert CSV and alert import, the
 * endpoint counts of a saved history, and the stitchSeconds setting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { alertCsvRow, ALERT_CSV_HEADER } from '../../src/core/alerts/alertCsv';
import { parseAlertLines } from '../../src/core/alerts/import';
import { toRecord } from '../../src/core/alerts/record';
import { eventAt, type CompactEvent } from '../../src/core/events/columns';
import type { Connection, ProcessInfo } from '../../src/core/events/endpoint';
import { EventSink } from '../../src/core/ingest/eventSink';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { detectRuns, joinTrafficRuns, mapInputs } from '../../src/core/pipeline/pipeline';
import { runSource } from '../../src/core/runs/merge';
import { MemoryRunStore, writeEndpointRun, type RunRef } from '../../src/core/runs/runStore';
import { defaultSettings, resolveSettings } from '../../src/core/settings/settings';
import { addCounts, emptyCounts, removeCounts } from '../../src/core/sources/counts';
import { checkCounts, STATE_FORMAT } from '../../src/core/state/state';
import { endLine, eventLine, headerLine, StateReader } from '../../src/core/state/stateLines';
import { csvRow } from '../../src/core/util/csv';
import { fflateInflate } from '../../src/core/util/gzip';
import { urlLine } from '../helpers/panos-lines';
import { UNSTITCHED } from '../helpers/unstitched';
import { inputs, loadCase } from '../helpers/cases';
import { runCore } from '../helpers/run-core';
import { summaryText } from '../../src/cli/summary';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const T = (s: string): number => Date.parse(s);

function connection(time: string, src: string, sport: number, dst: string, image: string): Connection & { source: string } {
  return {
    kind: 'connection',
    time: T(time),
    computer: 'WS-1',
    guid: '{g}',
    pid: 42,
    image,
    user: 'CORP\\ann',
    file: 'sysmon.xml',
    line: 3,
    protocol: 'tcp',
    localAddress: src,
    localPort: sport,
    remoteAddress: dst,
    remotePort: 443,
    remoteUrl: '',
    reverseName: '',
    commandLine: '',
    parentImage: '',
    source: 'ep',
  };
}

/** URL lines mapped as the tab maps a drop; browser rows are read for stitching when the history holds endpoint records. */
function mapLines(store: MemoryRunStore, lines: string[], historyHasEndpoints: boolean) {
  const text = new TextEncoder().encode(lines.join('\n') + '\n');
  return mapInputs({
    inputs: [
      {
        name: 'url.log',
        source: `u${Math.random()}`,
        size: text.length,
        chunks: async function* () {
          yield text;
        },
      },
    ],
    pool: new LocalPool(defaultSettings()),
    store,
    options: { inflate: fflateInflate, fingerprint: false },
    historyHasEndpoints,
  });
}

/** One drop of URL lines as the tab reads it (map, then the TRAFFIC join step, which keeps or drops pending events). */
async function urlDrop(store: MemoryRunStore, lines: string[], keepPending: boolean): Promise<RunRef[]> {
  const mapped = await mapLines(store, lines, keepPending);
  return (await joinTrafficRuns(store, mapped, defaultSettings(), { keepPending })).runs;
}

const LINES = [
  urlLine({ time: '2026/03/01 00:00:00', src: '10.9.9.9', url: 'www.example.org/', userAgent: 'curl/8.4.0' }),
  urlLine({
    time: '2026/03/16 10:00:00',
    src: '10.1.0.1',
    srcPort: 50001,
    dst: '203.0.113.1',
    url: 'www.a-site.com/',
    userAgent: 'curl/8.4.0',
  }),
  urlLine({
    time: '2026/03/16 10:00:00',
    src: '10.1.0.2',
    srcPort: 50002,
    dst: '203.0.113.2',
    url: 'www.b-site.com/',
    userAgent: CHROME,
  }),
];
const IMPLANT = 'C:\\Users\\ann\\implant.exe';
const RECORDS = [
  connection('2026-03-16T10:00:01Z', '10.1.0.1', 50001, '203.0.113.1', IMPLANT),
  connection('2026-03-16T10:00:01Z', '10.1.0.2', 50002, '203.0.113.2', IMPLANT),
];

async function alertsOver(store: MemoryRunStore, runs: RunRef[]): Promise<{ client: string; domain: string; claims: boolean }[]> {
  const settings = defaultSettings();
  const got = await detectRuns(
    runs.map((r) => runSource(store, r)),
    settings,
    { dataStart: T('2026-03-01T00:00:00Z') },
  );
  return got.detection.alerts.map((a) => ({ client: a.client, domain: a.domain, claims: a.evidence[0].uaClaimsBrowser }));
}

describe('stitching across drops (the tab keeps endpoint runs in its history)', () => {
  it('stitches URL events of a later drop, a browser User-Agent included, to endpoint records of an earlier one', async () => {
    const store = new MemoryRunStore();
    const endpoint = await writeEndpointRun(store, RECORDS);
    const runs = await urlDrop(store, LINES, true);
    expect(await alertsOver(store, [endpoint, ...runs])).toEqual([
      { client: 'implant.exe', domain: 'a-site.com', claims: false },
      { client: 'implant.exe', domain: 'b-site.com', claims: true },
    ]);
  });

  it('stitches non-browser events of an earlier drop to later endpoint records; its browser-User-Agent events were not kept', async () => {
    const store = new MemoryRunStore();
    const runs = await urlDrop(store, LINES, false);
    const endpoint = await writeEndpointRun(store, RECORDS);
    expect(await alertsOver(store, [...runs, endpoint])).toEqual([
      { client: 'implant.exe', domain: 'a-site.com', claims: false },
    ]);
  });
});

/** The spoofed-User-Agent case's firewall log and its Sysmon XML, as files of a drop. */
function spoofedCase(): { panos: Uint8Array; sysmon: string } {
  const c = loadCase('stitch-spoofed-browser-ua');
  return { panos: readFileSync(join(c.dir, 'input.log')), sysmon: readFileSync(join(c.dir, 'input-endpoint.xml'), 'utf8') };
}

/** Maps one drop on this thread, counting the event sink's wantsDetail answers. */
async function countedMap(
  files: { name: string; bytes: Uint8Array }[],
  historyHasEndpoints: boolean,
): Promise<{ events: number; nonBrowser: number; urlRows: number; detail: number }> {
  const settings = defaultSettings();
  const store = new MemoryRunStore();
  const asked = vi.spyOn(EventSink.prototype, 'wantsDetail');
  try {
    const mapped = await mapInputs({
      inputs: files.map((f, i) => ({
        name: f.name,
        source: `f${i}`,
        size: f.bytes.length,
        chunks: async function* () {
          yield f.bytes;
        },
      })),
      pool: new LocalPool(settings),
      store,
      options: { inflate: fflateInflate, fingerprint: false },
      historyHasEndpoints,
    });
    const c = mapped.counts;
    return {
      events: mapped.runs.reduce((n, r) => n + r.count, 0),
      nonBrowser: c.nonBrowser,
      urlRows: c.browser + c.nonBrowser + c.unknown,
      detail: asked.mock.results.filter((r) => r.value === true).length,
    };
  } finally {
    asked.mockRestore();
  }
}

describe('browser rows are kept for stitching only when there is endpoint data to stitch them to', () => {
  it('a PAN-OS-only map reads no browser row whole and keeps none', async () => {
    const { panos } = spoofedCase();
    const got = await countedMap([{ name: 'url.log', bytes: panos }], false);
    expect(got.urlRows).toBe(4);
    expect(got).toMatchObject({ nonBrowser: 1, events: 1, detail: 1 });
  });

  it('with endpoint records in the history, or an endpoint file anywhere in the drop, every row is read and the browser rows kept', async () => {
    const { panos, sysmon } = spoofedCase();
    // Three browser rows with their four values, kept pending, beside the non-browser one.
    expect(await countedMap([{ name: 'url.log', bytes: panos }], true)).toMatchObject({ events: 4, detail: 4 });
    const drop = [
      { name: 'url.log', bytes: panos },
      { name: 'sysmon.xml', bytes: new TextEncoder().encode(sysmon) },
    ];
    expect(await countedMap(drop, false)).toMatchObject({ events: 4, detail: 4 });
  });

  it('the join step rewrites the runs only to drop browser rows kept for stitching, and leaves runs without any as they are', async () => {
    const settings = defaultSettings();
    const plain = new MemoryRunStore();
    const none = await mapLines(plain, LINES, false);
    expect(none.runs.map((r) => [r.count, r.pending])).toEqual([[2, 0]]);
    // Nothing to drop: the very runs the map wrote, not a copy read and written again.
    expect((await joinTrafficRuns(plain, none, settings)).runs).toEqual(none.runs);

    const kept = new MemoryRunStore();
    const some = await mapLines(kept, LINES, true);
    expect(some.runs.map((r) => [r.count, r.pending])).toEqual([[3, 1]]);
    // The endpoint data went away (say its file failed): the browser row kept for it is dropped.
    const joined = (await joinTrafficRuns(kept, some, settings)).runs;
    expect(joined.map((r) => [r.count, r.pending])).toEqual([[2, 0]]);
    expect(joined[0].id).not.toBe(some.runs[0].id);
  });

  // The URL log first: its rows are read before the endpoint file is, so the drop is looked at before the map.
  for (const [form, bytes] of [
    ['plain', (x: string) => new TextEncoder().encode(x)],
    ['gzipped', (x: string) => new Uint8Array(gzipSync(x))],
    ['UTF-16', (x: string) => new Uint8Array(Buffer.from('\ufeff' + x, 'utf16le'))],
  ] as const) {
    it(`a PAN-OS file and a ${form} Sysmon XML file in one drop catch the program that sent a browser's User-Agent`, async () => {
      const { panos, sysmon } = spoofedCase();
      const c = loadCase('stitch-spoofed-browser-ua');
      const got = await runCore(
        [
          { name: 'url.log', bytes: panos },
          { name: form === 'gzipped' ? 'sysmon.xml.gz' : 'sysmon.xml', bytes: bytes(sysmon) },
        ],
        c.settings,
        { chunkSize: 997 },
      );
      expect(got.records.map((r) => [r.client, r.evidence[0].user_agent_claims_browser])).toEqual([['svchost32.exe', true]]);
      expect(got.stitch).toEqual(c.summary?.stitch);
    });
  }
  // A PAN-OS file added after endpoint data in the history: the first test of this file, and stitch-drop.test.ts in the tab.
});

const PROCESS: ProcessInfo = {
  computer: 'WS-1',
  image: 'C:\\Tools\\=cmd.exe',
  pid: 7,
  user: 'CORP\\ann',
  commandLine: '=HYPERLINK("http://x")',
  parentImage: null,
};

function stitchedEvent(): CompactEvent {
  return {
    ...UNSTITCHED,
    time: T('2026-03-16T10:00:00Z'),
    host: '10.1.0.1',
    user: 'CORP\\ann',
    client: '=cmd.exe',
    domain: 'a-site.com',
    userAgent: CHROME,
    method: 'GET',
    contentType: '',
    action: 'allow',
    file: 'url.log',
    source: 'k1',
    line: 2,
    flags: 4 | 16,
    bytesOut: null,
    bytesIn: null,
    url: 'www.a-site.com/',
    session: '',
    sourceAddress: '10.1.0.1',
    sourcePort: 50001,
    destinationAddress: '203.0.113.1',
    destinationPort: 443,
    process: PROCESS,
    uaClaimsBrowser: true,
  };
}

describe('the process on the way out', () => {
  it('is kept by a state file line, with the four values and the claim', async () => {
    const header = { savedAt: '', settings: defaultSettings(), counts: emptyCounts(), files: [], demoLoaded: false, events: 1 };
    const lines = [headerLine(header), eventLine(stitchedEvent()), endLine(1)];
    const reader = await StateReader.open(
      (async function* () {
        yield* lines;
      })(),
    );
    const got: CompactEvent[] = [];
    for await (const block of reader.blocks(1)) for (let i = 0; i < block.count; i++) got.push(eventAt(block, i));
    await reader.finish();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      process: PROCESS,
      uaClaimsBrowser: true,
      sourceAddress: '10.1.0.1',
      sourcePort: 50001,
      destinationAddress: '203.0.113.1',
      destinationPort: 443,
    });
    expect(JSON.parse(eventLine({ ...stitchedEvent(), ...UNSTITCHED }))).not.toHaveProperty('process');
  });

  it('is in the alert CSV, neutralised like every field from a log', () => {
    const e = stitchedEvent();
    const alert = {
      variation: 'website_access' as const,
      host: e.host,
      user: e.user,
      client: e.client,
      domain: e.domain,
      firstSeen: e.time,
      lastSeen: e.time,
      count: 1,
      evidence: [{ ...e, source: { file: e.file, line: e.line } }],
      explanation: {
        hostsWithKeyInWindow: 0,
        hostSeenKeyInWindow: false,
        windowDays: 30,
        rareHosts: 3,
        upload: false,
        historyMs: 0,
      },
    };
    const record = toRecord(alert, defaultSettings());
    expect(record.evidence[0].process).toEqual({
      computer: 'WS-1',
      image: 'C:\\Tools\\=cmd.exe',
      pid: 7,
      user: 'CORP\\ann',
      command_line: '=HYPERLINK("http://x")',
      parent_image: null,
    });
    expect(record.evidence[0].user_agent_claims_browser).toBe(true);
    const row = alertCsvRow(record);
    expect(row).toHaveLength(ALERT_CSV_HEADER.length);
    const cell = (name: string) => row[ALERT_CSV_HEADER.indexOf(name)];
    expect(cell('first_process_image')).toBe('C:\\Tools\\=cmd.exe');
    expect(cell('first_user_agent_claims_browser')).toBe(true);
    expect(csvRow([cell('first_process_command_line')])).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvRow([cell('client')])).toBe(`'=cmd.exe`);

    const imported = parseAlertLines(JSON.stringify(record) + '\n');
    expect(imported.alerts[0].evidence[0].process).toEqual(PROCESS);
    expect(imported.alerts[0].evidence[0].uaClaimsBrowser).toBe(true);
    // A record written before stitching has neither field.
    const old = structuredClone(record) as unknown as { evidence: Record<string, unknown>[] };
    delete old.evidence[0].process;
    delete old.evidence[0].user_agent_claims_browser;
    const older = parseAlertLines(JSON.stringify(old) + '\n');
    expect(older.alerts[0].evidence[0]).toMatchObject({ process: null, uaClaimsBrowser: false });
  });
});

describe('endpoint counts', () => {
  it('add, remove, and load from a state saved before they existed', () => {
    const a = emptyCounts();
    a.endpoint = { process: 1, connection: 5, lookup: 2 };
    const total = emptyCounts();
    addCounts(total, a);
    addCounts(total, a);
    removeCounts(total, a);
    expect(total.endpoint).toEqual({ process: 1, connection: 5, lookup: 2 });
    const old = { ...emptyCounts() } as Record<string, unknown>;
    delete old.endpoint;
    expect(checkCounts(old).endpoint).toEqual({ process: 0, connection: 0, lookup: 0 });
    expect(() => checkCounts({ ...old, endpoint: { process: 'x' } })).toThrow(/counts\.endpoint/);
    expect(STATE_FORMAT).toBe('offbrowse-state');
  });
});

describe("the CLI's summary", () => {
  it('says what the endpoint records were and what stitching made of them', async () => {
    const c = loadCase('stitch-panos');
    const got = await runCore(inputs(c), c.settings);
    const text = summaryText(got.files, got.counts, got.detection, got, [], c.settings.stitchSeconds);
    expect(text).toContain('endpoint records: 1 process starts, 6 connections, 0 name lookups\n');
    expect(text).toContain(
      "stitching: 3 URL events got their process (0 of them sent a browser's User-Agent); 3 endpoint connections " +
        'found no URL event; endpoint-only events: 0 from named connections, 0 from name lookups\n',
    );
    expect(text).toContain(
      '  non-browser URL events not stitched: no ports in the source 0, no endpoint data for that host 1, ' +
        'no match within 120 s 1\n',
    );
    // The same firewall rows without the endpoint file: no stitching line.
    const plain = await runCore(
      inputs(c).filter((f) => !f.name.endsWith('input-endpoint.xml')),
      c.settings,
    );
    expect(summaryText(plain.files, plain.counts, plain.detection, plain)).not.toContain('stitching');
  });
});

describe('stitchSeconds', () => {
  it('defaults to 120 and is refused outside 1 to 3600 seconds', () => {
    expect(defaultSettings().stitchSeconds).toBe(120);
    expect(resolveSettings({ stitchSeconds: 30 }).stitchSeconds).toBe(30);
    expect(() => resolveSettings({ stitchSeconds: 0 })).toThrow(/stitchSeconds.*1 to 3600 seconds/);
    expect(() => resolveSettings({ stitchSeconds: 7200 })).toThrow(/stitchSeconds/);
    expect(() => resolveSettings({ stitchSeconds: '60' })).toThrow(/stitchSeconds/);
  });
});
