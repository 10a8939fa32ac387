/**
 * `offbrowse detect` as a user runs it: exit codes, messages and the --json
 * output. Each spawn costs about half a second, so all of them start at once
 * in beforeAll and the tests only read their results.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlLine, type UrlRowSpec } from './helpers/panos-lines';
import { offbrowse as runCli, type CliRun } from './helpers/cli';

const offbrowse = (args: string[], cwd: string): Promise<CliRun> => runCli(args, { cwd });

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const row = (r: Partial<UrlRowSpec> & Pick<UrlRowSpec, 'time' | 'src' | 'url'>): string =>
  urlLine({ userAgent: 'curl/8.4.0', ...r });

/** Three alerts, written out of output order (first_seen, then host as a string). */
const GOOD =
  [
    row({ time: '2026/03/01 00:00:00', src: '10.9.9.9', url: 'www.example.org/', userAgent: CHROME }),
    row({ time: '2026/03/16 12:00:00', src: '10.0.0.9', url: 'pastebin.com/raw/abc' }),
    row({ time: '2026/03/16 12:00:00', src: '10.0.0.10', url: 'www.cli-a.com/' }),
    row({ time: '2026/03/16 09:00:00', src: '192.168.0.1', url: 'pastebin.com/api/api_post.php', method: 'post' }),
  ].join('\n') + '\n';

const complete = row({ time: '2026/03/16 13:00:00', src: '10.0.0.20', url: 'www.cli-b.com/' });
const cut = row({ time: '2026/03/16 13:30:00', src: '10.0.0.21', url: 'www.cli-c.com/path' });
/** A log copied while being written: the last line stops inside the quoted URL. */
const TRUNCATED = complete + '\n' + cut.slice(0, cut.indexOf('www.cli-c.com/pa') + 16);

let dir = '';
const runs: Record<string, Promise<CliRun>> = {};
const res: Record<string, CliRun> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-cli-'));
  writeFileSync(join(dir, 'good.log'), GOOD);
  writeFileSync(join(dir, 'empty.log'), '');
  writeFileSync(join(dir, 'truncated.log'), TRUNCATED);
  writeFileSync(
    join(dir, 'image.png'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]),
  );
  writeFileSync(join(dir, 'alerts.json'), '{"alerts": [{"host": "10.0.0.1"}]}\n');
  writeFileSync(join(dir, 'notes.txt'), 'meeting notes\nnothing to see, here\n');
  runs.noArgs = offbrowse([], dir);
  runs.unknownOption = offbrowse(['detect', '--bogus', 'good.log'], dir);
  runs.noFiles = offbrowse(['detect', '--json'], dir);
  runs.ok = offbrowse(['detect', '--json', 'good.log', 'empty.log', 'truncated.log'], dir);
  runs.bad = offbrowse(['detect', '--json', 'good.log', 'image.png', 'alerts.json', 'notes.txt', 'missing.log'], dir);
  for (const [k, p] of Object.entries(runs)) res[k] = await p;
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

interface Line {
  variation: string;
  host: string;
  first_seen: string;
}

function jsonLines(stdout: string): Line[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => {
    const v: unknown = JSON.parse(l);
    expect(v !== null && typeof v === 'object' && !Array.isArray(v), 'each line is one JSON object').toBe(true);
    return v as Line;
  });
}

describe('offbrowse detect', () => {
  it('exits 2 with the usage when given no arguments', () => {
    expect(res.noArgs.code).toBe(2);
    expect(res.noArgs.stdout + res.noArgs.stderr).toMatch(/usage:/);
  });

  it('exits 2 on an unknown option, naming it', () => {
    expect(res.unknownOption.code).toBe(2);
    expect(res.unknownOption.stderr).toContain('unknown option --bogus');
    expect(res.unknownOption.stdout).toBe('');
  });

  it('exits 2 when no files are given', () => {
    expect(res.noFiles.code).toBe(2);
    expect(res.noFiles.stderr).toContain('no input files');
  });

  it('--json prints one object a line, ordered by first_seen then host as a string', () => {
    expect(res.ok.code).toBe(0);
    const got = jsonLines(res.ok.stdout).map((r) => [r.first_seen, r.host, r.variation]);
    expect(got).toEqual([
      ['2026-03-16T09:00:00.000Z', '192.168.0.1', 'text_share_upload'],
      ['2026-03-16T12:00:00.000Z', '10.0.0.10', 'website_access'],
      ['2026-03-16T12:00:00.000Z', '10.0.0.9', 'text_share_download'],
      ['2026-03-16T13:00:00.000Z', '10.0.0.20', 'website_access'],
    ]);
  });

  it('reads an empty file without complaint and counts a truncated last line with file:line', () => {
    const err = res.ok.stderr;
    expect(err).not.toMatch(/empty\.log: NOT READ/);
    expect(err).toMatch(/skipped lines: 1\b/);
    expect(err).toMatch(/truncated\.log:2\b/);
  });

  it('reports unreadable inputs, exits 2, and still prints the alerts of the others', () => {
    const { code, stdout, stderr } = res.bad;
    expect(code).toBe(2);
    expect(jsonLines(stdout)).toHaveLength(3);
    for (const name of ['image.png', 'alerts.json', 'notes.txt']) {
      expect(stderr).toMatch(new RegExp(`${name.replace('.', '\\.')}: NOT READ: .*not a recognised log format`));
    }
    expect(stderr).toMatch(/image\.png: NOT READ: .*binary/);
    expect(stderr).toMatch(/missing\.log.*(ENOENT|no such file)/);
  });
});
