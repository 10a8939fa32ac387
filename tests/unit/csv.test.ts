import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/core/util/csv';
import { ALERT_CSV_HEADER, alertCsvRow } from '../../src/core/alerts/alertCsv';
import type { Alert } from '../../src/core/alerts/alert';
import { toRecord } from '../../src/core/alerts/record';
import { defaultSettings } from '../../src/core/settings/settings';
import { csvExport, TRIAGE_CSV_HEADER } from '../../src/worker/exports';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rin', '"cr\rin"'],
    [' padded ', '" padded "'],
    ['ünïcödé', 'ünïcödé'],
  ])('quotes %j as %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('neutralises the formula %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it('leaves characters after the first alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('curl/8.4.0 -X POST')).toBe('curl/8.4.0 -X POST');
  });

  it('writes numbers, booleans and null as they are', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(1.5)).toBe('1.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
  });
});

describe("the worker's CSV export", () => {
  const alert: Alert = {
    variation: 'text_share_upload',
    host: '10.1.2.3',
    user: 'corp\\alice',
    client: 'curl',
    domain: 'pastebin.com',
    firstSeen: Date.UTC(2026, 9, 20, 13, 4, 5),
    lastSeen: Date.UTC(2026, 9, 20, 14, 0, 0),
    count: 2,
    explanation: {
      hostsWithKeyInWindow: 1,
      hostSeenKeyInWindow: false,
      windowDays: 30,
      rareHosts: 3,
      upload: true,
      historyMs: 40 * 86_400_000,
    },
    evidence: [
      {
        time: Date.UTC(2026, 9, 20, 13, 4, 5),
        host: '10.1.2.3',
        user: 'corp\\alice',
        userAgent: 'curl/8.4.0',
        url: 'pastebin.com/api/api_post.php?x="=1"',
        method: 'POST',
        contentType: '',
        bytesOut: 2048,
        bytesIn: null,
        action: 'allow',
        source: { file: 'url.csv', line: 1234 },
        process: null,
        uaClaimsBrowser: false,
      },
    ],
  };
  const record = toRecord(alert, defaultSettings());

  it('has one cell per header column', () => {
    expect(alertCsvRow(record)).toHaveLength(ALERT_CSV_HEADER.length);
  });

  it('writes a byte order mark, a header and one CRLF-ended row per alert, triage last', async () => {
    const settings = defaultSettings();
    const out = csvExport({ alerts: [alert], settings, triage: {}, now: new Date(Date.UTC(2026, 9, 21)) });
    expect(out.alerts).toBe(1);
    expect(out.fileName).toBe('offbrowse-alerts-20261021T000000Z.csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await out.blob.arrayBuffer());
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('\uFEFF' + [...ALERT_CSV_HEADER, ...TRIAGE_CSV_HEADER].join(','));
    expect(lines[1]).toBe(
      'text_share_upload|10.1.2.3|curl|pastebin.com|2026-10-20T13:04:05.000Z,high,text_share_upload,' +
        'Suspicious content upload to a known text share website by Non browser process,10.1.2.3,corp\\alice,' +
        'curl,pastebin.com,2026-10-20T13:04:05.000Z,2026-10-20T14:00:00.000Z,2,TA0011,T1102,1,false,30,3,true,' +
        '"pastebin.com/api/api_post.php?x=""=1""",POST,curl/8.4.0,allow,url.csv:1234,false,,,,,,,new,,',
    );
    expect(lines[2]).toBe('');
    expect(lines).toHaveLength(3);
  });

  it("writes the first event's process, its texts neutralised like the log's, and whether a User-Agent claimed a browser", async () => {
    const stitched: Alert = {
      ...alert,
      client: 'powershell.exe',
      evidence: [
        {
          ...alert.evidence[0],
          userAgent:
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
          process: {
            computer: 'WS-0042',
            image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
            pid: 4242,
            user: null,
            commandLine: '=cmd|\' /C calc\'!A0 -enc "SQBFAFgA"',
            parentImage: '@C:\\Windows\\explorer.exe',
          },
          uaClaimsBrowser: true,
        },
      ],
    };
    const out = csvExport({ alerts: [stitched], settings: defaultSettings(), triage: {} });
    const text = new TextDecoder().decode(await out.blob.arrayBuffer());
    const row = text.split('\r\n')[1];
    expect(row).toContain(
      ',true,WS-0042,C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe,4242,,' +
        `"'=cmd|' /C calc'!A0 -enc ""SQBFAFgA""",'@C:\\Windows\\explorer.exe,new,,`,
    );
    const header = [...ALERT_CSV_HEADER];
    const cells = alertCsvRow(toRecord(stitched, defaultSettings()));
    expect(cells[header.indexOf('first_process_user')]).toBeNull();
    expect(cells[header.indexOf('first_process_pid')]).toBe(4242);
    expect(cells[header.indexOf('first_user_agent_claims_browser')]).toBe(true);
  });
});
