/**
 * Real PAN-OS lines (../shared/samples/panos/, kept outside the repository for
 * their licences; see SOURCES.md there) read in place through the CLI's core
 * path, with the counts their layouts must give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/settings';
import { runCore, type CoreRun } from '../helpers/run-core';
import { samplesFolder } from '../helpers/samples';

const SAMPLES = samplesFolder('panos');
const TRAFFIC = 'traffic__mixed-sources.log';
const ELASTIC = 'url_threat_10x_11x__elastic-integrations.log';
const LAYER3 = 'url_threat_8x_9x_prisma__layer3-pan-os-syslog.log';

async function read(...names: string[]): Promise<CoreRun> {
  const files = names.map((n) => ({ name: join(SAMPLES, n), bytes: new Uint8Array(readFileSync(join(SAMPLES, n))) }));
  return runCore(files, defaultSettings());
}

describe('PAN-OS sample lines (../shared/samples/panos)', () => {
  it('TRAFFIC rows of 8.1 to 10.x, with and without PRI, are counted as other log types', async () => {
    const collected = await read(TRAFFIC);
    const c = collected.counts;
    expect(collected.files[0]).toMatchObject({ name: TRAFFIC, format: 'panos-syslog', error: null });
    expect([c.lines, c.browser, c.nonBrowser, c.unknown]).toEqual([4, 0, 0, 0]);
    expect(c.other).toEqual({ TRAFFIC: 4 });
    expect(c.skipped).toEqual({});
  });

  it('10.x/11.x URL rows without header logging are unknown-client events', async () => {
    const collected = await read(ELASTIC);
    const c = collected.counts;
    expect(collected.files[0]).toMatchObject({ format: 'panos-syslog', error: null });
    expect([c.lines, c.browser, c.nonBrowser, c.unknown]).toEqual([5, 0, 0, 5]);
    expect(c.skipped).toEqual({});
    expect(c.other).toEqual({});
    // Generated Time of line 3 and of line 5 (the http-proxy row behind "<14>").
    expect(new Date(c.minTime ?? NaN).toISOString()).toBe('2023-10-04T09:40:43.000Z');
    expect(new Date(c.maxTime ?? NaN).toISOString()).toBe('2024-08-19T13:57:32.000Z');
  });

  it('8.1/9.0 URL rows give browsers and an unknown; the Prisma line is an unsupported layout', async () => {
    const collected = await read(LAYER3);
    const c = collected.counts;
    expect(collected.files[0]).toMatchObject({ format: 'panos-syslog', error: null });
    expect([c.lines, c.browser, c.nonBrowser, c.unknown]).toEqual([4, 2, 0, 1]);
    expect(c.skipped).toEqual({ 'unsupported-layout': 1 });
    expect(c.examples.map((e) => [e.reason, e.file, e.line])).toEqual([['unsupported-layout', LAYER3, 4]]);
    // Line 1 was generated at 08:38:35 and received at 08:38:34: Generated Time wins.
    expect(new Date(c.minTime ?? NaN).toISOString()).toBe('2019-07-24T08:38:35.000Z');
  });

  it('all samples together: summed counts, no alerts', async () => {
    const { counts: c, records, detection } = await read(TRAFFIC, ELASTIC, LAYER3);
    expect([c.lines, c.browser, c.nonBrowser, c.unknown]).toEqual([13, 2, 0, 6]);
    expect(c.other).toEqual({ TRAFFIC: 4 });
    expect(c.skipped).toEqual({ 'unsupported-layout': 1 });
    expect(records).toEqual([]);
    expect(new Date(detection.dataStart ?? NaN).toISOString()).toBe('2019-07-24T08:38:35.000Z');
  });
});
