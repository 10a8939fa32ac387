/**
 * Alerts detected elsewhere (detect --json from any engine, sql-result, the
 * tab's own export) read back into the detector's alerts: records that come
 * out exactly as they went in, and a clear refusal naming the line otherwise.
 */
import { describe, expect, it } from 'vitest';
import { AlertsImportError, parseAlertLines } from '../../src/core/alerts/import';
import { toRecord } from '../../src/core/alerts/record';
import { caseNames, inputs, loadCase } from '../helpers/cases';
import { runCore } from '../helpers/run-core';

async function caseLines(name: string): Promise<string> {
  const c = loadCase(name);
  const run = await runCore(inputs(c), c.settings);
  return run.records.map((r) => JSON.stringify(r) + '\n').join('');
}

describe('alerts import', () => {
  it('gives back the records it read, byte for byte, for every case with alerts', async () => {
    let withAlerts = 0;
    for (const name of caseNames()) {
      const text = await caseLines(name);
      if (text === '') continue;
      withAlerts++;
      const got = parseAlertLines(text);
      expect(got.alerts.map((a) => JSON.stringify(toRecord(a, got.settings)) + '\n').join(''), name).toBe(text);
      expect(got.settings).toEqual(loadCase(name).settings);
    }
    expect(withAlerts).toBeGreaterThan(20);
  });

  it("keeps the triage of the tab's export, and none for an alert nobody triaged", async () => {
    const [first, second] = (await caseLines('ties-equal-times'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const lines = [
      { ...first, triage: { status: 'benign', note: 'backup job', changed_at: '2026-03-17T08:00:00.000Z' } },
      { ...second, triage: { status: 'new', note: '', changed_at: null } },
    ]
      .map((r) => JSON.stringify(r))
      .join('\r\n');
    const got = parseAlertLines(lines);
    expect(got.triage).toEqual({
      [String(first.id)]: { status: 'benign', note: 'backup job', changedAt: '2026-03-17T08:00:00.000Z' },
    });
  });

  it("reads an evidence event's process and whether its User-Agent claimed a browser, and gives them back as they were", async () => {
    const [line] = (await caseLines('ties-equal-times')).trim().split('\n');
    const rec = JSON.parse(line) as { evidence: Record<string, unknown>[] } & Record<string, unknown>;
    const process = {
      computer: 'WS-0042',
      image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      pid: 4242,
      user: 'CORP\\ann',
      command_line: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
      parent_image: null,
    };
    const stitched = {
      ...rec,
      evidence: [{ ...rec.evidence[0], process, user_agent_claims_browser: true }, ...rec.evidence.slice(1)],
    };
    const text = JSON.stringify(stitched) + '\n';
    const got = parseAlertLines(text);
    expect(got.alerts[0].evidence[0].process).toEqual({
      computer: 'WS-0042',
      image: process.image,
      pid: 4242,
      user: 'CORP\\ann',
      commandLine: process.command_line,
      parentImage: null,
    });
    expect(got.alerts[0].evidence[0].uaClaimsBrowser).toBe(true);
    expect(JSON.stringify(toRecord(got.alerts[0], got.settings)) + '\n').toBe(text);

    // A record written before endpoint data existed has neither field: no process, no claim.
    const { process: _p, user_agent_claims_browser: _u, ...older } = rec.evidence[0];
    const old = parseAlertLines(JSON.stringify({ ...rec, evidence: [older, ...rec.evidence.slice(1)] }));
    expect(old.alerts[0].evidence[0].process).toBeNull();
    expect(old.alerts[0].evidence[0].uaClaimsBrowser).toBe(false);

    const bad = (e: Record<string, unknown>): string => JSON.stringify({ ...rec, evidence: [{ ...rec.evidence[0], ...e }] });
    expect(() => parseAlertLines(bad({ process: 'powershell.exe' }))).toThrow(
      /^line 1: evidence 1: "process" is neither an object nor null/,
    );
    expect(() => parseAlertLines(bad({ process: { ...process, pid: -1 } }))).toThrow(
      /evidence 1: process "pid" is not a whole number/,
    );
    expect(() => parseAlertLines(bad({ process: { ...process, user: 7 } }))).toThrow(/evidence 1: process "user" is not text/);
    expect(() => parseAlertLines(bad({ user_agent_claims_browser: 'yes' }))).toThrow(
      /evidence 1: "user_agent_claims_browser" is not true or false/,
    );
  });

  it('refuses a file with a bad line, naming the line and the fault', async () => {
    const text = await caseLines('ties-equal-times');
    const [a, b] = text.trim().split('\n');
    const rec = JSON.parse(a) as Record<string, unknown>;
    const bad = (r: Record<string, unknown>): string => `${b}\n\n${JSON.stringify(r)}\n`;
    const cases: [string, RegExp][] = [
      ['', /no alert records/],
      [`${b}\nnot json\n`, /^line 2: not JSON/],
      [bad({ ...rec, variation: 'other' }), /^line 3: unknown variation "other"/],
      [bad({ ...rec, count: 0 }), /^line 3: "count" is not a whole number >= 1/],
      [bad({ ...rec, first_seen: '2026-03-16 10:00:00' }), /^line 3: "first_seen" is not an ISO 8601/],
      [bad({ ...rec, evidence: [] }), /^line 3: "evidence" is not a list/],
      [bad({ ...rec, id: 'x' }), /^line 3: "id" is "x"/],
      [bad({ ...rec, settings: { ...(rec.settings as object), rareHosts: 9 } }), /^line 3: made under other settings/],
      [bad({ ...rec, settings: { bogus: 1 } }), /^line 3: made under other settings/],
      [JSON.stringify({ ...rec, settings: { bogus: 1 } }), /^line 1: settings: unknown setting "bogus"/],
      [
        bad({ ...rec, evidence: [{ ...(rec.evidence as object[])[0], bytes_out: -1 }] }),
        /^line 3: evidence 1: "bytes_out" is neither/,
      ],
      [bad({ ...rec, triage: { status: 'closed', note: '', changed_at: null } }), /^line 3: triage status "closed"/],
      ['[1,2]\n', /^line 1: not a JSON object/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseAlertLines(input)).toThrow(AlertsImportError);
      expect(() => parseAlertLines(input)).toThrow(message);
    }
  });
});
