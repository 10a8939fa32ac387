/**
 * The page's pure modules for words and numbers: the sentences it makes of
 * the worker's structured answers (src/ui/messages.ts), how numbers, sizes
 * and times read (src/ui/displayFormat.ts), which settings need the files
 * read again (src/ui/settingsChange.ts) and the report of an uncaught error
 * (src/ui/unexpectedError.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/settings';
import { bytes, count, duration, percent, plural, rate, utcDate, utcTime } from '../../src/ui/displayFormat';
import {
  countWas,
  duplicatesText,
  memoryOnlyReason,
  noticeText,
  notSavedText,
  partlyReadWhat,
  readProblemText,
  refusalText,
  runWhat,
  settingChangeText,
  someNames,
  zonelessText,
} from '../../src/ui/messages';
import { needsReread } from '../../src/ui/settingsChange';
import { unexpectedError } from '../../src/ui/unexpectedError';
import type { Refusal } from '../../src/worker/api';

describe('someNames', () => {
  it('lists up to three names, then says how many more', () => {
    expect(someNames([])).toBe('');
    expect(someNames(['a.log'])).toBe('a.log');
    expect(someNames(['a', 'b', 'c'])).toBe('a, b, c');
    expect(someNames(['a', 'b', 'c', 'd'])).toBe('a, b, c and 1 more');
    expect(someNames(Array.from({ length: 1503 }, (_, i) => `f${i}`))).toBe('f0, f1, f2 and 1,500 more');
  });
});

describe('refusalText', () => {
  const cases: [Refusal, RegExp][] = [
    [{ kind: 'files-gone' }, /^That file is no longer in the history .*Nothing was changed\.$/],
    [
      { kind: 'files-not-removed', names: ['a.log'], reason: 'disk full' },
      /^a\.log was not removed: disk full\. Nothing was changed\.$/,
    ],
    [
      { kind: 'files-not-removed', names: ['a.log', 'b.log'], reason: 'disk full' },
      /^2 files were not removed: disk full\. Nothing was changed\.$/,
    ],
    [
      { kind: 'files-not-held', names: ['mon.log'] },
      /but 1 file \(mon\.log\) was added on an earlier visit and is not open in this tab\. Drop them again .*Nothing was changed\.$/,
    ],
    [
      { kind: 'files-not-held', names: ['a', 'b', 'c', 'd', 'e'] },
      /but 5 files \(a, b, c and 2 more\) were added on an earlier visit and are not open in this tab\./,
    ],
    [
      { kind: 'history-changed' },
      /^The settings were not applied: another tab changed the stored history meanwhile.*Nothing was changed\.$/,
    ],
    [{ kind: 'settings-not-applied', reason: 'quota' }, /^The settings were not applied: quota\. Nothing was changed\.$/],
    [
      { kind: 'file-not-read-again', name: 'x.log', reason: 'not a log' },
      /^x\.log could not be read again: not a log\. Nothing was changed\.$/,
    ],
    [
      { kind: 'state-not-imported', file: 's.jsonl.gz', reason: 'corrupt', cause: 'file' },
      /^s\.jsonl\.gz was not imported: corrupt\. Nothing was changed\.$/,
    ],
    [
      { kind: 'state-not-imported', file: 's.jsonl.gz', reason: 'quota', cause: 'storage' },
      /^s\.jsonl\.gz was not imported: quota\. The stored history is unchanged\.$/,
    ],
    [
      { kind: 'alerts-not-imported', file: 'a.jsonl', reason: 'line 2: bad' },
      /^a\.jsonl was not imported: line 2: bad\. Nothing was changed\.$/,
    ],
    [{ kind: 'not-deleted', reason: 'closed' }, /^Nothing was deleted: closed\.$/],
  ];
  for (const [refusal, text] of cases) {
    it(`words ${refusal.kind}${'cause' in refusal ? ` (${refusal.cause})` : ''}`, () => {
      expect(refusalText(refusal)).toMatch(text);
    });
  }
});

describe('the other answers of the worker', () => {
  it('words a drop not saved, one file or several', () => {
    expect(notSavedText({ names: ['a.log'], bytes: null, reason: 'no room' })).toBe(
      'a.log was not saved, so it was not added: no room. The stored history is as it was.',
    );
    expect(notSavedText({ names: ['a', 'b', 'c', 'd'], bytes: null, reason: 'no room' })).toBe(
      'The 4 files of this drop (a, b, c and 1 more) were not saved, so none of them was added: no room. The stored history is as it was.',
    );
    // What the drop needed, as logs, beside the quota figures of the reason.
    expect(notSavedText({ names: ['a.log'], bytes: 3 * 1024 * 1024, reason: 'no room' })).toBe(
      'a.log (3.0 MB as logs) was not saved, so it was not added: no room. The stored history is as it was.',
    );
  });

  it('words the notices', () => {
    expect(noticeText({ kind: 'imported-alerts', count: 1, file: 'x.jsonl' })).toMatch(
      /^Showing 1 alert imported from x\.jsonl, /,
    );
    expect(noticeText({ kind: 'imported-alerts', count: 1200, file: 'x.jsonl' })).toMatch(
      /^Showing 1,200 alerts imported from x\.jsonl, /,
    );
    expect(noticeText({ kind: 'alerts-not-saved', reason: 'quota' })).toMatch(
      /^The alerts and settings could not be saved: quota\. /,
    );
    expect(noticeText({ kind: 'settings-not-used', reason: 'bad zone' })).toBe(
      'The saved settings were not used, so the defaults apply: bad zone. Set them again in Settings.',
    );
  });

  it('says why the history is in memory only, and nothing when it is stored', () => {
    expect(memoryOnlyReason({ mode: 'indexeddb' })).toBeNull();
    expect(memoryOnlyReason({ mode: 'memory', cause: 'separate-session' })).toMatch(/separate demo session/);
    expect(memoryOnlyReason({ mode: 'memory', cause: 'no-database', reason: 'private window' })).toBe('private window');
    expect(memoryOnlyReason({ mode: 'memory', cause: 'unreadable', reason: 'closed' })).toBe(
      'the stored history could not be read: closed',
    );
  });

  it('names repeats, with the file they repeat when the name differs', () => {
    expect(duplicatesText([])).toBeNull();
    expect(
      duplicatesText([
        { name: 'a.log', of: 'a.log' },
        { name: 'copy.log', of: 'b.log' },
      ]),
    ).toBe('Already in the baseline, so nothing was added from: a.log, copy.log (same content as b.log).');
  });

  it('says what a run did and what went less than well', () => {
    expect(runWhat({ kind: 'files', names: [] })).toBe('found nothing new to read');
    expect(runWhat({ kind: 'files', names: ['a.log'] })).toBe('read a.log');
    expect(runWhat({ kind: 'files', names: ['a.log', 'b.log'] })).toBe('read 2 files');
    expect(runWhat({ kind: 'demo', form: 'zeek' })).toBe('loaded the Zeek sensor demo');
    expect(runWhat({ kind: 'remove', names: ['a.log'] })).toBe('removed a.log');
    expect(runWhat({ kind: 'settings', reread: true })).toBe('applied the settings and read everything again');
    expect(partlyReadWhat(2, 3)).toBe('read 2 of 3 files');
    expect(readProblemText(0, 0)).toBeNull();
    expect(readProblemText(1, 2)).toBe('1 file was not read (the reason is below); 2 files are already in the baseline');
  });
});

describe('displayFormat', () => {
  it('writes numbers, shares, sizes and rates', () => {
    expect(count(1234567.4)).toBe('1,234,567');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(1, 10_000)).toBe('<0.1%');
    expect(percent(0, 0)).toBe('0%');
    expect(bytes(1023)).toBe('1,023 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(bytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(rate(3 * 1024 * 1024)).toBe('3.0 MB/s');
  });

  it('writes durations and UTC times', () => {
    expect(duration(400)).toBe('<1 s');
    expect(duration(59_400)).toBe('59 s');
    expect(duration(125_000)).toBe('2 min 5 s');
    expect(duration(3_720_000)).toBe('1 h 2 min');
    expect(utcTime(Date.UTC(2026, 9, 20, 13, 4, 5))).toBe('2026-10-20 13:04:05');
    expect(utcDate(Date.UTC(2026, 9, 20, 23, 59))).toBe('2026-10-20');
  });
});

describe('needsReread', () => {
  const base = defaultSettings();

  it('is true for what is used while reading: the time zone and the three lists', () => {
    expect(needsReread(base, { ...base, timeZone: 'Europe/Paris' })).toBe(true);
    expect(needsReread(base, { ...base, textShareSites: [...base.textShareSites, 'x.example'] })).toBe(true);
    expect(needsReread(base, { ...base, browserProcesses: base.browserProcesses.slice(1) })).toBe(true);
    expect(needsReread(base, { ...base, appTokens: [...base.appTokens].reverse() })).toBe(true);
  });

  it('is false for settings detection alone uses', () => {
    expect(needsReread(base, { ...base })).toBe(false);
    expect(needsReread(base, { ...base, rareHosts: base.rareHosts + 1, trainingDays: 7, uploadMinBytes: 1 })).toBe(false);
    expect(needsReread(base, { ...base, suppress: [{ client: 'curl', domain: 'example.com' }] })).toBe(false);
  });
});

describe('unexpectedError', () => {
  it('reports an Error with its message and stack, and how it surfaced', () => {
    const e = new TypeError('x is undefined');
    const r = unexpectedError('unhandled rejection', e);
    expect(r?.message).toBe('x is undefined');
    expect(r?.details.split('\n').slice(0, 2)).toEqual(['Offbrowse: unexpected unhandled rejection', 'x is undefined']);
    expect(r?.details).toContain(e.stack);
  });

  it('reports what is not an Error as text, or the event message when there is nothing else', () => {
    expect(unexpectedError('unhandled rejection', 'disk full')?.details).toBe(
      'Offbrowse: unexpected unhandled rejection\ndisk full',
    );
    expect(unexpectedError('error', null, 'Script error.', 'app.js:3:9')?.details).toBe(
      'Offbrowse: unexpected error\nScript error.\nat app.js:3:9',
    );
    expect(unexpectedError('error', undefined)?.message).toBe('an error without a message');
  });

  it("leaves out the browser's ResizeObserver loop notice, which is not an error", () => {
    expect(unexpectedError('error', null, 'ResizeObserver loop completed with undelivered notifications.')).toBeNull();
  });
});

describe('plurals', () => {
  it('count a thing and its verb as one or many', () => {
    expect(countWas(1, 'file')).toBe('1 file was');
    expect(countWas(3, 'file')).toBe('3 files were');
    expect(countWas(0, 'file')).toBe('0 files were');
    expect(zonelessText(1)).toBe('PAN-OS writes its log times without a time zone: 1 file was read as');
    expect(zonelessText(45)).toBe('PAN-OS writes its log times without a time zone: 45 files were read as');
    expect(readProblemText(1, 1)).toBe('1 file was not read (the reason is below); 1 file is already in the baseline');
  });

  it("say the settings banner's numbers in the singular for one", () => {
    const s = { ...defaultSettings(), rareHosts: 1, trainingDays: 1, dedupHours: 2, uploadMinBytes: 1 };
    expect(settingChangeText('rareHosts', s)).toBe('rare below 1 host (default 3)');
    expect(settingChangeText('trainingDays', s)).toBe('training window 1 day (default 30)');
    expect(settingChangeText('dedupHours', s)).toBe('deduplication 2 hours (default 24)');
    expect(settingChangeText('uploadMinBytes', s)).toMatch(/^smallest upload 1 byte \(default /);
    expect(settingChangeText('suppress', { ...s, suppress: [{ client: 'curl', domain: 'a.b' }] })).toBe('1 suppression');
    expect(settingChangeText('textShareSites', { ...s, textShareSites: ['a.b'] })).toMatch(
      /^text-share sites edited \(1 entry, default \d+\)$/,
    );
  });
});
