/**
 * Windows event XML (`wevtutil qe /f:xml`, the Event Viewer's "Save as XML",
 * and libevtx's `evtxexport -f xml` rendering of the real Sysmon sample) read
 * through the format sniffer into endpoint records; malformed events counted
 * with their line; events spanning the coordinator's parts read whole.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Connection, ProcessStart } from '../../src/core/events/endpoint';
import { TextBytes } from '../../src/core/ingest/textBytes';
import { decodeEntities, parseEventXml } from '../../src/core/sources/windowsXml';
import { makeTimeParser } from '../../src/core/util/time';
import { mapThrough, readText } from '../helpers/endpoint-read';
import { samplesFolder } from '../helpers/samples';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** One event as wevtutil writes it: single quotes, on one line. */
function wevtutilEvent(id: number, data: Record<string, string>, time = '2024-03-05T10:00:01.1234567Z'): string {
  const values = Object.entries(data)
    .map(([k, v]) => `<Data Name='${k}'>${v}</Data>`)
    .join('');
  return (
    `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>` +
    `<EventID>${id}</EventID><Version>5</Version><Level>4</Level><Task>${id}</Task><Opcode>0</Opcode>` +
    `<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${time}'/><EventRecordID>${1000 + id}</EventRecordID>` +
    `<Correlation/><Execution ProcessID='2284' ThreadID='5252'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel>` +
    `<Computer>WS-0142.corp.example</Computer><Security UserID='S-1-5-18'/></System><EventData>${values}</EventData></Event>`
  );
}

const CONNECTION = {
  UtcTime: '2024-03-05 10:00:01.120',
  ProcessGuid: '{6f1c2a3b-1111-65e6-1a00-000000000900}',
  ProcessId: '4812',
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  User: 'CORP\\jdoe',
  Protocol: 'tcp',
  Initiated: 'true',
  SourceIsIpv6: 'false',
  SourceIp: '10.1.20.31',
  SourceHostname: 'WS-0142.corp.example',
  SourcePort: '51544',
  SourcePortName: '',
  DestinationIsIpv6: 'false',
  DestinationIp: '104.20.67.143',
  DestinationHostname: '104-20-67-143.cloudflare.example',
  DestinationPort: '443',
  DestinationPortName: 'https',
};

const PROCESS = {
  UtcTime: '2024-03-05 10:00:00.500',
  ProcessGuid: '{6f1c2a3b-1111-65e6-1a00-000000000900}',
  ProcessId: '4812',
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  CommandLine:
    'powershell.exe -nop -c &quot;iwr https://pastebin.com/raw/x?a=1&amp;b=2 -OutFile &apos;C:\\t\\x&apos;&quot; &lt;in',
  User: 'CORP\\jdoe',
  ParentImage: 'C:\\Windows\\explorer.exe',
};

