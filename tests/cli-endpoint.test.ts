/**
 * `offbrowse detect` given endpoint logs as text beside a firewall log, and a
 * firewall log saved as UTF-16 (as PowerShell's `>` writes it): each is read
 * by its own reader, none is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { offbrowse } from './helpers/cli';
import { samplesFolder } from './helpers/samples';

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-endpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('offbrowse detect with endpoint logs and UTF-16', () => {
  const panos = readFileSync(join(samplesFolder('panos'), 'url_threat_10x_11x__elastic-integrations.log'), 'utf8');
  writeFileSync(join(dir, 'fw.log'), panos);
  writeFileSync(join(dir, 'fw16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(panos, 'utf16le')]));
  writeFileSync(join(dir, 'fw16be.log'), Buffer.from(panos, 'utf16le').swap16());
  const xml = execFileSync('evtxexport', ['-f', 'xml', join(samplesFolder('evtx'), 'sysmon.evtx')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  writeFileSync(join(dir, 'sysmon.xml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
  writeFileSync(
    join(dir, 'net.csv'),
    'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,Protocol,' +
      'InitiatingProcessFileName,InitiatingProcessFolderPath,InitiatingProcessId\r\n' +
      '2024-03-05T10:00:01Z,d1,ws-01,ConnectionSuccess,203.0.113.9,443,x.example,10.0.0.5,50000,Tcp,curl.exe,' +
      'C:\\Windows\\System32\\curl.exe,1000\r\n',
  );

  it('reads UTF-16 (LE with a byte order mark, BE without) as the UTF-8 copy, and the endpoint files by their formats', async () => {
    const run = await offbrowse(['detect', '--json', 'fw.log', 'fw16.log', 'fw16be.log', 'sysmon.xml', 'net.csv'], {
      cwd: dir,
    });
    expect(run.stderr).not.toMatch(/NOT READ/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('file fw.log: panos-syslog, 5 lines');
    expect(run.stderr).toContain('file fw16.log: panos-syslog, 5 lines');
    expect(run.stderr).toContain('file fw16be.log: panos-syslog, 5 lines');
    expect(run.stderr).toMatch(/file sysmon\.xml: windows-xml, [\d,]+ lines/);
    expect(run.stderr).toContain('file net.csv: defender-csv, 2 lines');
    expect(run.stderr).toContain('Sysmon 10 60');
  });
});
