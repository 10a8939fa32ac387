// The demo as the tab loads it: each day's firewall (or sensor) file followed
// by its endpoint view, every file made by the worker that reads it; and the
// form a stored demo was loaded in, told by its firewall or sensor file
// whatever the endpoint files were read as.
import { describe, expect, it } from 'vitest';
import { completeReport, type ManifestEntry } from '../../src/core/state/state';
import { demoFormOf, demoInputs } from '../../src/worker/inputs';

const entry = (name: string, format: string | null, demo = true): ManifestEntry => ({
  key: name,
  report: completeReport({ name, format }),
  demo,
  addedAt: 0,
});

describe('the demo inputs', () => {
  it('hold each day’s sensor file and its endpoint view, in that order, each made by index', () => {
    const inputs = demoInputs('zeek');
    expect(inputs.slice(0, 5).map((i) => i.name)).toEqual([
      'http-2026-09-01.log',
      'sysmon-2026-09-01.xml',
      'defender-network-2026-09-01.csv',
      'defender-process-2026-09-01.csv',
      'http-2026-09-02.log',
    ]);
    expect(inputs.map((i) => i.generated?.index)).toEqual(inputs.map((_, i) => i));
    expect(inputs.every((i) => i.demo && i.file === null)).toBe(true);
  });

  it('remember their form by the sensor or firewall file, not by an endpoint file read first', () => {
    const sysmon = entry('sysmon-2026-09-01.xml', 'windows-xml');
    expect(demoFormOf([sysmon, entry('http-2026-09-01.log', 'zeek-tsv')])).toBe('zeek');
    expect(demoFormOf([sysmon, entry('eve-2026-09-01.json', 'suricata-eve')])).toBe('suricata');
    expect(demoFormOf([sysmon, entry('url-2026-09-01.log', 'panos-syslog')])).toBe('panos');
    expect(demoFormOf([sysmon])).toBe('panos');
    expect(demoFormOf([entry('mine.log', 'zeek-tsv', false)])).toBeNull();
  });
});
