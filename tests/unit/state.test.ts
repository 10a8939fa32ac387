/**
 * The state file's lines (core/state/stateLines.ts) and the reading of version 1
 * files (core/state/state.ts): what is refused, with which message, and that
 * events come back as the compact events the map makes.
 */
import { describe, expect, it } from 'vitest';
import { eventAt } from '../../src/core/events/columns';
import { legacyState, StateError } from '../../src/core/state/state';
import { eventLine, headerLine, StateReader, textLines, triageLine, endLine } from '../../src/core/state/stateLines';
import { type StateHeader } from '../../src/core/state/state';
import { defaultSettings } from '../../src/core/settings/settings';
import { emptyCounts } from '../../src/core/sources/counts';

const header: StateHeader = {
  savedAt: '2026-11-30T00:00:00.000Z',
  settings: defaultSettings(),
  counts: emptyCounts(),
  files: [],
  demoLoaded: false,
  events: 2,
};

const event = (time: number, url: string) => ({
  time,
  host: '10.0.0.1',
  user: '',
  client: 'curl',
  domain: 'pastebin.com',
  userAgent: 'curl/8',
  method: 'POST',
  contentType: '',
  action: 'allow',
  file: 'url.log',
  source: 'k1',
  line: 7,
  flags: 0,
  bytesOut: 5000,
  bytesIn: null,
  url,
  session: '',
  process: null,
  uaClaimsBrowser: false,
});

async function* from(lines: string[]): AsyncIterable<string> {
  yield* lines;
}

async function readAll(lines: string[]): Promise<{ reader: StateReader; events: ReturnType<typeof eventAt>[] }> {
  const reader = await StateReader.open(from(lines));
  const events = [];
  for await (const block of reader.blocks(1)) for (let i = 0; i < block.count; i++) events.push(eventAt(block, i));
  await reader.finish();
  return { reader, events };
}

describe('state file lines', () => {
  const good = [
    headerLine(header),
    eventLine(event(1000, 'pastebin.com/api/api_post.php')),
    eventLine(event(2000, 'pastebin.com/raw/x')),
    triageLine('a|b', { status: 'malicious', note: 'n', changedAt: '2026-11-30T00:00:00.000Z' }),
    endLine(2),
  ];

  it('refuses a state whose settings this version does not accept, saying which and why (not "corrupt")', async () => {
    const line = headerLine({ ...header, settings: { ...defaultSettings(), trainingDays: 0 } });
    await expect(StateReader.open(from([line]))).rejects.toThrow(
      /^its settings are not accepted: setting "trainingDays" must be from 0\.5 to 365 days/,
    );
  });

  it('reads back the events, with their flags worked out again, and the triage', async () => {
    const { reader, events } = await readAll(good);
    expect(events.map((e) => [e.time, e.url, e.source, e.line, e.bytesOut])).toEqual([
      [1000, 'pastebin.com/api/api_post.php', 'k1', 7, 5000],
      [2000, 'pastebin.com/raw/x', 'k1', 7, 5000],
    ]);
    // Text share, an API path, empty content type, an upload method.
    expect(events[0].flags).toBe(1 | 2 | 4 | 8);
    expect(events[1].flags).toBe(1 | 4 | 8);
    expect(reader.triage).toEqual({ 'a|b': { status: 'malicious', note: 'n', changedAt: '2026-11-30T00:00:00.000Z' } });
  });

  it('refuses files cut short, events out of order, bad events and unknown lines', async () => {
    await expect(readAll(good.slice(0, -1))).rejects.toThrow(/cut short/);
    await expect(readAll([good[0], good[2], good[1], good[3], good[4]])).rejects.toThrow(/time order/);
    await expect(readAll([good[0], '{"t":"e","time":"x"}', good[4]])).rejects.toThrow(/line 2 has no text field/);
    await expect(readAll([good[0], '{"t":"zzz"}', good[4]])).rejects.toThrow(/no known kind/);
    await expect(readAll([good[0], 'not json', good[4]])).rejects.toThrow(/line 2 is not valid JSON/);
    await expect(readAll([good[0], good[1], good[2], good[3], endLine(3)])).rejects.toThrow(/says 3 events but holds 2/);
    await expect(readAll([...good, good[1]])).rejects.toThrow(/after its end/);
    await expect(readAll([headerLine({ ...header, events: 1 }), ...good.slice(1)])).rejects.toThrow(/holds 2/);
  });

  it('refuses a newer version, another format, and a version 1 object given as lines', async () => {
    await expect(StateReader.open(from([JSON.stringify({ format: 'offbrowse-state', version: 99 })]))).rejects.toThrow(
      /newer than this Offbrowse/,
    );
    await expect(StateReader.open(from(['{"format":"other"}']))).rejects.toThrow(/not an Offbrowse state file/);
    await expect(StateReader.open(from([JSON.stringify({ format: 'offbrowse-state', version: 1 })]))).rejects.toThrow(
      /one JSON object/,
    );
    await expect(StateReader.open(from([]))).rejects.toThrow(StateError);
  });

  it('cuts bytes into lines across chunks, multi-byte characters included', async () => {
    const text = 'a\nbé\n\nc';
    const bytes = new TextEncoder().encode(text);
    async function* oneByOne(): AsyncIterable<Uint8Array> {
      for (const b of bytes) yield new Uint8Array([b]);
    }
    const lines: string[] = [];
    for await (const l of textLines(oneByOne())) lines.push(l);
    expect(lines).toEqual(['a', 'bé', '', 'c']);
  });
});

describe('version 1 state files', () => {
  it('refuses a newer version, another format and corrupt events', () => {
    expect(() => legacyState({ format: 'offbrowse-state', version: 99 })).toThrow(/newer than this Offbrowse/);
    expect(() => legacyState({ format: 'something-else', version: 1 })).toThrow(StateError);
    expect(() => legacyState([])).toThrow(/not an Offbrowse state file/);
    const good = {
      format: 'offbrowse-state',
      version: 1,
      settings: {},
      counts: emptyCounts(),
      files: [],
      events: [],
      triage: {},
    };
    expect(() => legacyState(good)).not.toThrow();
    expect(() => legacyState({ ...good, events: [{ time: 'x' }] })).toThrow(/event 1/);
    expect(() => legacyState({ ...good, triage: { a: { status: 'done', note: '', changedAt: '' } } })).toThrow(/triage/);
  });
});