/** The Event Viewer's "Save as XML": a prolog, an Events root, pretty-printed events. */
function savedAsXml(events: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n${events.join('\n')}\n</Events>\n`;
}

function pretty(event: string): string {
  // One element a line, as the Event Viewer indents its export.
  return event.replace(/></g, '>\n  <');
}

describe('Windows event XML', () => {
  it('reads wevtutil output: one event a line, single-quoted attributes, entities decoded', () => {
    const text = [wevtutilEvent(1, PROCESS), wevtutilEvent(3, CONNECTION), wevtutilEvent(11, { TargetFilename: 'x' })].join(
      '\r\n',
    );
    const { sink, format } = readText(`${text}\r\n`);
    expect(format).toBe('windows-xml');
    expect(sink.counts.other).toEqual({ 'Sysmon 11': 1 });
    expect(sink.counts.skipped).toEqual({});
    const [proc, conn] = sink.records as [ProcessStart, Connection];
    expect(proc).toMatchObject({
      kind: 'process',
      time: Date.UTC(2024, 2, 5, 10, 0, 0, 500),
      computer: 'WS-0142.corp.example',
      pid: 4812,
      image: PROCESS.Image,
      commandLine: `powershell.exe -nop -c "iwr https://pastebin.com/raw/x?a=1&b=2 -OutFile 'C:\\t\\x'" <in`,
      parentImage: 'C:\\Windows\\explorer.exe',
      user: 'CORP\\jdoe',
      line: 1,
    });
    expect(conn).toMatchObject({
      kind: 'connection',
      localAddress: '10.1.20.31',
      localPort: 51544,
      remoteAddress: '104.20.67.143',
      remotePort: 443,
      reverseName: '104-20-67-143.cloudflare.example',
      protocol: 'tcp',
      line: 2,
    });
  });

  it('reads several events on one line, and wevtutil output with no line end at all', () => {
    const line = [
      wevtutilEvent(3, CONNECTION),
      wevtutilEvent(3, CONNECTION),
      wevtutilEvent(22, {
        QueryName: 'pastebin.com',
        QueryResults: 'type:  5 pastebin.map.example;::ffff:104.20.67.143;',
        Image: CONNECTION.Image,
        ProcessGuid: CONNECTION.ProcessGuid,
        UtcTime: '2024-03-05 10:00:01.000',
      }),
    ].join('');
    const { sink } = readText(line);
    expect(sink.records.map((r) => [r.kind, r.line])).toEqual([
      ['connection', 1],
      ['connection', 1],
      ['lookup', 1],
    ]);
    expect(sink.records[2]).toMatchObject({ query: 'pastebin.com', answers: ['104.20.67.143'] });
  });

  it('reads the Event Viewer\'s "Save as XML", pretty-printed, events spanning lines', () => {
    const text = savedAsXml([pretty(wevtutilEvent(1, PROCESS)), pretty(wevtutilEvent(3, CONNECTION))]);
    const { sink, format } = readText(text);
    expect(format).toBe('windows-xml');
    expect(sink.counts.headers).toBe(3);
    expect(sink.counts.skipped).toEqual({});
    // Each record names the line its <Event> opens on.
    const lines = text.split('\n');
    expect(sink.records.map((r) => lines[r.line - 1].startsWith('<Event '))).toEqual([true, true]);
    expect(sink.records.map((r) => r.kind)).toEqual(['process', 'connection']);
  });

  it('keeps a value that spans lines, blank lines and all', () => {
    const ev = wevtutilEvent(1, { ...PROCESS, CommandLine: 'cmd /c "a\n\nb"' });
    const { sink } = readText(`${ev}\n`);
    expect((sink.records[0] as ProcessStart).commandLine).toBe('cmd /c "a\n\nb"');
  });

  it('skips and counts a malformed event with its line, and reads on', () => {
    const good = wevtutilEvent(3, CONNECTION);
    const text = [
      good,
      // Cut short, then the next event on the next line.
      good.slice(0, 300),
      good,
      // A tag not closed properly.
      good.replace('</Computer>', '</Computr>'),
      // An unknown entity.
      good.replace('powershell.exe', 'power&nbsp;shell.exe'),
      // No numeric EventID.
      good.replace('<EventID>3</EventID>', '<EventID>three</EventID>'),
      // Text between events that is not XML.
      'garbage between events',
      good,
    ].join('\n');
    const { sink } = readText(text);
    expect(sink.records.map((r) => r.line)).toEqual([1, 3, 8]);
    expect(sink.counts.skipped).toEqual({ 'windows-xml': 5 });
    expect(sink.counts.examples.map((e) => e.line)).toEqual([2, 4, 5, 6, 7]);
  });

  it('counts an event cut short at the end of the file, and one too long, with their lines', async () => {
    const good = wevtutilEvent(3, CONNECTION);
    const text = `${good}\n${pretty(good).split('\n').slice(0, 10).join('\n')}\n\n`;
    const { reports, records } = await mapThrough([{ name: 'cut.xml', bytes: Buffer.from(text) }], { first: 500, rest: 500 });
    expect(records).toHaveLength(1);
    expect(reports[0].counts.skipped).toEqual({ 'cut-at-end': 1 });
    expect(reports[0].counts.examples).toMatchObject([{ reason: 'cut-at-end', line: 2, file: 'cut.xml' }]);
    const open = readText(`${good}\n<Event xmlns='${NS}'>\n${'<Data>x</Data>\n'.repeat(80_000)}</Event>\n${good}\n`);
    expect(open.sink.counts.skipped).toEqual({ 'event-too-long': 1 });
    expect(open.sink.counts.examples[0].line).toBe(2);
    expect(open.sink.records.map((r) => r.line)).toEqual([1, 80_004]);
  });

  it('counts other events by provider and id; Security 5156 outbound is a connection', () => {
    const security = (id: number, data: Record<string, string>): string =>
      wevtutilEvent(id, data).replace('Microsoft-Windows-Sysmon', 'Microsoft-Windows-Security-Auditing');
    const text = [
      security(4624, { TargetUserName: 'jdoe' }),
      security(5156, {
        ProcessID: '4812',
        Application: '\\device\\harddiskvolume2\\windows\\system32\\curl.exe',
        Direction: '%%14593',
        SourceAddress: '10.1.20.31',
        SourcePort: '51600',
        DestAddress: '198.51.100.7',
        DestPort: '80',
        Protocol: '6',
      }),
      security(5156, { Direction: '%%14592' }),
      wevtutilEvent(7036, {}).replace('Microsoft-Windows-Sysmon', 'Service Control Manager'),
    ].join('\n');
    const { sink } = readText(text);
    expect(sink.counts.other).toEqual({ 'Security 4624': 1, 'Security 5156': 1, 'Windows 7036': 1 });
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]).toMatchObject({ kind: 'connection', pid: 4812, remotePort: 80, protocol: 'tcp' });
  });

  it('decodes entities strictly', () => {
    expect(decodeEntities('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;')).toBe(`a <b> & "c" 'd' AB`);
    expect(decodeEntities('&nbsp;')).toBeNull();
    expect(decodeEntities('a & b')).toBeNull();
    const parse = (s: string): unknown => parseEventXml(s, makeTimeParser('UTC'));
    expect(parse(`<Event><System><EventID>1</EventID></System></Event>`)).toMatchObject({ eventId: 1, provider: '' });
    expect(parse(`<Event><System><EventID>1</EventID></System>`)).toBeNull();
    expect(parse(`<Event><System><EventID>1</EventID></System></Event><Event/>`)).toBeNull();
    expect(parse(`<Event><System a="1"b="2"><EventID>1</EventID></System></Event>`)).toBeNull();
    expect(
      parse(`<Event><EventData><Data Name="x"><![CDATA[<a&b>]]></Data></EventData><System><EventID>2</EventID></System></Event>`),
    ).toMatchObject({ data: { x: '<a&b>' } });
  });

  it('reads an XML file cut into many parts by the coordinator as it reads it whole, with BOM and CRLF', async () => {
    const events = [];
    for (let i = 0; i < 40; i++) events.push(pretty(wevtutilEvent(i % 2 === 0 ? 1 : 3, i % 2 === 0 ? PROCESS : CONNECTION)));
    const text = savedAsXml(events).replace(/\n/g, '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const whole = await mapThrough([{ name: 'saved.xml', bytes }]);
    const cut = await mapThrough([{ name: 'saved.xml', bytes }], { first: 700, rest: 900 });
    expect(whole.records).toHaveLength(40);
    expect(cut.records).toEqual(whole.records);
    expect(cut.reports[0]).toMatchObject({ format: 'windows-xml', error: null });
    expect(cut.reports[0].counts.skipped).toEqual({});
    const lines = text.split('\r\n');
    expect(cut.records.every((r) => lines[r.line - 1].startsWith('<Event '))).toBe(true);
  });

  it('reads UTF-16LE (with and without a byte order mark) and gzip', async () => {
    const text = savedAsXml([pretty(wevtutilEvent(1, PROCESS)), pretty(wevtutilEvent(3, CONNECTION))]).replace(/\n/g, '\r\n');
    const le = Buffer.from(text, 'utf16le');
    const files = [
      { name: 'bom16.xml', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]) },
      { name: 'le16.xml', bytes: le },
      { name: 'bom16.xml.gz', bytes: gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), le])) },
      { name: 'plain.xml.gz', bytes: gzipSync(Buffer.from(text)) },
    ];
    const { reports, records } = await mapThrough(files, { first: 300, rest: 400 });
    expect(reports.map((r) => [r.name, r.format, r.error])).toEqual(files.map((f) => [f.name, 'windows-xml', null]));
    expect(records.map((r) => r.kind)).toEqual(Array(4).fill(['process', 'connection']).flat());
    expect(new Set(records.map((r) => r.image))).toEqual(new Set([PROCESS.Image]));
  });
});

describe('Windows event XML with no line end between events', () => {
  it('gives each event a line of its own as the file streams, wherever the chunks cut an end tag', () => {
    const one = `<?xml version="1.0"?><Events>${[wevtutilEvent(1, PROCESS), wevtutilEvent(3, CONNECTION)].join('')}\n${wevtutilEvent(22, {})}</Events>`;
    const want = one.replace(/<\/Event>(?![\r\n])/g, '</Event>\n');
    for (let size = 1; size <= 24; size++) {
      const text = new TextBytes();
      const bytes = Buffer.from(one);
      const out: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) out.push(Buffer.from(text.push(bytes.subarray(at, at + size), at === 0)));
      out.push(Buffer.from(text.end()));
      expect(Buffer.concat(out).toString(), `chunks of ${size}`).toBe(want);
    }
    // Any other file passes unchanged.
    const other = new TextBytes();
    const zeekish = Buffer.from('#separator \\x09\n</Event>x');
    expect(Buffer.concat([other.push(zeekish, true), other.end()]).toString()).toBe(zeekish.toString());
  });

  it('reads an export of many thousand events on one line, longer than any line may be', async () => {
    const ev = wevtutilEvent(3, CONNECTION);
    const count = Math.ceil((17 * 1024 * 1024) / ev.length);
    const one = `<?xml version="1.0" encoding="UTF-8"?><Events>${ev.repeat(count)}</Events>`;
    const { reports, records } = await mapThrough([{ name: 'big.xml', bytes: Buffer.from(one) }], undefined, 1 << 16);
    expect(reports[0]).toMatchObject({ format: 'windows-xml', error: null });
    expect(reports[0].counts.skipped).toEqual({});
    expect(records).toHaveLength(count);
    // Line N is the Nth event.
    expect(records[count - 1].line).toBe(count);
  }, 60_000);
});

describe('Windows event XML: the real Sysmon sample as evtxexport renders it', () => {
  const xml = execFileSync('evtxexport', ['-f', 'xml', join(samplesFolder('evtx'), 'sysmon.evtx')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });

  it('gives every Sysmon 1 and 3 record, and counts the rest by id', () => {
    const { sink, format } = readText(xml, 'sysmon.xml');
    expect(format).toBe('windows-xml');
    // evtxexport's first line names its version: not XML, counted as such.
    expect(sink.counts.skipped).toEqual({ 'not-panos': 1 });
    const kinds = sink.records.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'process')).toHaveLength(227);
    expect(kinds.filter((k) => k === 'connection')).toHaveLength(2);
    expect(sink.counts.other).toEqual({
      'Sysmon 10': 60,
      'Sysmon 11': 34,
      'Sysmon 13': 24,
      'Sysmon 12': 8,
      'Sysmon 15': 2,
      'Sysmon 16': 1,
    });
    const conn = sink.records.find((r) => r.kind === 'connection') as Connection;
    expect(conn).toMatchObject({
      computer: 'DESKTOP-2KGM189',
      pid: 4280,
      image: 'C:\\Windows\\Temp\\opera autoupdate\\CProgram FilesOpera\\installing\\installer.exe',
      user: 'NT AUTHORITY\\SYSTEM',
      localAddress: '192.168.2.128',
      localPort: 59344,
      remoteAddress: '185.26.182.117',
      remotePort: 443,
      reverseName: '',
      time: Date.UTC(2017, 11, 18, 14, 51, 29, 706),
    });
    const first = sink.records[0] as ProcessStart;
    expect(first).toMatchObject({
      pid: 9112,
      image: 'C:\\Windows\\SysWOW64\\PING.EXE',
      commandLine: 'ping  -n 6 127.0.0.1 ',
      parentImage: 'C:\\Windows\\SysWOW64\\cmd.exe',
      guid: '{94F748D5-4A45-5A42-0000-0010D265F20F}',
    });
    // Every Sysmon 1 and 3 record, field for field as the rendered XML holds them (read here by plain patterns).
    const expected = xml
      .split('<Event xmlns')
      .slice(1)
      .map((block) => {
        const field = (name: string): string =>
          new RegExp(`<Data Name="${name}">([^<]*)</Data>`)
            .exec(block)?.[1]
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&') ?? '';
        return {
          id: /<EventID>(\d+)</.exec(block)?.[1],
          image: field('Image'),
          pid: Number(field('ProcessId')),
          commandLine: field('CommandLine'),
        };
      })
      .filter((e) => e.id === '1' || e.id === '3');
    expect(expected).toHaveLength(229);
    expect(
      sink.records.map((r) => ({ image: r.image, pid: r.pid, commandLine: r.kind === 'process' ? r.commandLine : '' })),
    ).toEqual(expected.map((e) => ({ image: e.image, pid: e.pid, commandLine: e.commandLine })));
  });

  it('reads the damaged Security sample as evtxexport gives it, counting every event', () => {
    const sec = execFileSync('evtxexport', ['-f', 'xml', join(samplesFolder('evtx'), 'security_bad_string_cache.evtx')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { sink } = readText(sec);
    const events = (sec.match(/<Event xmlns/g) ?? []).length;
    const counted = Object.values(sink.counts.other).reduce((a, b) => a + b, 0) + sink.records.length;
    expect(events).toBeGreaterThan(2000);
    expect(counted).toBe(events);
    expect(sink.counts.other['Security 4624']).toBe(583);
  });
});
