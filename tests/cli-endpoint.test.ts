/**
 * `offbrowse detect` given endpoint logs as text beside a firewall log, and a
 * firewall log saved as UTF-16 (as PowerShell's `>` writes it): each is read
 * by its own reader, none is refused.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

describe('offbrowse detect with an endpoint log given through a pipe', () => {
  it("reads the pipe whole and keeps the URL log's browser rows for stitching: a pipe's head is not looked at before the map", async () => {
    const spoofed = fileURLToPath(new URL('cases/stitch-spoofed-browser-ua/', import.meta.url));
    writeFileSync(join(dir, 'url.log'), readFileSync(join(spoofed, 'input.log')));
    const fifo = join(dir, 'sysmon-pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer blocks until offbrowse opens the pipe, as `<(cat ...)` would.
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', join(spoofed, 'input-endpoint.xml'), fifo], { stdio: 'ignore' });
    // A run that blocks on the pipe (opened a second time, with no writer left) is stopped, not left behind.
    let child: ChildProcess | undefined;
    const stop = setTimeout(() => child?.kill('SIGKILL'), 20_000);
    const run = await offbrowse(['detect', '--json', 'url.log', 'sysmon-pipe'], { cwd: dir, onStart: (c) => (child = c) });
    clearTimeout(stop);
    writer.kill();
    expect(run.code).toBe(0);
    const xmlLines = readFileSync(join(spoofed, 'input-endpoint.xml'), 'utf8').split('\n').length - 1;
    expect(run.stderr).toContain(`file sysmon-pipe: windows-xml, ${xmlLines} lines`);
    const records = run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { client: string; evidence: { user_agent_claims_browser: boolean }[] });
    expect(records.map((r) => [r.client, r.evidence[0].user_agent_claims_browser])).toEqual([['svchost32.exe', true]]);
  }, 30_000);
});
