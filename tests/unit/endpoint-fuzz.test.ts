/**
 * Damaged endpoint logs (Windows event XML as evtxexport renders the real
 * Sysmon sample, and a Defender CSV with command lines over several lines):
 * characters flipped, spans dropped or repeated, the file cut. Reading never
 * throws, every damaged record is counted, and a file cut into many small
 * parts by the coordinator reads exactly as it does in one part: the context
 * carried between parts loses nothing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { totalSkipped } from '../../src/core/sources/counts';
import { mapThrough } from '../helpers/endpoint-read';
import { samplesFolder } from '../helpers/samples';

const NOISE = ['<', '>', '&', '"', "'", '\n', '/', '=', 'x', '</Event>', '<Event>', '\r\n', ''];

/** Kinds of damage: a character replaced by noise, a span dropped, a span repeated, the file cut. */
const DAMAGE = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    kind: fc.integer({ min: 0, max: 3 }),
    noise: fc.constantFrom(...NOISE),
    length: fc.integer({ min: 0, max: 400 }),
  }),
  { minLength: 1, maxLength: 6 },
);

type DamageList = typeof DAMAGE extends fc.Arbitrary<infer T> ? T : never;

function damage(text: string, damages: DamageList): string {
  let s = text;
  for (const d of damages) {
    const at = Math.floor(d.at * s.length);
    if (d.kind === 0) s = s.slice(0, at) + d.noise + s.slice(at + 1);
    else if (d.kind === 1) s = s.slice(0, at) + s.slice(at + d.length);
    else if (d.kind === 2) s = s.slice(0, at) + s.slice(at, at + d.length) + s.slice(at);
    else s = s.slice(0, Math.max(at, s.length - 2000));
  }
  return s;
}

async function compareCuts(name: string, text: string): Promise<{ records: number; skipped: number }> {
  const bytes = Buffer.from(text);
  const whole = await mapThrough([{ name, bytes }], { first: 1 << 24, rest: 1 << 24 });
  const cut = await mapThrough([{ name, bytes }], { first: 1500, rest: 2500 });
  expect(cut.records).toEqual(whole.records);
  expect(cut.reports[0].counts.skipped).toEqual(whole.reports[0].counts.skipped);
  expect(cut.reports[0].counts.other).toEqual(whole.reports[0].counts.other);
  expect(cut.reports[0].counts.examples.map((e) => [e.reason, e.line])).toEqual(
    whole.reports[0].counts.examples.map((e) => [e.reason, e.line]),
  );
  return { records: whole.records.length, skipped: totalSkipped(whole.reports[0].counts) };
}

describe('damaged endpoint logs', () => {
  const xml = execFileSync('evtxexport', ['-f', 'xml', join(samplesFolder('evtx'), 'sysmon.evtx')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }).slice(0, 200_000);
  const events = (xml.match(/<Event xmlns/g) ?? []).length;

  it('Windows event XML: never throws, counts what it cannot read, reads alike in parts', async () => {
    let damaged = 0;
    await fc.assert(
      fc.asyncProperty(DAMAGE, async (damages) => {
        const { records, skipped } = await compareCuts('sysmon.xml', damage(xml, damages));
        // Damage can join two events into one unreadable one, or cut one off the end, but never lose one without a count.
        expect(records + skipped).toBeGreaterThan(0);
        expect(records).toBeLessThanOrEqual(events + 2);
        if (skipped > 1) damaged++;
      }),
      { seed: 21, numRuns: 25 },
    );
    expect(damaged).toBeGreaterThan(5);
  }, 120_000);

  it('Defender CSV: never throws, reads alike in parts', async () => {
    const header =
      'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,Protocol,' +
      'InitiatingProcessFileName,InitiatingProcessFolderPath,InitiatingProcessId,InitiatingProcessCommandLine';
    const rows = [header];
    for (let i = 0; i < 300; i++) {
      const cmd = i % 3 === 0 ? `"powershell -c ""a,b""\nline ${i}"` : `curl.exe -s http://x.example/${i}`;
      rows.push(
        `2024-03-05T10:00:${String(i % 60).padStart(2, '0')}Z,d1,ws-01,ConnectionSuccess,203.0.113.${i % 250},443,` +
          `x.example,10.0.0.5,${50000 + i},Tcp,curl.exe,C:\\Windows\\System32\\curl.exe,${1000 + i},${cmd}`,
      );
    }
    const text = rows.join('\r\n') + '\r\n';
    expect((await compareCuts('net.csv', text)).records).toBe(300);
    await fc.assert(
      fc.asyncProperty(DAMAGE, async (damages) => {
        await compareCuts('net.csv', damage(text, damages));
      }),
      { seed: 22, numRuns: 25 },
    );
  }, 120_000);
});
