import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeEvtx, type WindowsEventToWrite } from '../src/core/evtx/write';
import { Random } from '../src/core/generate/random';

const MB = 1e6;
const FILES = 8;

/** A Sysmon log as a busy workstation writes one: process starts, connections, lookups, file and registry events. */
function sysmonEvents(rnd: Random, count: number, host: string, start: number): WindowsEventToWrite[] {
  const images = ['C:\\Windows\\System32\\svchost.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'];
  images.push('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows\\System32\\curl.exe');
  const out: WindowsEventToWrite[] = [];
  for (let i = 0; i < count; i++) {
    const image = rnd.pick(images);
    const guid = `{94F748D5-${(i % 0xffff).toString(16).toUpperCase().padStart(4, '0')}-5A42-0000-0010D265F20F}`;
    const base = {
      provider: 'Microsoft-Windows-Sysmon',
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer: host,
      time: start + i * 250,
    };
    const utc = new Date(base.time).toISOString().replace('T', ' ').slice(0, 23);
    const common: [string, string][] = [
      ['RuleName', '-'],
      ['UtcTime', utc],
      ['ProcessGuid', guid],
      ['ProcessId', String(1000 + rnd.int(60000))],
      ['Image', image],
    ];
    const kind = rnd.weighted([
      [3, 3],
      [2, 22],
      [1, 1],
      [2, 11],
      [2, 13],
    ] as const);
    const data: [string, string][] =
      kind === 3
        ? [
            ...common,
            ['User', 'CORP\\alice'],
            ['Protocol', 'tcp'],
            ['Initiated', 'true'],
            ['SourceIsIpv6', 'false'],
            ['SourceIp', '10.1.2.3'],
            ['SourceHostname', `${host}.corp.example`],
            ['SourcePort', String(49152 + rnd.int(16000))],
            ['SourcePortName', '-'],
            ['DestinationIsIpv6', 'false'],
            ['DestinationIp', `151.101.${rnd.int(255)}.${rnd.int(255)}`],
            ['DestinationHostname', 'cdn.example.net'],
            ['DestinationPort', '443'],
            ['DestinationPortName', 'https'],
          ]
        : kind === 22
          ? [
              ...common,
              ['QueryName', `site${rnd.int(5000)}.example.com`],
              ['QueryStatus', '0'],
              ['QueryResults', `::ffff:151.101.${rnd.int(255)}.${rnd.int(255)};`],
              ['User', 'CORP\\alice'],
            ]
          : kind === 1
            ? [
                ...common,
                ['FileVersion', '10.0.19041.1'],
                ['CommandLine', `"${image}" -nop -c "Get-Item C:\\Users\\alice\\file${rnd.int(1e6)}.txt"`],
                ['CurrentDirectory', 'C:\\Users\\alice\\'],
                ['User', 'CORP\\alice'],
                ['LogonGuid', '{94F748D5-5A64-5966-0000-0020E7030000}'],
                ['LogonId', '0x3e7'],
                ['IntegrityLevel', 'Medium'],
                ['Hashes', `SHA256=${rnd.int(1e9).toString(16).padStart(64, '0').toUpperCase()}`],
                ['ParentProcessGuid', guid],
                ['ParentProcessId', String(rnd.int(60000))],
                ['ParentImage', 'C:\\Windows\\explorer.exe'],
                ['ParentCommandLine', 'C:\\Windows\\Explorer.EXE'],
              ]
            : kind === 11
              ? [...common, ['TargetFilename', `C:\\Users\\alice\\AppData\\Local\\Temp\\tmp${rnd.int(1e6)}.tmp`]]
              : [
                  ...common,
                  ['EventType', 'SetValue'],
                  ['TargetObject', `HKLM\\SOFTWARE\\Example\\Key${rnd.int(1000)}`],
                  ['Details', `DWORD (0x${rnd.int(1e6).toString(16).padStart(8, '0')})`],
                ];
    out.push({ ...base, eventId: kind, data });
  }
  return out;
}

