/**
 * One generated dataset written in every form the generator knows (PAN-OS
 * syslog and CSV export, Zeek http.log as TSV and as JSON, Suricata eve.json),
 * each read through the CLI's core path: the same requests must give the same
 * alerts whatever the form. What a form cannot carry is compared apart, and
 * said so: sensors log no user and no firewall action, evidence positions
 * differ with the layout, and bytes come from different places. Suricata logs
 * no request size, so its one byte-dependent outcome differs, exactly as the
 * dataset's truth for that form states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePool } from '../src/cli/pool';
import { generate, type Dataset, type GenerateFormat } from '../src/core/generate/index';
import type { AlertRecord } from '../src/core/alerts/record';
import { defaultSettings } from '../src/core/settings/settings';
import { runCore, type CoreRun, type FeedOptions } from './helpers/run-core';

/** Long enough for all four variations (the last scripted one is on day 27), small enough to read fast. */
const OPTIONS = { days: 28, hosts: 40, seed: 5, rate: 2 } as const;
const FORMATS: readonly GenerateFormat[] = ['syslog', 'csv', 'zeek', 'zeek-json', 'suricata'];
const settings = defaultSettings();
const threads = parsePool(settings, 2);
afterAll(() => threads.close());

function encode(dataset: Dataset): { name: string; bytes: Uint8Array }[] {
  const encoder = new TextEncoder();
  return dataset.files.map((f) => ({ name: f.name, bytes: encoder.encode([...f.chunks()].join('')) }));
}

interface Read {
  dataset: Dataset;
  run: CoreRun;
}

const reads = new Map<string, Promise<Read>>();
/** Each form is generated and read once (and once more in parts on threads, when asked). */
function read(format: GenerateFormat, opts: FeedOptions = {}): Promise<Read> {
  const key = format + JSON.stringify(opts.segmentBytes ?? null);
  let r = reads.get(key);
  if (r === undefined) {
    const dataset = generate({ ...OPTIONS, format });
    r = runCore(encode(dataset), settings, opts).then((run) => ({ dataset, run }));
    reads.set(key, r);
  }
  return r;
}

/** What every form must agree on: the alert without its user, its evidence without action, bytes and position. */
function shared(r: AlertRecord): unknown {
  return {
    variation: r.variation,
    host: r.host,
    client: r.client,
    domain: r.domain,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    count: r.count,
    explanation: r.explanation,
    evidence: r.evidence.map((e) => ({ time: e.time, host: e.host, url: e.url, method: e.method, user_agent: e.user_agent })),
  };
}

const brief = (a: {
  variation: string;
  host: string;
  client: string;
  domain: string;
  first_seen: string;
  count: number;
}): string => [a.variation, a.host, a.client, a.domain, a.first_seen, a.count].join(' ');

