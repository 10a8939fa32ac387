/**
 * Writes input-endpoint.evtx of this case: `npx tsx tests/cases/stitch-evtx/make.ts`.
 * A case folder holds files, so the EVTX input is committed; this script is how
 * it was made (by the product's writer, src/core/evtx/write.ts), and
 * tests/evtx/differential.test.ts holds it to Debian's evtxexport, so what it
 * holds does not rest on our writer and reader agreeing. Values have the types
 * Sysmon gives them (GUIDs, UInt32 process ids, UInt16 ports, booleans).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeEvtx, type TypedValue, type WindowsEventToWrite } from '../../../src/core/evtx/write';
import { T_BOOL, T_GUID, T_UINT16, T_UINT32 } from '../../../src/core/evtx/values';

function le(bytes: number, v: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
  return out;
}

const uint32 = (v: number): TypedValue => ({ type: T_UINT32, bytes: le(4, v) });
const uint16 = (v: number): TypedValue => ({ type: T_UINT16, bytes: le(2, v) });
const bool = (v: boolean): TypedValue => ({ type: T_BOOL, bytes: le(4, v ? 1 : 0) });

/** A GUID as Windows stores it: the first three groups little-endian, the rest as written. */
function guid(text: string): TypedValue {
  const hex = text.replace(/[{}-]/g, '');
  const b = (from: number, to: number): number[] =>
    Array.from({ length: (to - from) / 2 }, (_, i) => parseInt(hex.slice(from + 2 * i, from + 2 * i + 2), 16));
  return { type: T_GUID, bytes: new Uint8Array([...b(0, 8).reverse(), ...b(8, 12).reverse(), ...b(12, 16).reverse(), ...b(16, 32)]) };
}

const SYSMON = { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'WS-N.corp.example' };
const PROCESS = guid('{5D1E0A2B-7C3F-4E11-9A00-00000000BEEF}');
const IMAGE = 'C:\\Users\\Public\\Libraries\\upd.exe';

const events: WindowsEventToWrite[] = [
  {
    ...SYSMON,
    eventId: 1,
    recordId: 5001,
    time: Date.parse('2026-03-16T09:58:10.250Z'),
    data: [
      ['RuleName', '-'],
      ['UtcTime', '2026-03-16 09:58:10.250'],
      ['ProcessGuid', PROCESS],
      ['ProcessId', uint32(6120)],
      ['Image', IMAGE],
      ['CommandLine', '"C:\\Users\\Public\\Libraries\\upd.exe" --interval 60 --quiet'],
      ['CurrentDirectory', 'C:\\Users\\Public\\Libraries\\'],
      ['User', 'CORP\\nina'],
      ['ParentProcessGuid', guid('{5D1E0A2B-7C3F-4E11-9A00-000000000C3D}')],
      ['ParentProcessId', uint32(4410)],
      ['ParentImage', 'C:\\Windows\\System32\\cmd.exe'],
      ['ParentCommandLine', 'cmd.exe /c start /min upd.exe'],
    ],
  },
  {
    ...SYSMON,
    eventId: 3,
    recordId: 5002,
    time: Date.parse('2026-03-16T10:00:00.800Z'),
    data: [
      ['RuleName', '-'],
      ['UtcTime', '2026-03-16 10:00:00.800'],
      ['ProcessGuid', PROCESS],
      ['ProcessId', uint32(6120)],
      ['Image', IMAGE],
      ['User', 'CORP\\nina'],
      ['Protocol', 'tcp'],
      ['Initiated', bool(true)],
      ['SourceIsIpv6', bool(false)],
      ['SourceIp', '10.2.2.7'],
      ['SourceHostname', 'WS-N.corp.example'],
      ['SourcePort', uint16(51515)],
      ['SourcePortName', '-'],
      ['DestinationIsIpv6', bool(false)],
      ['DestinationIp', '198.51.100.77'],
      ['DestinationHostname', 'ec2-198-51-100-77.compute.example.net'],
      ['DestinationPort', uint16(443)],
      ['DestinationPortName', 'https'],
    ],
  },
];

writeFileSync(fileURLToPath(new URL('input-endpoint.evtx', import.meta.url)), writeEvtx(events));