/** FILES EVTX files of about `bytes` in all, written by the product's writer once and reused; and their record count. */
function evtxFiles(dir: string, bytes: number, log: (m: string) => void): { files: string[]; records: number } {
  const folder = join(dir, `evtx-${Math.round(bytes / MB)}mb`);
  mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  let records = 0;
  // About 1 KB a record as written; each file holds its share.
  const perFile = Math.max(1, Math.round(bytes / FILES / 1000));
  for (let f = 0; f < FILES; f++) {
    const path = join(folder, `sysmon-${f}.evtx`);
    files.push(path);
    records += perFile;
    if (existsSync(path)) continue;
    log(`generating ${path} ...`);
    const rnd = new Random(0x5eed + f);
    const bytesOut = writeEvtx(sysmonEvents(rnd, perFile, `WS-${f}`, Date.UTC(2026, 9, 1)));
    writeFileSync(`${path}.${process.pid}.partial`, bytesOut);
    renameSync(`${path}.${process.pid}.partial`, path);
  }
  return { files, records };
}

/** evtxexport over `files`, as many at once as there are cores (the fairest count for it), its output thrown away. */
async function evtxexportAll(files: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const queue = [...files];
  const one = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const path = file;
      await new Promise<void>((resolve, reject) => {
        const child = spawn('evtxexport', [path], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', (e) => reject(new Error(`evtxexport could not run (is libevtx-utils installed?): ${e.message}`)));
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`evtxexport ${path} failed: ${err}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(files.length, availableParallelism()) }, one));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The EVTX figure: `offbrowse detect` reading EVTX files (Sysmon, as the
 * product's writer writes them) against Debian's `evtxexport` on the same
 * files in the same run, best of `runs` each, as MB/s and a ratio. The CLI
 * must read every record first (its summary's count), or no speed is given.
 */
export async function evtxRows(
  dir: string,
  bytes: number,
  runs: number,
  detect: (files: string[]) => Promise<{ ms: number; maxRssMb: number; stderr: string }>,
  log: (m: string) => void,
): Promise<[string, string][] | null> {
  const { files, records } = evtxFiles(dir, bytes, log);
  const mb = files.reduce((n, f) => n + statSync(f).size, 0) / MB;
  let ours = Infinity;
  let rss = 0;
  let theirs = Infinity;
  for (let i = 0; i < runs; i++) {
    const d = await detect(files);
    const read = /lines read: ([\d,]+)/.exec(d.stderr)?.[1]?.replace(/,/g, '');
    if (Number(read) !== records) {
      log(`offbrowse detect read ${read ?? 'no'} records of the ${records} in the EVTX files: no EVTX speed reported`);
      return null;
    }
    if (d.ms < ours) [ours, rss] = [d.ms, d.maxRssMb];
    theirs = Math.min(theirs, await evtxexportAll(files));
    log(
      `EVTX run ${i + 1}/${runs}: offbrowse detect ${(mb / (d.ms / 1000)).toFixed(1)} MB/s, evtxexport ${(mb / (theirs / 1000)).toFixed(1)} MB/s`,
    );
  }
  const speed = (ms: number): string => `${(mb / (ms / 1000)).toFixed(1)} MB/s (${(ms / 1000).toFixed(2)} s)`;
  return [
    ['EVTX: input', `${files.length} Sysmon files, ${records} records, ${mb.toFixed(0)} MB (${join(dir, 'evtx-*')})`],
    ['EVTX: offbrowse detect', `${speed(ours)}, peak RSS ${rss.toFixed(0)} MB`],
    ['EVTX: evtxexport (text, one process per core)', speed(theirs)],
    ['EVTX: throughput, offbrowse / evtxexport', `${(theirs / ours).toFixed(2)}x (goal >= 3x)`],
  ];
}