describe('one dataset in every form', () => {
  beforeAll(async () => {
    for (const format of FORMATS) await read(format);
  }, 60_000);

  it('every form is read whole, as its own format, with the same URL events', async () => {
    const want = {
      syslog: 'panos-syslog',
      csv: 'panos-csv',
      zeek: 'zeek-tsv',
      'zeek-json': 'zeek-json',
      suricata: 'suricata-eve',
    };
    const base = (await read('syslog')).run.counts;
    for (const format of FORMATS) {
      const { run } = await read(format);
      for (const f of run.files) expect([f.name, f.format, f.error]).toEqual([f.name, want[format], null]);
      const c = run.counts;
      expect(c.skipped, format).toEqual({});
      expect([c.browser, c.nonBrowser, c.unknown, c.minTime, c.maxTime], format).toEqual([
        base.browser,
        base.nonBrowser,
        base.unknown,
        base.minTime,
        base.maxTime,
      ]);
    }
    expect(base.nonBrowser).toBeGreaterThan(500);
    // The sensors count what has no request row of their own: Suricata flows and alerts; Zeek's http.log holds none.
    const eve = (await read('suricata')).run.counts.other;
    expect(Object.keys(eve).sort()).toEqual(['Suricata/alert', 'Suricata/flow']);
    expect((await read('zeek')).run.counts.other).toEqual({});
    expect((await read('zeek')).run.counts.headers).toBeGreaterThan(OPTIONS.days * 9);
  });

  it('each form is the same bytes for the same seed, named by its form', () => {
    const names: Record<GenerateFormat, string> = {
      syslog: 'url-2026-09-01.log',
      csv: 'url-2026-09-01.csv',
      zeek: 'http-2026-09-01.log',
      'zeek-json': 'http-2026-09-01.json',
      suricata: 'eve-2026-09-01.json',
    };
    const text = (d: Dataset, i: number): string => [...d.files[i].chunks()].join('');
    for (const format of ['zeek', 'zeek-json', 'suricata'] as const) {
      const a = generate({ ...OPTIONS, days: 4, format });
      const b = generate({ ...OPTIONS, days: 4, format });
      const other = generate({ ...OPTIONS, days: 4, format, seed: OPTIONS.seed + 1 });
      expect(a.files[0].name).toBe(names[format]);
      for (let i = 0; i < 4; i++) expect(text(b, i), `${format} day ${i}`).toBe(text(a, i));
      expect(text(other, 0)).not.toBe(text(a, 0));
    }
    // The fourth day's Zeek log restarts at noon: two header blocks, the second with a column more.
    const day4 = text(generate({ ...OPTIONS, days: 4, format: 'zeek' }), 3).split('\n');
    const fields = day4.filter((l) => l.startsWith('#fields'));
    expect(fields).toHaveLength(2);
    expect(fields[1].split('\t').length).toBe(fields[0].split('\t').length + 1);
    expect(day4.filter((l) => l.startsWith('#close'))).toHaveLength(2);
  });

  it('each form gives the alerts its truth states, and all four variations', async () => {
    for (const format of FORMATS) {
      const { dataset, run } = await read(format);
      expect(run.records.map(brief).sort(), format).toEqual(dataset.truth.alerts.map(brief).sort());
    }
    expect(new Set((await read('syslog')).run.records.map((r) => r.variation)).size).toBe(4);
  });

  it('PAN-OS, Zeek TSV and Zeek JSON give the same alerts, but for what sensors do not log', async () => {
    const panos = (await read('syslog')).run.records;
    expect(panos.length).toBeGreaterThan(5);
    for (const format of ['csv', 'zeek', 'zeek-json'] as const) {
      const got = (await read(format)).run.records;
      expect(got.map(shared), format).toEqual(panos.map(shared));
    }
    // PAN-OS names the user (desktops have one) and the firewall's action; sensors have neither.
    expect(panos.some((r) => r.user !== null)).toBe(true);
    expect(panos.every((r) => r.evidence.every((e) => e.action !== ''))).toBe(true);
    for (const format of ['zeek', 'zeek-json', 'suricata'] as const) {
      for (const r of (await read(format)).run.records) {
        expect(r.user, `${format}: no user`).toBeNull();
        for (const e of r.evidence) expect([e.user, e.action]).toEqual([null, '']);
      }
    }
  });

  it('bytes sent: Zeek logs what PAN-OS joins from TRAFFIC rows; Suricata logs none', async () => {
    const panos = (await read('syslog')).run.records;
    const zeek = (await read('zeek')).run.records;
    let joined = 0;
    panos.forEach((r, i) =>
      r.evidence.forEach((e, j) => {
        const z = zeek[i].evidence[j];
        if (e.bytes_out !== null) {
          joined++;
          expect(z.bytes_out).toBe(e.bytes_out);
        }
        // A GET sends no body.
        if (e.method === 'GET') expect(z.bytes_out).toBe(0);
      }),
    );
    expect(joined).toBeGreaterThan(0);
    for (const r of (await read('suricata')).run.records) for (const e of r.evidence) expect(e.bytes_out).toBeNull();
  });

  it('Suricata differs from PAN-OS only by the alerts a POST of unknown size adds', async () => {
    const panos = await read('syslog');
    const eve = await read('suricata');
    const extra = eve.dataset.truth.alerts.map(brief).filter((a) => !panos.dataset.truth.alerts.map(brief).includes(a));
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatch(/^text_share_upload .* python-requests pastebin\.com /);
    const kept = eve.run.records.filter((r) => !extra.includes(brief(r)));
    expect(kept.map(shared)).toEqual(panos.run.records.map(shared));
  });

  it('the Zeek TSV form cut into parts on threads reads as it does whole (header blocks carried from part to part)', async () => {
    const whole = (await read('zeek')).run;
    const parts = (await read('zeek', { pool: threads, segmentBytes: { first: 4096, rest: 16_384 } })).run;
    expect(parts.records).toEqual(whole.records);
    expect(parts.counts).toEqual(whole.counts);
  });
});
