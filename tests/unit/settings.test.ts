import { describe, expect, it } from 'vitest';
import { detect } from '../oracle/detector';
import type { Candidate } from '../../src/core/events/event';
import { toRecord } from '../../src/core/alerts/record';
import { changedSettings, defaultSettings, resolveSettings, SETTING_RANGES } from '../../src/core/settings/settings';

describe('settings ranges', () => {
  it("accepts each range's ends and refuses just past them, saying why", () => {
    for (const [key, r] of Object.entries(SETTING_RANGES)) {
      expect(resolveSettings({ [key]: r.min })[key as keyof typeof SETTING_RANGES]).toBe(r.min);
      expect(resolveSettings({ [key]: r.max })[key as keyof typeof SETTING_RANGES]).toBe(r.max);
      const below = r.min - (r.whole ? 1 : 0.01);
      expect(() => resolveSettings({ [key]: below })).toThrow(
        new RegExp(`"${key}" must be from ${r.min} to ${r.max} ${r.unit} \\(.+\\); got ${below}`),
      );
      expect(() => resolveSettings({ [key]: r.max + 1 })).toThrow(new RegExp(`"${key}" must be from`));
    }
  });

  it('refuses a 0-day window, a fraction of a host, and text for a number', () => {
    expect(() => resolveSettings({ trainingDays: 0 })).toThrow(/trainingDays.*nearly every event new/);
    expect(() => resolveSettings({ rareHosts: 2.5 })).toThrow(/"rareHosts" must be a whole number/);
    expect(() => resolveSettings({ dedupHours: '24' })).toThrow(/"dedupHours" must be a number/);
  });

  it('keeps fractions where the unit allows them', () => {
    expect(resolveSettings({ trainingDays: 0.5, dedupHours: 1.5 })).toMatchObject({ trainingDays: 0.5, dedupHours: 1.5 });
  });
});

describe('suppression list', () => {
  it('normalises entries: keys lower case, texts trimmed, an empty host is every host, repeats once', () => {
    const s = resolveSettings({
      suppress: [
        { client: ' Go-HTTP-Client ', domain: 'BadCDN.top' },
        { client: 'curl', domain: 'example.com', host: ' 10.0.0.1 ' },
        { client: 'curl', domain: 'example.com', host: '' },
        { client: 'go-http-client', domain: 'badcdn.top' },
      ],
    });
    expect(s.suppress).toEqual([
      { client: 'go-http-client', domain: 'badcdn.top' },
      { client: 'curl', domain: 'example.com', host: '10.0.0.1' },
      { client: 'curl', domain: 'example.com' },
    ]);
  });

  it('refuses entries without a client or domain, with unknown fields, or not a list', () => {
    expect(() => resolveSettings({ suppress: [{ client: 'curl' }] })).toThrow(/suppression 1: "domain" must be text/);
    expect(() => resolveSettings({ suppress: [{ client: ' ', domain: 'x.com' }] })).toThrow(/must not be empty/);
    expect(() => resolveSettings({ suppress: [{ client: 'curl', domain: 'x.com', user: 'bob' }] })).toThrow(
      /unknown field "user"/,
    );
    expect(() => resolveSettings({ suppress: { client: 'curl' } })).toThrow(/must be a list/);
  });

  it("keeps an entry's reason, author and date (trimmed), and refuses a date not written YYYY-MM-DD or an overlong note", () => {
    const s = resolveSettings({
      suppress: [{ client: 'curl', domain: 'x.com', reason: ' vendor updater ', author: 'Noor T.', added: '2026-12-07' }],
    });
    expect(s.suppress).toEqual([
      { client: 'curl', domain: 'x.com', reason: 'vendor updater', author: 'Noor T.', added: '2026-12-07' },
    ]);
    // Absent, null or blank: not kept, so an entry of an older state reads as it did.
    expect(resolveSettings({ suppress: [{ client: 'curl', domain: 'x.com', reason: ' ', author: null }] }).suppress).toEqual([
      { client: 'curl', domain: 'x.com' },
    ]);
    expect(() => resolveSettings({ suppress: [{ client: 'curl', domain: 'x.com', added: '7 Dec' }] })).toThrow(
      /suppression 1: "added" must be a date, YYYY-MM-DD/,
    );
    expect(() => resolveSettings({ suppress: [{ client: 'curl', domain: 'x.com', reason: 'x'.repeat(501) }] })).toThrow(
      /"reason" is longer than 500 characters/,
    );
  });

  it('is a setting that differs from the defaults', () => {
    expect(changedSettings(defaultSettings())).toEqual([]);
    expect(changedSettings(resolveSettings({ trainingDays: 7, suppress: [{ client: 'curl', domain: 'x.com' }] }))).toEqual([
      'trainingDays',
      'suppress',
    ]);
  });
});

describe('the history an explanation had', () => {
  const DAY = 86_400_000;
  const start = Date.UTC(2026, 8, 1);
  const event = (time: number, host: string): Candidate => ({
    time,
    host,
    user: '',
    userAgent: 'curl/8.4.0',
    image: '',
    url: 'www.example.com/',
    hostname: 'www.example.com',
    path: '/',
    method: 'GET',
    contentType: 'text/html',
    bytesOut: null,
    bytesIn: null,
    action: 'allow',
    source: { file: 'f.log', line: 1 },
    session: '',
    client: 'curl',
    domain: 'example.com',
  });

  it('says when less than the window existed before the alert, and when the whole window did', () => {
    const settings = defaultSettings();
    const d = detect(
      [event(start + 14 * DAY + 10 * 3_600_000, '10.0.0.1'), event(start + 40 * DAY, '10.0.0.2')],
      start,
      settings,
    );
    const [short, full] = d.alerts.map((a) => toRecord(a, settings).explanation);
    expect(short).toMatchObject({
      history_start: '2026-09-01T00:00:00.000Z',
      history_days: 14.41,
      history_covers_window: false,
      window_days: 30,
    });
    expect(full).toMatchObject({ history_days: 40, history_covers_window: true });
  });
});
