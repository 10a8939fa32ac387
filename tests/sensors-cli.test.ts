/**
 * `offbrowse detect` over a mixed drop (the mixed-sources case: a PAN-OS
 * syslog file, a Zeek http.log, a Suricata eve.json), in one run and over
 * two runs through a state file, which keeps one baseline whichever source
 * a file came from and recognises a sensor file given again.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../src/cli/stateFile';
import { alertCsvRow, ALERT_CSV_HEADER } from '../src/core/alerts/alertCsv';
import type { AlertRecord } from '../src/core/alerts/record';
import { offbrowse as runCli, type CliRun } from './helpers/cli';

const offbrowse = (args: string[], cwd: string): Promise<CliRun> => runCli(args, { cwd });

const CASE = fileURLToPath(new URL('./cases/mixed-sources/', import.meta.url));
const FILES = ['input-1.log', 'input-2.log', 'input-3.json'];

const records = (r: CliRun): AlertRecord[] =>
  r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AlertRecord);
const brief = (a: AlertRecord): unknown[] => [a.variation, a.host, a.user, a.client, a.domain, a.first_seen, a.count];

let dir = '';
const res: Record<string, CliRun> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-sensors-cli-'));
  for (const f of FILES) copyFileSync(join(CASE, f), join(dir, f));
  writeFileSync(join(dir, 'zeek-again.log.gz'), gzipSync(readFileSync(join(dir, 'input-2.log'))));
  const [one, formatAlone, formatBad] = await Promise.all([
    offbrowse(['detect', '--threads', '1', '--json', ...FILES], dir),
    offbrowse(['detect', '--format', 'zeek', 'input-2.log'], dir),
    offbrowse(['detect', '--demo', '--format', 'pcap'], dir),
    offbrowse(['detect', '--threads', '1', '--json', '--state', 'state.jsonl.gz', 'input-1.log'], dir).then(async (first) => {
      res.first = first;
      res.second = await offbrowse(
        ['detect', '--threads', '1', '--json', '--state', 'state.jsonl.gz', 'input-3.json', 'input-2.log'],
        dir,
      );
      res.third = await offbrowse(['detect', '--threads', '1', '--json', '--state', 'state.jsonl.gz', 'zeek-again.log.gz'], dir);
    }),
  ]);
  Object.assign(res, { one, formatAlone, formatBad });
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('offbrowse detect over PAN-OS, Zeek and Suricata files', () => {
  it('reads all three in one run, naming each format', () => {
    expect(res.one.code).toBe(0);
    expect(res.one.stderr).toMatch(/file input-1\.log: panos-syslog, 5 lines/);
    expect(res.one.stderr).toMatch(/file input-2\.log: zeek-tsv, 12 lines/);
    expect(res.one.stderr).toMatch(/file input-3\.json: suricata-eve, 4 lines/);
    expect(records(res.one).map(brief)).toEqual([
      ['website_access', '10.5.0.9', 'corp\\erin', 'curl', 'mixed-rare.com', '2026-03-16T10:00:00.000Z', 3],
      ['website_access', '10.5.0.6', null, 'wget', 'mixed-two.com', '2026-03-16T11:00:00.000Z', 1],
    ]);
  });

  it('gives the same alerts over two runs through a state file, and knows a sensor file given again', async () => {
    expect([res.first.code, res.second.code, res.third.code]).toEqual([0, 0, 0]);
    // The firewall's file alone: 10.5.0.9's request is the alert's only event.
    expect(records(res.first).map(brief)).toEqual([
      ['website_access', '10.5.0.9', 'corp\\erin', 'curl', 'mixed-rare.com', '2026-03-16T10:00:00.000Z', 1],
    ]);
    expect(records(res.second)).toEqual(records(res.one));
    expect(res.third.stderr).toMatch(/zeek-again\.log\.gz: already read \(same content as input-2\.log\)/);
    expect(records(res.third)).toEqual(records(res.second));
    const state = await openState(join(dir, 'state.jsonl.gz'));
    await state.finish().catch(() => undefined);
    expect(state.header.files.map((f) => [f.report.name, f.report.format])).toEqual([
      ['input-1.log', 'panos-syslog'],
      ['input-3.json', 'suricata-eve'],
      ['input-2.log', 'zeek-tsv'],
    ]);
  });

  it('writes a sensor alert without a user: null in JSON, an empty cell in CSV', () => {
    const sensor = records(res.one).find((r) => r.host === '10.5.0.6');
    expect(sensor?.user).toBeNull();
    expect(sensor?.evidence[0].user).toBeNull();
    const row = alertCsvRow(sensor as AlertRecord);
    expect(row[ALERT_CSV_HEADER.indexOf('user')]).toBeNull();
  });

  it('takes --format only with --demo, and only a known form', () => {
    expect(res.formatAlone.code).toBe(2);
    expect(res.formatAlone.stderr).toContain('--format goes with --demo');
    expect(res.formatBad.code).toBe(2);
    expect(res.formatBad.stderr).toContain('--format must be one of syslog, csv, zeek, zeek-json, suricata');
  });
});
