/**
 * What the CLI prints to a terminal holds no character the terminal would act
 * on: a User-Agent, a host, a URL or a file name with escape sequences or bidi
 * overrides is shown escaped in the alert table, the summary, the skip examples
 * and the `events` lines (core/strings.ts terminalText), while `--json` keeps
 * the values exactly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { offbrowse } from './helpers/cli';
import { urlLine } from './helpers/panos-lines';

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UA = 'evil\x1b[31mred\x1b]0;title\x07/1.0 \u202egnp.exe';
const HOST = '10.0.0.1\u202e\u2066';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Anything a terminal acts on: C0 but line feed, DEL, C1, and the bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const name = join(dir, 'x\x1b[31m\u202e.log');
writeFileSync(
  name,
  [
    // A browser a week before, so the baseline (activationDays 1) is active at the hostile event.
    urlLine({
      time: '2026/09/10 12:00:00',
      src: '10.0.0.2',
      url: 'www.example.org/',
      userAgent: BROWSER,
      contentType: 'text/html',
      method: 'get',
    }),
    urlLine({
      time: '2026/09/16 12:00:00',
      src: HOST,
      url: 'rare\x1b[2J.example/x',
      userAgent: UA,
      contentType: 'text/html',
      method: 'get',
    }),
    'junk line \x1b[31m here',
  ].join('\n') + '\n',
);
const settings = join(dir, 'settings.json');
writeFileSync(settings, '{"activationDays": 1}');

describe('terminal output', () => {
  it('escapes control and bidi characters in the table and the summary', async () => {
    const r = await offbrowse(['detect', '--settings', settings, name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(UNSAFE);
    expect(r.stderr).not.toMatch(UNSAFE);
    // The table: the client key from the User-Agent, the host, the domain.
    expect(r.stdout).toContain('evil\\x1b[31mred\\x1b]0;title\\x07');
    expect(r.stdout).toContain('10.0.0.1\\u202e\\u2066');
    expect(r.stdout).toContain('rare\\x1b[2j.example');
    // The summary: the file name, and the skip example that names it.
    expect(r.stderr).toContain('file x\\x1b[31m\\u202e.log: panos-syslog, 3 lines');
    expect(r.stderr).toContain('(e.g. x\\x1b[31m\\u202e.log:3)');
  });

  it('keeps --json exact: it is data', async () => {
    const r = await offbrowse(['detect', '--json', '--settings', settings, name]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout) as { host: string; client: string; evidence: { user_agent: string }[] };
    expect(record.host).toBe(HOST);
    expect(record.evidence[0].user_agent).toBe(UA);
    // JSON escapes the C0 controls itself and leaves the bidi characters as they are.
    expect(r.stdout).toContain('\u202e');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stderr).not.toMatch(UNSAFE);
  });

  it('escapes file names in the lines events writes', async () => {
    const r = await offbrowse(['events', '--out', join(dir, 'out\x1b[0m'), name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(UNSAFE);
    expect(r.stderr).toContain('file x\\x1b[31m\\u202e.log: panos-syslog');
    expect(r.stderr).toContain('out\\x1b[0m/events-');
  });

  it('escapes them in error lines', async () => {
    const r = await offbrowse(['sql-result', join(dir, 'no\x1b]0;such\x07.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(UNSAFE);
    expect(r.stderr).toContain('no\\x1b]0;such\\x07.csv');
  });
});
