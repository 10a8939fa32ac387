/**
 * The worker's re-read path (Workspace.rebuild, src/worker/reread.ts): the
 * time zone and the lists are used while reading, so new ones read every
 * file again. A PAN-OS time has no zone, so a new zone moves the alerts'
 * times; a site added to the text-share list changes what an upload to it
 * is. Files added on an earlier visit are not open in this tab: the re-read
 * is refused, naming them, and nothing changes until they are dropped again.
 */
import { describe, expect, it } from 'vitest';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { defaultSettings, type Settings } from '../../src/core/settings/settings';
import type { OpenOptions } from '../../src/db/open';
import { DbStore } from '../../src/worker/dbStore';
import { MemoryStore } from '../../src/worker/memoryStore';
import type { HistoryStore } from '../../src/worker/store';
import { Workspace } from '../../src/worker/workspace';
import { freshProfile } from '../helpers/fake-db';
import { done, refusal } from '../helpers/outcomes';
import { urlLine } from '../helpers/panos-lines';

const noProgress = (): void => undefined;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * A browser's visit starts the history on 1 September; on 20 September at
 * 12:00 (firewall time, no zone) curl posts to a site no one used before.
 */
function log(name: string, site: string): File {
  const lines = [
    urlLine({ time: '2026/09/01 08:00:00', src: '10.0.0.1', url: 'www.example.com/', userAgent: BROWSER }),
    urlLine({ time: '2026/09/20 12:00:00', src: '10.0.0.5', url: `${site}/upload`, userAgent: 'curl/8.4.0', method: 'post' }),
  ];
  return new File([lines.join('\n') + '\n'], name);
}

function workspace(open: () => Promise<HistoryStore>): Workspace {
  return new Workspace(open, (s) => new LocalPool(s));
}

function inDb(profile: OpenOptions): Workspace {
  return workspace(() => DbStore.open(profile));
}

function inMemory(): Workspace {
  return workspace(async () => new MemoryStore({ mode: 'memory', cause: 'separate-session' }));
}

const withZone = (timeZone: string): Settings => ({ ...defaultSettings(), timeZone });

describe('reading the history again under new settings', () => {
  for (const [where, make] of [
    ['IndexedDB', () => inDb(freshProfile())],
    ['memory', inMemory],
  ] as const) {
    it(`moves the alerts' times to a new time zone (${where})`, async () => {
      const ws = make();
      const first = done(await ws.addFiles([log('url.log', 'files-example.net')], noProgress)).analysis;
      expect(first.alerts.map((a) => [a.variation, a.firstSeen])).toEqual([['website_upload', Date.UTC(2026, 8, 20, 12)]]);
      expect(first.zonelessFiles).toBe(1);

      // 12:00 in New York in September (EDT, UTC-4) is 16:00 UTC.
      const again = done(await ws.rebuild(withZone('America/New_York'), noProgress)).analysis;
      expect(again.settings.timeZone).toBe('America/New_York');
      expect(again.alerts.map((a) => [a.variation, a.firstSeen, a.lastSeen])).toEqual([
        ['website_upload', Date.UTC(2026, 8, 20, 16), Date.UTC(2026, 8, 20, 16)],
      ]);
      expect(again.dataStart).toBe(Date.UTC(2026, 8, 1, 12));
      expect(again.filesAdded).toBe(1);
      expect(again.alerts[0].id).not.toBe(first.alerts[0].id);

      // And back: the same answer as the first reading.
      const back = done(await ws.rebuild(withZone('UTC'), noProgress)).analysis;
      expect(back.alerts).toEqual(first.alerts);
    });
  }

  it('keeps what it read under the new zone for the next visit', async () => {
    const profile = freshProfile();
    const ws = inDb(profile);
    done(await ws.addFiles([log('url.log', 'files-example.net')], noProgress));
    done(await ws.rebuild(withZone('Asia/Tokyo'), noProgress));
    const { analysis } = await inDb(profile).open();
    expect(analysis.settings.timeZone).toBe('Asia/Tokyo');
    // 12:00 in Tokyo (UTC+9) is 03:00 UTC.
    expect(analysis.alerts.map((a) => a.firstSeen)).toEqual([Date.UTC(2026, 8, 20, 3)]);
  });

  it('classifies again under new lists: a site added to the text-share list, an app added to the app tokens', async () => {
    const ws = inDb(freshProfile());
    // A desktop app on a browser engine that the app tokens do not name yet: its User-Agent reads as a browser's.
    const app = new File(
      [
        urlLine({ time: '2026/09/21 09:00:00', src: '10.0.0.7', url: 'sync-example.io/', userAgent: `${BROWSER} Acme/1.2.3` }) +
          '\n',
      ],
      'app.log',
    );
    const before = done(await ws.addFiles([log('url.log', 'files-example.net'), app], noProgress)).analysis;
    expect(before.alerts.map((a) => [a.variation, a.client, a.domain])).toEqual([
      ['website_upload', 'curl', 'files-example.net'],
    ]);

    const defaults = defaultSettings();
    const settings = {
      ...defaults,
      textShareSites: [...defaults.textShareSites, 'files-example.net'],
      appTokens: [...defaults.appTokens, 'Acme'],
    };
    const after = done(await ws.rebuild(settings, noProgress)).analysis;
    expect(after.alerts.map((a) => [a.variation, a.severity, a.client, a.domain])).toEqual([
      ['text_share_upload', 'high', 'curl', 'files-example.net'],
      ['website_access', 'informational', 'acme', 'sync-example.io'],
    ]);
    expect(after.settings.textShareSites).toContain('files-example.net');
    expect(after.counts).not.toEqual(before.counts);
  });

  it('is refused, naming the files, when they were added on an earlier visit; nothing changes until they are dropped again', async () => {
    const profile = freshProfile();
    const files = [log('monday.log', 'files-example.net'), log('tuesday.log', 'drop-example.org')];
    done(await inDb(profile).addFiles(files, noProgress));

    const later = inDb(profile);
    const opened = await later.open();
    expect(opened.analysis.filesNotHeld).toBe(2);
    const refused = refusal(await later.rebuild(withZone('America/New_York'), noProgress));
    expect(refused).toEqual({ kind: 'files-not-held', names: ['monday.log', 'tuesday.log'] });
    // Nothing changed, in this tab or in storage.
    expect((await later.open()).analysis).toEqual(opened.analysis);
    expect((await inDb(profile).open()).analysis.settings.timeZone).toBe('UTC');

    // One dropped again is recognised (it adds nothing) and held; the other is still missing.
    const repeat = done(await later.addFiles([files[0]], noProgress));
    expect(repeat.files).toMatchObject({ added: 0, duplicates: [{ name: 'monday.log', of: 'monday.log' }] });
    expect(repeat.analysis.filesNotHeld).toBe(1);
    expect(refusal(await later.rebuild(withZone('America/New_York'), noProgress))).toEqual({
      kind: 'files-not-held',
      names: ['tuesday.log'],
    });

    done(await later.addFiles([files[1]], noProgress));
    const again = done(await later.rebuild(withZone('America/New_York'), noProgress)).analysis;
    expect(again.filesNotHeld).toBe(0);
    expect(again.alerts.map((a) => a.firstSeen)).toEqual([Date.UTC(2026, 8, 20, 16), Date.UTC(2026, 8, 20, 16)]);
  });
});
